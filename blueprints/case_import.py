"""Importing the open-case list (PRODUCT.md, workflow 5): upload it, choose which column holds what, see what it
would change, and apply it or abandon it. Each step is a plain form: no JavaScript is needed."""

import json

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, roles_required
from blueprints.web import page_position, saved
from forms.case_import import ApplyForm, ColumnsForm, UploadForm
from models import CaseImport, utcnow
from services import case_import as imports
from services import case_import_apply
from services.dates import uk_today
from services.pagination import paginate
from services.table_files import read_table

bp = Blueprint("case_import", __name__)


@bp.route("/case-import", methods=["GET", "POST"])
@roles_required("qa-officer")
def upload():
    """Upload the open-case list as CSV or Excel; it is read at once, and kept only until applied or abandoned."""
    form = UploadForm()
    if form.validate_on_submit():
        upload_file = form.file.data

        def read_and_keep():
            return imports.upload(current_user, read_table(upload_file.read()), upload_file.filename, utcnow())

        case_import = saved(form, read_and_keep)
        if case_import:
            return redirect(url_for("case_import.columns", import_id=case_import.id), 303)
    return render_template("case_import/upload.html", form=form, waiting=imports.waiting(), limit=upload_limit())


@bp.route("/case-import/<int:import_id>/columns", methods=["GET", "POST"])
@roles_required("qa-officer")
def columns(import_id):
    """Choose which column of the file holds each thing (guessed, or a saved mapping's), then preview."""
    case_import = get_or_404(CaseImport, import_id)
    headings = json.loads(case_import.headers)
    form = ColumnsForm.for_headings(headings, version=case_import.version)
    saved_id = request.args.get("mapping", type=int)
    if not form.is_submitted():
        for name, heading in imports.mapping_for(case_import, saved_id).items():
            form[name].data = heading
    if form.validate_on_submit() and saved(
        form,
        lambda: imports.preview(
            current_user, case_import, form.mapping(), form.version.data, uk_today(), utcnow(), form.save_as.data
        ),
    ):
        return redirect(url_for("case_import.show", import_id=case_import.id), 303)
    return render_template(
        "case_import/columns.html",
        form=form,
        case_import=case_import,
        sample=json.loads(case_import.rows)[:3],
        headings=headings,
        mappings=imports.saved_mappings(),
    )


@bp.get("/case-import/<int:import_id>")
@roles_required("qa-officer")
def show(import_id):
    """The preview: what applying the import would change, each kind of line a page at a time."""
    case_import = get_or_404(CaseImport, import_id)
    if case_import.previewed_at is None:
        return redirect(url_for("case_import.columns", import_id=case_import.id))
    counts = imports.counts_of(case_import)
    return preview_page(case_import, counts, ApplyForm.for_preview(counts, version=case_import.version))


def preview_page(case_import, counts, form):
    shown = request.args.get("show") or next((kind for kind in imports.KINDS if counts.get(kind)), "unchanged")
    shown = shown if shown in imports.KINDS else "unchanged"
    lines = imports.preview_lines(case_import, shown)
    page = paginate(lines, page_position(), count=imports.counted_lines(case_import, shown))
    return render_template(
        "case_import/show.html",
        form=form,
        case_import=case_import,
        counts=counts,
        kinds=imports.KINDS,
        shown=shown,
        page=page,
    )


@bp.post("/case-import/<int:import_id>/apply")
@roles_required("qa-officer")
def apply(import_id):
    """Apply the import, all or nothing, with the decisions it needs."""
    case_import = get_or_404(CaseImport, import_id)
    counts = imports.counts_of(case_import)
    form = ApplyForm.for_preview(counts)
    if form.validate_on_submit():
        teams, areas, close = form.decisions()
        done = saved(
            form,
            lambda: case_import_apply.apply(
                current_user, case_import, form.version.data, teams, areas, close, uk_today(), utcnow()
            ),
        )
        if done is not None:
            said = ", ".join(f"{count} {what}" for what, count in done.items() if count) or "nothing changed"
            flash(f"Open-case list imported: {said}")
            return redirect(url_for("cases.index"), 303)
    return preview_page(case_import, counts, form)


@bp.post("/case-import/<int:import_id>/abandon")
@roles_required("qa-officer")
def abandon(import_id):
    """Abandon the import: it and the upload are deleted, and nothing changes."""
    case_import = get_or_404(CaseImport, import_id)
    imports.abandon(current_user, case_import)
    flash("Import abandoned: nothing was changed, and the file is not kept")
    return redirect(url_for("case_import.upload"), 303)


@bp.app_errorhandler(413)
def too_large(error):
    """The page for a file over the size limit, in place of a bare 413."""
    limit = upload_limit()
    return (
        render_template(
            "error.html",
            status=413,
            title="The file is too large",
            detail=f"The file must be {limit} MB or smaller. An open-case list is usually much smaller: check it is "
            "the right file, or save it as CSV, which is smaller than Excel.",
        ),
        413,
    )


def upload_limit():
    """The largest upload, in MB, as the pages say it."""
    return current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)

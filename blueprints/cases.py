"""Children's cases: the list, each case's page, and adding and changing cases."""

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, roles_required
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import download, form_page, page_position, render_list, search_text
from forms.cases import CaseForm
from models import Case
from services import (
    access_log,
    audit_lists,
    cases,
    immediate_response_lists,
    retention,
    subject_access,
    subject_access_files,
)
from services.dates import uk_today
from services.pagination import paginate

bp = Blueprint("cases", __name__)

CASE_FIELDS = ("reference", "initials", "birth_year", "team", "worker_name", "worker", "is_open", "opened_on")


@bp.get("/cases")
@roles_required("qa-officer")
def index():
    """Cases, searchable and filtered by open or closed, a page at a time."""
    status = request.args.get("status", "")
    return render_list(
        "cases/_table.html",
        title="Cases",
        add_url=url_for("cases.new"),
        add_text="Add a case",
        import_url=url_for("case_import.upload"),
        search_label="Search by case reference, initials, worker or team",
        status=status,
        page=paginate(Case.search(search_text(), status), page_position()),
        download=("cases.export", "cases"),
    )


@bp.get(f"/cases.<any{SPREADSHEETS}:spreadsheet>")
@roles_required("qa-officer")
def export(spreadsheet):
    """Every case the list's search and filter find, as a CSV file or an Excel workbook."""
    found = Case.search(search_text(), request.args.get("status", "")).iterator()
    return list_download(spreadsheet, "cases", "Case", Case.EXPORT_HEADER, (case.export_row() for case in found))


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new():
    """Add a case."""
    form = CaseForm(today=uk_today())
    return form_page(
        form,
        lambda: cases.add(current_user, form.values(*CASE_FIELDS), form.flags.data),
        done=lambda case: url_for("cases.show", case_id=case.id),
        saved_message=f"Case {form.reference.data} added",
        record=None,
        title="Add a case",
        back_url=url_for("cases.index"),
    )


@bp.get("/cases/<int:case_id>")
@roles_required("qa-officer")
def show(case_id):
    """One case: its details, flags, what retention will do with it, its Immediate Responses and audits."""
    case = get_or_404(Case, case_id)
    audits = audit_lists.for_case(case)
    responses = immediate_response_lists.for_case(current_user, case)
    today = uk_today()
    kept = retention.outlook(case, retention.Policy.of(current_app.config), today)
    return render_template(
        "cases/show.html", case=case, audits=audits, responses=responses, retention=kept, today=today
    )


@bp.get("/cases/<int:case_id>/who-has-looked")
@roles_required("qa-officer")
def who_has_looked(case_id):
    """Who has looked at the case's records, and when: every page and download of them, newest first. Not itself a
    look at them: it shows the case's reference alone."""
    case = get_or_404(Case, case_id, looks=False)
    page = paginate(access_log.of_case(case.id), page_position(), count=access_log.count_of_case(case.id))
    return render_template("cases/who_has_looked.html", case=case, page=page, describe=access_log.description)


@bp.get("/cases/<int:case_id>/subject-access")
@roles_required("qa-officer")
def subject_access_note(case_id):
    """What a subject access request's zip for the child holds, and how many of each record, before gathering it."""
    case = get_or_404(Case, case_id)
    return render_template(
        "cases/subject_access.html", case=case, counts=subject_access.counts_of(case), about=subject_access_files
    )


@bp.get("/cases/<int:case_id>/subject-access.zip")
@roles_required("qa-officer")
def subject_access_zip(case_id):
    """Everything the service holds about the child, as a zip of Word documents and a CSV index."""
    case = get_or_404(Case, case_id)
    gathered = subject_access.gather(case, current_user, current_app.config["COUNCIL_NAME"], uk_today())
    return download(gathered.content, gathered.name, subject_access.ZIP)


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@roles_required("qa-officer")
def edit(case_id):
    """Change a case's details or flags."""
    case = get_or_404(Case, case_id)
    form = CaseForm(record=case, today=uk_today())
    return form_page(
        form,
        lambda: cases.change(current_user, case, form.version.data, form.values(*CASE_FIELDS), form.flags.data),
        done=lambda saved_case: url_for("cases.show", case_id=saved_case.id),
        saved_message=f"Case {case.reference} saved",
        record=case,
        title="Change case",
        caption=f"Case {case.reference}",
        back_url=url_for("cases.show", case_id=case.id),
    )

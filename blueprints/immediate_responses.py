"""Immediate Responses: raising one from an audit or a case, the list, each one's page and timeline,
acknowledging and closing it, and its Word document for the child's file."""

from flask import Blueprint, abort, current_app, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, restored, roles_required, signed_in
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import download, form_page, page_position, render
from forms.immediate_responses import AcknowledgeForm, CloseForm, ImmediateResponseFilterForm, RaiseForm
from models import Case
from services import audit_lists, audit_records, documents, immediate_response_lists
from services import immediate_responses as responses
from services.dates import uk_today
from services.pagination import paginate

bp = Blueprint("immediate_responses", __name__)

ACKNOWLEDGE_FIELDS = ("response", "action_taking")


@bp.get(f"/immediate-responses.<any{SPREADSHEETS}:spreadsheet>")
@signed_in
def export(spreadsheet):
    """Every Immediate Response the list's filters find, of those the signed-in person may see, as a CSV file or an
    Excel workbook."""
    filters = ImmediateResponseFilterForm(request.args).filters() | {"today": uk_today()}
    found = immediate_response_lists.listing(current_user, **filters).iterator()
    rows = (immediate_response_lists.export_row(response) for response in found)
    header = immediate_response_lists.EXPORT_HEADER
    return list_download(spreadsheet, "immediate-responses", "ImmediateResponse", header, rows)


@bp.get("/immediate-responses")
@signed_in
def index():
    """The Immediate Responses the signed-in person may see, what needs attention first, by status, team and
    overdue."""
    form = ImmediateResponseFilterForm(request.args)
    today = uk_today()
    filters = form.filters() | {"today": today}
    count = immediate_response_lists.counted(current_user, **filters)
    page = paginate(immediate_response_lists.listing(current_user, **filters), page_position(), count=count)
    return render(
        "immediate_responses/index.html",
        "immediate_responses/_table.html",
        page=page,
        form=form,
        today=today,
        title="Immediate Responses",
    )


def raise_page(form, case, audit, back_url):
    return form_page(
        form,
        lambda: responses.raise_response(current_user, case, audit, form.values(), uk_today()),
        done=lambda response: url_for("immediate_responses.show", response_id=response.id),
        saved_message="Immediate Response raised: the team manager and the QA team have been told",
        template="immediate_responses/raise.html",
        title=f"Raise an Immediate Response on case {case.reference}",
        caption="From the audit" if audit else None,
        back_url=back_url,
    )


def keep_raise_draft(user, args, form):
    audit_records.keep_draft(user, args["audit_id"], responses.DRAFT_FIELD, form, after_submission=True)


@bp.route("/audits/<int:audit_id>/immediate-responses/new", methods=["GET", "POST"])
@roles_required("auditor")
@keeps_drafts(keep_raise_draft)
def raise_from_audit(audit_id):
    """Raise an Immediate Response from the audit of a child who may be unsafe."""
    audit = get_or_404(audit_lists.detailed(), audit_id)
    if audit.auditor_id != current_user.id:
        abort(403, "Only the auditor the audit is allocated to can raise an Immediate Response from it.")
    case = Case.get_by_id(audit.case_id)
    form = RaiseForm(case=case, raiser=current_user, audit=audit, **restored(audit, responses.DRAFT_FIELD))
    return raise_page(form, case, audit, url_for("audits.show", audit_id=audit.id, _anchor="safeguarding"))


@bp.route("/cases/<int:case_id>/immediate-responses/new", methods=["GET", "POST"])
@roles_required("qa-officer", "auditor")
@keeps_drafts(lambda user, args, form: responses.keep_case_draft(user, args["case_id"], form))
def raise_on_case(case_id):
    """Raise an Immediate Response on a case, found other than in an audit."""
    case = get_or_404(Case, case_id)
    if not responses.can_raise_on(current_user, case):
        abort(403, "Only a QA officer, or an auditor of this case, can raise an Immediate Response on it.")
    back_url = url_for("cases.show", case_id=case.id) if current_user.has_role("qa-officer") else url_for("pages.home")
    form = RaiseForm(case=case, raiser=current_user, **restored(None, responses.case_draft_field(case.id)))
    return raise_page(form, case, None, back_url)


def load_response(response_id):
    response = get_or_404(responses.detailed(), response_id)
    if not responses.can_see(current_user, response):
        abort(
            403,
            "Only the QA team, the case's team manager and Head of Service, the person named to act and whoever "
            "raised it can see this.",
        )
    return response


@bp.get("/immediate-responses/<int:response_id>")
@signed_in
def show(response_id):
    """One Immediate Response: what was found, who must act by when, and its timeline."""
    response = load_response(response_id)
    today = uk_today()
    return render(
        "immediate_responses/show.html",
        response=response,
        timeline=responses.timeline(response),
        told=responses.told_summary(response),
        today=today,
        can_acknowledge=responses.can_acknowledge(current_user, response),
        can_close=responses.can_close(current_user, response),
    )


def keep_step_draft(step):
    return lambda user, args, form: responses.keep_step_draft(user, args["response_id"], step, form)


@bp.route("/immediate-responses/<int:response_id>/acknowledge", methods=["GET", "POST"])
@signed_in
@keeps_drafts(keep_step_draft("acknowledge"))
def acknowledge(response_id):
    """The team manager, the person named to act, the Head of Service or a QA officer acknowledges it, with
    their response and the action they are taking."""
    response = load_response(response_id)
    if not responses.may_acknowledge(current_user, response):
        abort(
            403,
            "Only the case's team manager or Head of Service, the person named to act or a QA officer can "
            "acknowledge it, and not whoever raised it unless they are a QA officer.",
        )
    form = AcknowledgeForm(record=response, **restored(None, responses.step_draft_field(response.id, "acknowledge")))
    return step_page(
        "acknowledge",
        form,
        response,
        lambda: responses.acknowledge(current_user, response, form.version.data, form.values(*ACKNOWLEDGE_FIELDS)),
        "Immediate Response acknowledged",
        f"Acknowledge the Immediate Response on case {response.case.reference}",
    )


@bp.route("/immediate-responses/<int:response_id>/close", methods=["GET", "POST"])
@roles_required("qa-officer")
@keeps_drafts(keep_step_draft("close"))
def close(response_id):
    """A QA officer closes it with the outcome."""
    response = load_response(response_id)
    form = CloseForm(record=response, **restored(None, responses.step_draft_field(response.id, "close")))
    return step_page(
        "close",
        form,
        response,
        lambda: responses.close(current_user, response, form.version.data, form.values("outcome")),
        "Immediate Response closed",
        f"Close the Immediate Response on case {response.case.reference}",
    )


def step_page(step, form, response, save, saved_message, title):
    """The form of a step under what was raised, or why the step cannot be taken now (it was taken already, say),
    saving nothing."""
    back_url = url_for("immediate_responses.show", response_id=response.id)
    told = responses.told_summary(response)
    context = {"title": title, "back_url": back_url, "response": response, "told": told, "today": uk_today()}
    reason = responses.not_ready_to(step, response)
    if reason:
        return render("immediate_responses/not_now.html", reason=reason, **context)
    template = "immediate_responses/step.html"
    return form_page(form, save, done=lambda _: back_url, saved_message=saved_message, template=template, **context)


@bp.get("/immediate-responses/<int:response_id>.docx")
@signed_in
def document(response_id):
    """The Immediate Response form as a Word document, for the child's file."""
    response = load_response(response_id)
    content = documents.immediate_response(response, current_app.config["COUNCIL_NAME"])
    return download(content, f"immediate-response-{response.case.reference}-{response.id}.docx", documents.DOCX)

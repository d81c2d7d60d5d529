"""The report to the senior leadership team on a period's audits (seed 000 s.5.6, Appendix A), and the service's
action plan kept with it (Appendix B). The QA team opens a report for a period and writes its narrative as a long
form (saved as they go, drafts kept, a save over someone else's refused: blueprints/long_forms.py); its tables are
the dashboard's figures for the period (services/dashboard.py), filled in whenever it is downloaded."""

from models import ServiceAction, ServiceReport, db, utcnow
from services import dashboard, dates, drafts, records
from services.audits import months_before
from services.errors import RuleBroken

MOST_MONTHS = 24  # as the dashboard: a report is of six months, or a year at most in practice
NARRATIVE = list(ServiceReport.SECTIONS)
# What a new report's methodology says to begin with, for the QA team to change to what they did.
METHODOLOGY = (
    "Each month managers audited a sample of children's case records across the practice domains of the audit "
    "template, grading each domain Outstanding, Good, Requires Improvement to be Good or Inadequate, with the "
    "evidence and what it means for the child. They discussed the audit with the practitioner and sought the views "
    "of the child and family. The quality assurance team moderated a sample of {percentage}% of the audits each "
    "month, including every audit graded Good. The figures are the final grades: the moderated grade where "
    "moderation changed it."
)


def period_name(report):
    return dates.period_name(report.first_month, report.last_month)


def title(report):
    return f"Case file audit report: {period_name(report)}"


def latest_period(today, months=6):
    """The last `months` whole months before `today`'s: the period a new report is of unless told."""
    last = months_before(today.replace(day=1), 1)
    return months_before(last, months - 1), last


def period_problems(first_month, last_month):
    """What is wrong with a period, as (field, message) for the form that chose it."""
    if last_month < first_month:
        return [("last_month", "The last month must be the same as or after the first month")]
    months = (last_month.year - first_month.year) * 12 + last_month.month - first_month.month + 1
    if months > MOST_MONTHS:
        return [("last_month", f"A report can cover {MOST_MONTHS} months at most")]
    return []


def open_report(actor, first_month, last_month, moderation_percentage):
    """A new report of the months from `first_month` to `last_month`, its methodology begun."""
    problems = period_problems(first_month, last_month)
    if problems:
        raise RuleBroken(problems=problems)
    methodology = METHODOLOGY.format(percentage=moderation_percentage)
    return records.create(
        actor,
        ServiceReport,
        first_month=first_month,
        last_month=last_month,
        methodology=methodology,
        created_by=actor,
    )


def figures(report, today):
    """The dashboard's figures for the report's period, as things stand `today`."""
    return dashboard.figures(dashboard.Filters(report.first_month, report.last_month), today)


def listing():
    """Every report, latest period first: two a year."""
    return ServiceReport.select().order_by(ServiceReport.last_month.desc(), ServiceReport.id.desc())


def draft_field(report):
    return f"service-report-{report.id}"


def save(actor, report, expected_version, values):
    """Save the narrative as it is so far, if nobody saved it since `expected_version`: only what changed, with
    when; a draft kept from before is done with."""
    changed = {name: value for name, value in values.items() if getattr(report, name) != value}
    with db.atomic():
        if changed:
            records.update(actor, report, expected_version, **changed, changed_at=utcnow())
        drafts.forget(actor, draft_field(report))
    return list(changed)


def differences(report, values):
    """Where what was typed differs from the report as saved now: (form field id, saved, typed)."""
    saved = ServiceReport.get_by_id(report.id)
    return records.differences(saved.__data__, values)


def keep_draft(user, report_id, form):
    """Keep what could not be saved of a report's narrative, for its writer to put back."""
    report = ServiceReport.get_or_none(ServiceReport.id == report_id)
    if report is not None and user.has_role("qa-officer"):
        drafts.keep(user, draft_field(report), form, about=report)


def pending_draft(user, report):
    return drafts.pending(user, draft_field(report))


# The action plan.

ACTION_FIELDS = ("title", "what", "owner_name", "owner_role", "due_on", "done_when", "vague_confirmed")
PROGRESS_FIELDS = ("taken_to_date", "completed_on", "approved_by")


def add_action(actor, values):
    return records.create(actor, ServiceAction, created_by=actor, **values)


def change_action(actor, action, expected_version, values):
    return records.update(actor, action, expected_version, **values)


def plan_for(report):
    """The actions a report's plan shows: those not completed before its period began."""
    started = report.first_month
    return ServiceAction.ordered().where(ServiceAction.completed_on.is_null() | (ServiceAction.completed_on >= started))


EXPORT_HEADER = [
    "Title",
    "Action to be taken",
    "How we will know it is done",
    "Action taken to date",
    "Responsible officer",
    "Their role",
    "Due by",
    "Date completed",
    "Action approved by",
]


def export_row(action):
    return [
        action.title,
        action.what,
        action.done_when,
        action.taken_to_date,
        action.owner_name,
        action.owner_role,
        action.due_on,
        action.completed_on,
        action.approved_by,
    ]

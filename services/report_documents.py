"""The reports for leaders as Word documents in the house style (services/word.py), their tables filled from the
dashboard's figures (services/dashboard.py): the report to the senior leadership team on a period (seed 000 s.5.6,
Appendix A) with the service's action plan (Appendix B), the action plan on its own, and the monthly summary for an
improvement board (004 2.4.2), a month's figures beside the months before it."""

from models import GRADES, ServiceReport
from services import dashboard, learning_themes, service_reports, word
from services.audits import months_before
from services.calibration import Share
from services.dates import long_date, month_name, uk_time, uk_today
from services.documents import ACTION_PLAN_COLUMNS

DOCX = word.DOCX
GRADE_NAMES = list(GRADES.values())
NARRATIVE_MISSING = "Not written yet."
CAUTION = (
    "A move in grades after a focus month goes with the focus; it does not show the focus caused it. Other things "
    "change at the same time, and few grades move by chance."
)
FEW_GRADES = "few grades: read with care"
SUMMARY_MONTHS = 6  # the month of a monthly summary and the five before it


def report_document(report, council_name, author, now):
    """The report on `report`'s period, by `author`, its figures as they are `now` (in UTC): each section of Appendix
    A in order, a heading Word's navigation pane lists, its narrative as written, the cohort and findings followed by
    their tables from the dashboard's figures for the period and the learning themes; then the action plan."""
    figures = service_reports.figures(report, uk_today(now))
    themes = learning_themes.figures(figures.filters, figures.teams)
    document = word.house_document(None, author, council_name, service_reports.title(report))
    word.details(
        document,
        [
            ("Period", service_reports.period_name(report)),
            ("Prepared by", f"{report.created_by.name}, {report.created_by.job_role}"),
            ("Figures as at", as_at(now)),
        ],
    )
    for number, (name, label) in enumerate(ServiceReport.SECTIONS.items(), start=1):
        word.heading(document, f"{number}. {label}", 1)
        narrative(document, getattr(report, name))
        if name == "cohort":
            cohort_tables(document, figures)
        elif name == "findings":
            findings_tables(document, figures, themes)
    word.landscape_pages(document)
    word.heading(document, "Appendix: action plan", 1)
    action_plan_table(document, service_reports.plan_for(report))
    return word.save(document)


def as_at(now):
    """When figures were taken (`now`, in UTC), as the UK read it: "3 December 2026, 19:46"."""
    moment = uk_time(now)
    return f"{long_date(moment.date())}, {moment:%H:%M}"


def narrative(document, text):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    for line in lines or [NARRATIVE_MISSING]:
        word.paragraph(document, line)


def table_heading(document, text):
    word.heading(document, text, 2)


def number(value):
    return f"{value:,}"


def share_text(share):
    return f"{share.percent}%" if share.total else "None"


def counted_share(share):
    """As people read it: "72% (130 of 180)"."""
    return f"{share.percent}% ({share.count:,} of {share.total:,})" if share.total else "None"


def cohort_tables(document, figures):
    table_heading(document, "Audits by month allocated")
    rows = [
        (month_name(row.month), number(row.allocated), number(row.submitted), number(row.on_time), number(row.overdue))
        for row in figures.months
    ]
    totals = [sum(getattr(row, name) for row in figures.months) for name in ("allocated", "submitted", "on_time")]
    overdue = sum(row.overdue for row in figures.months)
    rows.append(("All months", *map(number, totals), number(overdue)))
    columns = [("Month", 4.5), ("Allocated", 3), ("Submitted", 3), ("On time", 3), ("Overdue now", 3.5)]
    word.table(document, columns, rows)
    place = "Team" if figures.places_are_teams else "Service area"
    table_heading(document, f"Audits by {place.lower()}")
    rows = [(row.name, number(row.allocated), number(row.submitted), number(row.on_time)) for row in figures.places]
    word.table(document, [(place, 8), ("Allocated", 3), ("Submitted", 3), ("On time", 3)], rows)


def grade_columns(first):
    """A grade's columns, wide enough for "Outstanding" and "Inadequate" on one line."""
    return [first, *((name, 2.55) for name in GRADE_NAMES), ("Good or better", 2.3)]


def grade_cells(grades):
    return [number(count) for count in grades.counts] + [share_text(grades.good_or_better)]


def grade_tables(document, figures):
    """The final grades of each practice domain, and the overall judgements of each service area or team."""
    table_heading(document, "Final grades by practice domain")
    word.paragraph(document, "The final grade is the moderated grade where moderation changed the auditor's.")
    rows = [(name, *grade_cells(grades)) for _, name, grades in figures.domains]
    word.table(document, grade_columns(("Practice domain", 4.5)), rows)
    place = "Team" if figures.places_are_teams else "Service area"
    table_heading(document, f"Overall judgements by {place.lower()}")
    rows = [(row.name, *grade_cells(row.grades)) for row in figures.places]
    word.table(document, grade_columns((place, 4.5)), rows)


def findings_tables(document, figures, themes):
    grade_tables(document, figures)
    moderation = figures.moderation
    table_heading(document, "Moderation")
    word.details(
        document,
        [
            ("Audits moderated", number(moderation.audits)),
            ("Overall judgements changed", number(moderation.audits_changed)),
            ("Grades moderated", number(moderation.grades)),
            ("Grades the moderator agreed with", counted_share(moderation.agreement)),
            ("Grades changed", counted_share(moderation.changed_share)),
        ],
    )
    actions, responses = figures.actions, figures.responses
    table_heading(document, "Actions and Immediate Responses")
    word.details(
        document,
        [
            ("Actions sent to teams", number(actions.sent)),
            ("Actions open now", number(actions.open)),
            ("Actions overdue now", number(actions.overdue)),
            ("Actions completed within their deadline", counted_share(actions.on_time_share)),
            ("Immediate Responses raised", number(responses.raised)),
            ("Immediate Responses open now", number(responses.open)),
            ("Not acknowledged in time", number(responses.overdue)),
            ("Escalated", number(responses.escalated)),
        ],
    )
    family_table(document, figures.family)
    themes_table(document, themes)


def family_table(document, family):
    table_heading(document, "Feedback from children and families")
    rows = [("Gathered", number(family.gathered), share_text(family.gathered_share))]
    for reason, share in family.reasons():
        rows.append(
            (
                f"Could not be gathered: {reason.lower()}",
                number(share.count),
                share_text(Share(share.count, family.asked)),
            )
        )
    word.table(document, [("Feedback", 9), ("Number", 3), ("Share of those asked", 3.5)], rows)


def themes_table(document, themes):
    """How often each learning theme was tagged, and how the grades it touches moved after its focus month."""
    table_heading(document, "Learning themes")
    word.paragraph(document, CAUTION)
    rows = [
        (
            row.name,
            number(row.tags),
            month_name(row.focus) if row.focus else "None",
            f"{share_text(row.before)} of {number(row.before.total)}" if row.focus else "",
            f"{share_text(row.after)} of {number(row.after.total)}" if row.focus else "",
            f"{row.change_text} ({FEW_GRADES})" if row.is_few and row.change is not None else row.change_text,
        )
        for row in themes
    ]
    window = learning_themes.WINDOW
    columns = [
        ("Theme", 4),
        ("Times tagged", 2.2),
        ("Focus month", 2.6),
        (f"Good or better, {window} months before", 2.8),
        (f"Good or better, {window} months after", 2.8),
        ("Change", 2.6),
    ]
    word.table(document, columns, rows)


def action_plan_table(document, plan):
    rows = [
        (
            action.title,
            f"{action.what}\n\nDone when: {action.done_when}",
            action.taken_to_date or "None recorded",
            f"{action.owner_name}, {action.owner_role}",
            long_date(action.due_on),
            long_date(action.completed_on) if action.completed_on else "Not completed",
            action.approved_by or "Not approved",
        )
        for action in plan
    ]
    if not rows:
        word.paragraph(document, "The action plan has no actions.")
        return
    word.table(document, ACTION_PLAN_COLUMNS, rows)


def action_plan_document(plan, council_name, author, now):
    """The service's action plan on its own (Appendix B), on landscape pages."""
    document = word.house_document(None, author, council_name, "Case file audit: action plan", landscape=True)
    word.paragraph(document, f"As at {long_date(now.date())}.")
    action_plan_table(document, plan)
    return word.save(document)


# The monthly summary.


def summary_months(month):
    """The month and the SUMMARY_MONTHS - 1 months before it, oldest first."""
    return [months_before(month, back) for back in range(SUMMARY_MONTHS - 1, -1, -1)]


MEASURES = [
    ("Audits allocated", lambda figures: number(figures.months[0].allocated)),
    ("Audits submitted", lambda figures: number(figures.months[0].submitted)),
    ("Submitted on time", lambda figures: share_text(on_time(figures.months[0]))),
    ("Open and overdue now", lambda figures: number(figures.months[0].overdue)),
    ("Overall judgements Good or better", lambda figures: share_text(figures.overall.good_or_better)),
    ("Overall judgements Inadequate", lambda figures: number(figures.overall.counts[3])),
    ("Grades the moderator agreed with", lambda figures: share_text(figures.moderation.agreement)),
    ("Actions completed within their deadline", lambda figures: share_text(figures.actions.on_time_share)),
    ("Immediate Responses raised", lambda figures: number(figures.responses.raised)),
    ("Family feedback gathered", lambda figures: share_text(figures.family.gathered_share)),
]


def on_time(row):
    return Share(row.on_time, row.submitted)


def monthly_summary(month, council_name, author, now):
    """The improvement board's summary of `month` (004 2.4.2), by `author`, its figures as they are `now` (in UTC):
    each measure for the month beside the five months before it (the dashboard's figures of each month), the month's
    grades by domain and by service area and its families' feedback, and the learning themes of the six months."""
    months, today = summary_months(month), uk_today(now)
    each = [dashboard.figures(dashboard.Filters(one, one), today) for one in months]
    themes = learning_themes.figures(dashboard.Filters(months[0], month), each[-1].teams)
    document = word.house_document(None, author, council_name, f"Case file audit: monthly summary, {month_name(month)}")
    word.paragraph(
        document,
        f"The audits allocated in {month_name(month)}, beside the five months before. Figures as at {as_at(now)}; a "
        "month's figures grow as its audits are submitted and moderated.",
    )
    word.heading(document, "The month against the months before", 1)
    columns = [("Measure", 5.2)] + [(f"{one:%b %Y}", 1.95) for one in months]
    rows = [(name, *(measure(figures) for figures in each)) for name, measure in MEASURES]
    word.table(document, columns, rows)
    word.heading(document, f"The audits of {month_name(month)}", 1)
    grade_tables(document, each[-1])
    family_table(document, each[-1].family)
    word.heading(document, "Over the six months", 1)
    themes_table(document, themes)
    return word.save(document)

"""The dashboard's charts (services/charts.py) from its figures (services/dashboard.py): each with its title and a
sentence saying what it shows in words, and each figure of its table linked to the audits behind it by `link`, a
function the page gives, which makes the address of the list of audits for the dashboard's filters and any more
given (`link(grade="good", part=2)`)."""

from models import GRADES
from services.charts import Bars, Lines
from services.dates import month_code

GRADE_SERIES = list(GRADES.items())


def charts(figures, link):
    """Every chart of the dashboard, by name: the months', the domains', the trend's, and the service areas' (or,
    with one chosen, its teams')."""
    place = "team" if figures.places_are_teams else "service_area"
    return {
        "months": months_chart(figures, link),
        "domains": domains_chart(figures, link),
        "trend": trend_chart(figures, link),
        "places": groups_chart(figures.places, place, link),
    }


def month_label(month):
    return f"{month:%b %Y}"


def months_chart(figures, link):
    """Audits allocated, submitted, submitted on time and overdue now, by the month they were allocated in."""
    months = figures.months
    allocated = sum(row.allocated for row in months)
    submitted = sum(row.submitted for row in months)
    on_time = sum(row.on_time for row in months)
    overdue = sum(row.overdue for row in months)
    lines = [
        ("Allocated", [row.allocated for row in months], {}),
        ("Submitted", [row.submitted for row in months], {"submitted": "yes"}),
        ("Submitted on time", [row.on_time for row in months], {"submitted": "on-time"}),
        ("Overdue now", [row.overdue for row in months], {"overdue": "yes"}),
    ]
    codes = [month_code(row.month) for row in months]
    links = [[link(from_month=code, to_month=code, **args) for code in codes] for _, _, args in lines]
    if allocated:
        share = f"{round(100 * on_time / submitted)}% of them on time" if submitted else "none yet"
        summary = f"{allocated:,} audits were allocated and {submitted:,} submitted, {share}; {overdue:,} are overdue."
    else:
        summary = "No audits were allocated in these months."
    return Lines.of(
        "Audits by the month they were allocated",
        summary,
        [month_label(row.month) for row in months],
        [(label, counts) for label, counts, _ in lines],
        "Audits",
        links=links,
    )


def domains_chart(figures, link):
    """The final grades of each domain and of the overall judgement."""
    rows = figures.domains
    overall = figures.overall
    if overall.total:
        graded = [(name, grades) for _, name, grades in rows[:-1] if grades.total]
        summary = f"{overall.good_or_better.percent}% of overall judgements were Good or Outstanding"
        if graded:
            name, grades = max(graded, key=lambda row: row[1].below_good.count / row[1].total)
            summary += f"; {name} had the most graded below Good ({grades.below_good.percent}%)"
        summary += "."
    else:
        summary = "No audits allocated in these months have been submitted."
    return Bars.of(
        "Final grades by domain",
        summary,
        [name for _, name, _ in rows],
        GRADE_SERIES,
        [list(grades.counts) for _, _, grades in rows],
        links=[[link(grade=grade, domain=name if part else None) for grade in GRADES] for part, name, _ in rows],
        category_heading="Domain",
    )


def trend_chart(figures, link):
    """The share of overall judgements of each grade, month by month."""
    months = figures.months
    percents = [[share.percent for share in row.grades.shares] if row.grades.total else None for row in months]
    series = [
        (label, [shares[index] if shares else None for shares in percents])
        for index, label in enumerate(GRADES.values())
    ]
    graded = [row for row in months if row.grades.total]
    if len(graded) > 1:
        first, last = graded[0], graded[-1]
        summary = (
            f"Good or better overall judgements went from {first.grades.good_or_better.percent}% in "
            f"{first.month:%B %Y} to {last.grades.good_or_better.percent}% in {last.month:%B %Y}."
        )
    elif graded:
        summary = f"Only {graded[0].month:%B %Y} has overall judgements: too few months to see a trend."
    else:
        summary = "No audits allocated in these months have been submitted."
    codes = [month_code(row.month) for row in months]
    links = [[link(from_month=code, to_month=code, grade=grade) for code in codes] for grade in GRADES]
    return Lines.of(
        "Overall judgements over time",
        summary,
        [month_label(row.month) for row in months],
        series,
        "Share of the month's overall judgements",
        percent=True,
        links=links,
    )


def groups_chart(rows, kind, link):
    """The overall judgements of each team, or each service area (`kind` "team" or "service_area")."""
    noun = "team" if kind == "team" else "service area"
    graded = [row for row in rows if row.grades.total]
    if graded:
        best = max(graded, key=lambda row: (row.grades.good_or_better.percent, row.grades.total))
        summary = (
            f"{len(graded)} {noun}{'s' if len(graded) != 1 else ''} had audits submitted; {best.name} had the most "
            f"graded Good or Outstanding ({best.grades.good_or_better.percent}%)."
        )
    else:
        summary = f"No {noun} had audits submitted in these months."
    return Bars.of(
        f"Overall judgements by {noun}",
        summary,
        [row.name for row in rows],
        GRADE_SERIES,
        [list(row.grades.counts) for row in rows],
        links=[[link(grade=grade, **{kind: row.id}) for grade in GRADES] for row in rows],
        category_heading=noun.capitalize(),
    )

"""The calibration page's charts (services/charts.py) from its figures (services/calibration.py): agreement month by
month, and the grades before and after moderation as a heat map, each with a sentence saying what it shows."""

from models import GRADES
from services.charts import HeatMap, Lines


def agreement_chart(months):
    """The share of every grade, and of the overall judgements, that moderators left as the auditor gave them, by
    the month drawn (`months`: services.calibration.MonthRow, oldest first; a month with none moderated is a gap)."""
    series = [
        ("Every grade", [row.grades.agreement.percent for row in months]),
        ("Overall judgements", [row.overall.agreement.percent for row in months]),
    ]
    moderated = [row for row in months if row.grades.grades]
    if len(moderated) > 1:
        first, last = moderated[0], moderated[-1]
        summary = (
            f"Moderators left {first.grades.agreement.percent}% of grades as the auditor gave them in "
            f"{first.month:%B %Y} and {last.grades.agreement.percent}% in {last.month:%B %Y}."
        )
    elif moderated:
        summary = f"Only {moderated[0].month:%B %Y} has moderated audits: too few months to see a trend."
    else:
        summary = "No audits drawn in these months have been moderated."
    return Lines.of(
        "Grades left as the auditor gave them, by the month drawn",
        summary,
        [f"{row.month:%b %Y}" for row in months],
        series,
        "Share of the grades moderated",
        percent=True,
        x_heading="Month drawn",
    )


def changes_map(changes):
    """How many grades went from each auditor's grade (down the side) to each moderated grade (across the top):
    those left alone are on the diagonal."""
    moves = dict(changes.moves())
    worse = (
        moves["Moderated to a worse grade by one step"].count
        + moves["Moderated to a worse grade by two or more steps"].count
    )
    better = changes.total - changes.agreement.count - worse
    summary = (
        f"{changes.agreement.text} of grades were left as the auditor gave them; moderators made {worse:,} worse "
        f"and {better:,} better."
    )
    return HeatMap.of(
        "Grades moderated, by the auditor's grade and the moderated grade",
        summary,
        list(GRADES.values()),
        list(GRADES.values()),
        changes.matrix(),
        "Auditor's grade",
        "Moderated grade",
    )

"""The calibration page's tables as CSV files (services/spreadsheets.csv_file): each table the page shows, with
numbers as numbers, for the page's filters."""

from models import GRADES
from services.audits import GRADE_ORDER
from services.calibration import GradeChanges, Tally, by_auditor, by_domain, by_month, by_team, grade_changes


def agreement_sheet(filters):
    domains = by_domain(filters)
    everything = sum((tally for _, tally in domains), Tally())
    rows = [[name, tally.grades, tally.agreed, tally.agreement.exact_percent] for name, tally in domains]
    rows.append(["All grades", everything.grades, everything.agreed, everything.agreement.exact_percent])
    return ["Domain", "Grades moderated", "Grades agreed", "Agreement (%)"], rows


def grade_changes_sheet(filters):
    changes = grade_changes(filters)
    rows = [
        [GRADES[grade], *(changes.cell(grade, moderated) for moderated in GRADE_ORDER), changes.row_total(grade)]
        for grade in GRADE_ORDER
    ]
    rows.append(["Total", *(changes.column_total(grade) for grade in GRADE_ORDER), changes.total])
    return GradeChanges.HEADER, rows


def grade_moves_sheet(filters):
    rows = [[label, share.count, share.exact_percent] for label, share in grade_changes(filters).moves()]
    return ["What moderation did", "Grades", "Share of all grades (%)"], rows


def group_sheet(who, rows):
    header = [who, "Audits moderated", "Grades moderated", "Grades agreed", "Agreement (%)"]
    header += ["Average change in steps", "What it suggests"]
    return header, [
        [row.name, row.audits, row.tally.grades, row.tally.agreed, row.tally.agreement.exact_percent]
        + [None if row.tally.average_change is None else round(row.tally.average_change, 2), row.reading_text]
        for row in rows
    ]


def months_sheet(filters):
    header = ["Month drawn", "Audits moderated", "Overall judgements changed", "Overall judgements changed (%)"]
    header += ["Grades moderated", "Grades changed", "Grades changed (%)"]
    months = by_month(filters)
    return header, [[f"{row.month:%B %Y}", *cells(row.overall.changed), *cells(row.grades.changed)] for row in months]


def cells(share):
    """How many, how many of them, and the percentage."""
    return [share.total, share.count, share.exact_percent]


# The tables the page shows, each also a CSV file: {name in its URL: (its file name's words, its (header, rows))}.
TABLES = {
    "agreement": ("agreement-by-domain", agreement_sheet),
    "grade-changes": ("grades-before-and-after-moderation", grade_changes_sheet),
    "grade-moves": ("how-grades-moved", grade_moves_sheet),
    "auditors": ("by-auditor", lambda filters: group_sheet("Auditor", by_auditor(filters))),
    "teams": ("by-team", lambda filters: group_sheet("Team", by_team(filters))),
    "months": ("grades-changed-by-month", months_sheet),
}


def spreadsheet(table, filters):
    """(file name, header, rows) of one of TABLES, numbers as numbers, for services/spreadsheets.csv_file."""
    words, sheet = TABLES[table]
    name = f"calibration-{words}-{filters.first_month:%Y-%m}-to-{filters.last_month:%Y-%m}.csv"
    return name, *sheet(filters)

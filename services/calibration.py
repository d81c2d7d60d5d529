"""Calibration: how far moderators agree with auditors' grades, overall, by domain, auditor, team and month.

Every figure is added up from the tallies the database keeps as each moderation is submitted
(services/calibration_tallies.py), so a page costs the same four queries of a few hundred rows however many
moderations there are. Only submitted moderations count. A grade's step counts from Outstanding (0) to
Inadequate (3), so a change of moderated step minus auditor's step above 0 means the moderator graded lower:
the auditor had graded more generously."""

import datetime
from dataclasses import dataclass, field

from peewee import fn

from models import (
    GRADES,
    PAIR_COLUMNS,
    PRODUCT_COLUMNS,
    CalibrationGroup,
    CalibrationSpread,
    CalibrationTally,
    Team,
    TemplateDomain,
    User,
)
from services.audits import GRADE_ORDER, months_before
from services.kappa import KappaSums, weighted_kappa

FEW_MODERATIONS = 5  # below this, an auditor's or team's figures say little
LEANING = 0.5  # an average change of half a step or more, either way, is a pattern worth discussing
READINGS = {
    "few": "Fewer than 5 moderations: read with care",
    "generous": "Grades more generously than moderators",
    "severe": "Grades more severely than moderators",
}
OVERALL = "Overall judgement"


@dataclass(frozen=True)
class Filters:
    """Which moderations count: those of draws for the months from `first_month` to `last_month` (each the
    first day of its month, both included), of cases in a service area, of audits on a template."""

    first_month: datetime.date
    last_month: datetime.date
    service_area_id: int | None = None
    template_id: int | None = None


def twelve_months_to(last):
    """The first of the 12 months that end with the month `last`."""
    return months_before(last.replace(day=1), 11)


@dataclass(frozen=True)
class Share:
    """`count` of `total` grades (agreed, or changed)."""

    count: int
    total: int

    @property
    def percent(self):
        """A whole percentage, halves rounded up; None of nothing."""
        return (200 * self.count + self.total) // (2 * self.total) if self.total else None

    @property
    def exact_percent(self):
        """The percentage to one decimal place, for a spreadsheet."""
        return round(100 * self.count / self.total, 1) if self.total else None

    @property
    def text(self):
        """As people read it: "72% (130 of 180)"."""
        return f"{self.percent}% ({self.count} of {self.total})" if self.total else "None moderated"


@dataclass(frozen=True)
class Tally:
    """Grades moderated, how many the moderator left as they were, and the sum of the changes in steps."""

    grades: int = 0
    agreed: int = 0
    change: int = 0

    def __add__(self, other):
        return Tally(self.grades + other.grades, self.agreed + other.agreed, self.change + other.change)

    @property
    def agreement(self):
        return Share(self.agreed, self.grades)

    @property
    def changed(self):
        return Share(self.grades - self.agreed, self.grades)

    @property
    def average_change(self):
        """The average signed change in steps: above 0, moderators graded lower than the auditor."""
        return self.change / self.grades if self.grades else None

    @property
    def average_change_text(self):
        """As the page shows it: "+0.33"."""
        return "" if self.average_change is None else f"{self.average_change:+.2f}"


@dataclass(frozen=True)
class GroupRow:
    """An auditor's or a team's moderated audits and every grade in them."""

    name: str
    audits: int
    tally: Tally

    @property
    def reading(self):
        """What the figures suggest, if anything: a code of READINGS, or None."""
        average = self.tally.average_change
        if self.audits < FEW_MODERATIONS:
            return "few"
        if average is not None and average >= LEANING:
            return "generous"
        if average is not None and average <= -LEANING:
            return "severe"
        return None

    @property
    def reading_text(self):
        return READINGS.get(self.reading, "")


@dataclass(frozen=True)
class Attention:
    """Auditors' or teams' rows in the order they need attention: those marked as grading more generously or
    more severely than moderators, the largest leaning first; then the others with enough moderations to read;
    then those with too few, each by name."""

    marked: list
    others: list
    few: list

    @classmethod
    def of(cls, rows):
        marked = [row for row in rows if row.reading in ("generous", "severe")]
        marked.sort(key=lambda row: -abs(row.tally.average_change))
        return cls(marked, [row for row in rows if row.reading is None], [row for row in rows if row.reading == "few"])


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    overall: Tally  # the overall judgements: one an audit
    grades: Tally  # every grade: each domain's and the overall judgement


@dataclass(frozen=True)
class GradeChanges:
    """How many grades went from each auditor's grade (`counts` key's first) to each moderated grade."""

    HEADER = ("Auditor's grade", *(f"Moderated grade: {label}" for label in GRADES.values()), "Total")

    counts: dict = field(default_factory=dict)

    def cell(self, auditor_grade, moderated_grade):
        return self.counts.get((auditor_grade, moderated_grade), 0)

    def row_total(self, auditor_grade):
        return sum(self.cell(auditor_grade, grade) for grade in GRADE_ORDER)

    def column_total(self, moderated_grade):
        return sum(self.cell(grade, moderated_grade) for grade in GRADE_ORDER)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def agreement(self):
        return Share(sum(self.cell(grade, grade) for grade in GRADE_ORDER), self.total)

    def matrix(self):
        """The counts as a 4 × 4 list of lists: the auditor's grade down, the moderator's across, best first."""
        return [[self.cell(row, column) for column in GRADE_ORDER] for row in GRADE_ORDER]

    def moves(self):
        """(what happened, Share of all grades) for each size and direction of change."""
        by_change = {}
        for (auditor_grade, moderated_grade), count in self.counts.items():
            change = GRADE_ORDER.index(moderated_grade) - GRADE_ORDER.index(auditor_grade)
            key = max(-2, min(change, 2))
            by_change[key] = by_change.get(key, 0) + count
        labels = [
            (-1, "Moderated to a better grade by one step"),
            (-2, "Moderated to a better grade by two or more steps"),
            (1, "Moderated to a worse grade by one step"),
            (2, "Moderated to a worse grade by two or more steps"),
            (0, "Not changed"),
        ]
        return [(label, Share(by_change.get(key, 0), self.total)) for key, label in labels]


def chosen(model, filters):
    """The rows of a tally model (models.CalibrationTally, ...) that count for `filters`."""
    condition = model.month.between(filters.first_month, filters.last_month)
    if filters.service_area_id:
        condition &= model.service_area == filters.service_area_id
    if filters.template_id:
        condition &= model.template == filters.template_id
    return condition


def tally_of(counts):
    """The Tally of {(auditor's step, moderated step): count}."""
    grades = sum(counts.values())
    agreed = sum(count for (i, j), count in counts.items() if i == j)
    return Tally(grades, agreed, sum(count * (j - i) for (i, j), count in counts.items()))


def added(*counts):
    total = {}
    for one in counts:
        for pair, count in one.items():
            total[pair] = total.get(pair, 0) + count
    return total


@dataclass(frozen=True)
class GradeCounts:
    """The grades moderated by month drawn and part of the audit: {(month, part, domain name): {(auditor's step,
    moderated step): count}}, part 0 the overall judgement (its name None). One query, from which the grade
    changes, the domains and the months are all worked out."""

    rows: dict

    @classmethod
    def of(cls, filters):
        """Grouped in the order of the tally's index (month, template, part), so the database need not sort; the
        domains' names are looked up apart, for the few templates found."""
        key = (CalibrationTally.month, CalibrationTally.template, CalibrationTally.part)
        sums = [fn.SUM(getattr(CalibrationTally, column)) for column in PAIR_COLUMNS.values()]
        query = CalibrationTally.select(*key, *sums).where(chosen(CalibrationTally, filters)).group_by(*key).tuples()
        found = list(query)
        templates = list({template for _, template, _, *_ in found})
        domains = TemplateDomain.select(TemplateDomain.template, TemplateDomain.position, TemplateDomain.name)
        names = {(t, p): name for t, p, name in domains.where(TemplateDomain.template.in_(templates)).tuples()}
        rows = {}
        for month, template, part, *counts in found:
            key = (as_date(month), part, names.get((template, part)))
            pairs = {pair: int(count) for pair, count in zip(PAIR_COLUMNS, counts, strict=True) if count}
            rows[key] = added(rows.get(key, {}), pairs)
        return cls(rows)

    def changes(self):
        counts = added(*self.rows.values())
        return GradeChanges({(GRADE_ORDER[i], GRADE_ORDER[j]): count for (i, j), count in counts.items()})

    def domains(self):
        """(domain name, Tally) for each domain, by its place in the template, then the overall judgement."""
        by_part = {}
        for (_, part, name), counts in self.rows.items():
            by_part[(part, name)] = added(by_part.get((part, name), {}), counts)
        overall = tally_of(by_part.pop((0, None), {}))
        return [(name, tally_of(by_part[(part, name)])) for part, name in sorted(by_part)] + [(OVERALL, overall)]

    def months(self):
        """A MonthRow for each month drawn that has moderated audits, oldest first."""
        overall, every = {}, {}
        for (month, part, _), counts in self.rows.items():
            every[month] = added(every.get(month, {}), counts)
            if part == 0:
                overall[month] = added(overall.get(month, {}), counts)
        return [MonthRow(month, tally_of(overall.get(month, {})), tally_of(every[month])) for month in sorted(every)]


def kappa_sums(filters, changes):
    """KappaSums for `filters`: the totals from the grade changes, the products and audits from the spread."""
    sums = [fn.SUM(CalibrationSpread.audits)]
    sums += [fn.SUM(getattr(CalibrationSpread, column)) for column in PRODUCT_COLUMNS.values()]
    audits, *products = CalibrationSpread.select(*sums).where(chosen(CalibrationSpread, filters)).tuples().get()
    matrix = changes.matrix()
    steps = range(len(GRADE_ORDER))
    o = sum(matrix[i][j] * (len(GRADE_ORDER) - 1 - abs(i - j)) for i in steps for j in steps)
    totals = (o, *(sum(row) for row in matrix), *(sum(row[j] for row in matrix) for j in steps))
    return KappaSums(int(audits or 0), totals, tuple(int(product or 0) for product in products))


def group_rows(filters, model, column):
    """A GroupRow for each auditor (`model` User, `column` CalibrationGroup.auditor) or team (Team, .team) with a
    moderated audit, by name: added up before their names are joined, so the join reads a row for each."""
    sums = [fn.SUM(getattr(CalibrationGroup, name)).alias(name) for name in ("audits", "grades", "agreed", "change")]
    added_up = CalibrationGroup.select(column.alias("who"), *sums).where(chosen(CalibrationGroup, filters))
    added_up = added_up.group_by(column)
    query = model.select(model.name, *(getattr(added_up.c, name) for name in ("audits", "grades", "agreed", "change")))
    query = query.join(added_up, on=(added_up.c.who == model.id))
    rows = [
        GroupRow(name, int(audits), Tally(int(grades), int(agreed), int(change)))
        for name, audits, grades, agreed, change in query.tuples()
    ]
    return sorted(rows, key=lambda row: (row.name.casefold(), row.name))


def grade_changes(filters):
    """Every grade moderated, by the auditor's grade and the moderated grade."""
    return GradeCounts.of(filters).changes()


def by_domain(filters):
    return GradeCounts.of(filters).domains()


def by_month(filters):
    """The share of grades changed over time is the measure Bradford reports (seed 004 2.6.1)."""
    return GradeCounts.of(filters).months()


def by_auditor(filters):
    return group_rows(filters, User, CalibrationGroup.auditor)


def by_team(filters):
    """By the team holding the case when it was moderated."""
    return group_rows(filters, Team, CalibrationGroup.team)


def as_date(value):
    """A draw's month as a date: SQLite gives a grouped date column back as text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def figures(filters):
    """Everything the calibration page shows for `filters` (four queries, of the tallies)."""
    counts = GradeCounts.of(filters)
    changes = counts.changes()
    return {
        "changes": changes,
        "kappa": weighted_kappa(kappa_sums(filters, changes)),
        "domains": counts.domains(),
        "auditors": Attention.of(by_auditor(filters)),
        "teams": Attention.of(by_team(filters)),
        "months": counts.months(),
    }


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

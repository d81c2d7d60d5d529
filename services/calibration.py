"""Calibration: how far moderators agree with auditors' grades, overall, by domain, auditor, team and month.

Every figure is added up from the tallies the database keeps as each moderation is submitted
(services/calibration_tallies.py), so a page costs the same few queries of a few hundred rows however many
moderations there are. Only submitted moderations count. A grade's step counts from Outstanding (0) to
Inadequate (3), so a change of moderated step minus auditor's step above 0 means the moderator graded lower:
the auditor had graded more generously."""

import datetime
from dataclasses import dataclass, field

from peewee import fn

from models import (
    EVERY_AREA_KEYS,
    GRADES,
    PAIR_COLUMNS,
    PRODUCT_COLUMNS,
    CalibrationAuditor,
    CalibrationSpread,
    CalibrationTally,
    CalibrationTeam,
    GroupTally,
    ModerationDraw,
    Team,
    TemplateDomain,
    User,
    db,
)
from services.audits import GRADE_ORDER, months_before
from services.dates import months_from
from services.kappa import KappaSums, weighted_kappa
from services.pagination import numbered_page

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
        return reading_of(self.audits, self.tally.grades, self.tally.change)

    @property
    def reading_text(self):
        return READINGS.get(self.reading, "")


def rows_of(query):
    """A query's rows as the database driver gives them: the tallies' hundreds of rows of whole numbers need no
    converting, which would cost more than reading them."""
    return db.execute(query).fetchall()


def reading_of(audits, grades, change):
    """What an auditor's or team's figures suggest, if anything: a code of READINGS, or None."""
    if audits < FEW_MODERATIONS:
        return "few"
    if grades and change / grades >= LEANING:
        return "generous"
    if grades and change / grades <= -LEANING:
        return "severe"
    return None


@dataclass(frozen=True)
class Attention:
    """The auditors or teams marked as grading more generously or more severely than moderators, the largest
    leaning first; and how many others there are with enough moderations to read, and with too few."""

    marked: list
    others: int
    few: int

    @classmethod
    def of(cls, filters, kind):
        """Of `kind` ("auditors" or "teams"): every one's figures are added up and read, but only the marked
        are named, so the work beyond adding up does not grow with the number of people."""
        readings, sums = {}, {}
        for who, *added_up in rows_of(group_sums(filters, kind)):
            audits, grades, _, change = sums[who] = added_up
            readings.setdefault(reading_of(audits, grades, change), []).append(who)
        people = GROUPS[kind][0]
        marked = [*readings.get("generous", ()), *readings.get("severe", ())]
        # Asked for when none are marked too, so that the page's queries are the same.
        names = rows_of(people.select(people.id, people.name).where(people.id.in_(marked)))
        rows = as_rows((name, *sums[who]) for who, name in names)
        rows.sort(key=lambda row: (-abs(row.tally.average_change), row.name.casefold(), row.name))
        return cls(rows, len(readings.get(None, ())), len(readings.get("few", ())))


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
    """The rows of a tally model (models.CalibrationTally, ...) that count for `filters`: with no service area
    chosen, those kept for every service area together, where the model keeps them; of an auditor's or team's,
    a row for each twelve months of the period where it can (`spanned`)."""
    if issubclass(model, GroupTally):
        condition = spanned(model, filters.first_month, filters.last_month)
    else:
        condition = model.month.between(filters.first_month, filters.last_month)
    if filters.service_area_id:
        condition &= model.service_area == filters.service_area_id
    elif model in EVERY_AREA_KEYS:
        condition &= model.service_area.is_null()
    if filters.template_id:
        condition &= model.template == filters.template_id
    return condition


def spanned(model, first, last):
    """An auditor's or team's rows (models.GroupTally) for the months from `first` to `last`: the rows of the twelve
    months to `last`, to twelve months before it, and so on while whole twelve months remain, then a month's row
    for each month left at the start. Twelve months, the page's usual period, are a row for each person."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    twelves = [months_before(last, 12 * n) for n in range(months // 12)]
    condition = (model.span == 12) & model.month.in_(twelves) if twelves else None
    if months % 12:
        rest = (model.span == 1) & model.month.between(first, months_before(last, 12 * len(twelves)))
        condition = rest if condition is None else condition | rest
    return condition


PAIRS = list(PAIR_COLUMNS)  # (auditor's step, moderated step) of each count, in the tallies' order of columns
NONE_COUNTED = (0,) * len(PAIRS)


def tally_of(counts):
    """The Tally of the counts of each of PAIRS."""
    agreed = sum(count for (i, j), count in zip(PAIRS, counts, strict=True) if i == j)
    return Tally(sum(counts), agreed, sum(count * (j - i) for (i, j), count in zip(PAIRS, counts, strict=True)))


def added(*counts):
    """The counts of each of PAIRS, added up."""
    return tuple(map(sum, zip(NONE_COUNTED, *counts, strict=True)))


@dataclass(frozen=True)
class GradeCounts:
    """The grades moderated by month drawn and part of the audit: {(month, part, domain name): the counts of each
    of PAIRS}, part 0 the overall judgement (its name None). One query of the tallies, from which the grade changes,
    the domains and the months are all worked out, and one of the first and last months drawn, for the trend's."""

    rows: dict
    first_month: datetime.date = None  # the months a trend shows: the period's, of those any audits were drawn in
    last_month: datetime.date = None

    @classmethod
    def of(cls, filters):
        """One row for each month, template and part, as the rows chosen are those of one service area or those
        of every service area together. The domains' names are looked up apart, for the few templates found."""
        key = (CalibrationTally.month, CalibrationTally.template, CalibrationTally.part)
        counts = [getattr(CalibrationTally, column) for column in PAIR_COLUMNS.values()]
        found = rows_of(CalibrationTally.select(*key, *counts).where(chosen(CalibrationTally, filters)))
        templates = list({template for _, template, *_ in found})
        domains = TemplateDomain.select(TemplateDomain.template, TemplateDomain.position, TemplateDomain.name)
        names = {(t, p): name for t, p, name in domains.where(TemplateDomain.template.in_(templates)).tuples()}
        rows = {}
        for month, template, part, *counted in found:
            key = (as_date(month), part, names.get((template, part)))
            rows[key] = added(rows[key], counted) if key in rows else tuple(counted)
        drawn = ModerationDraw.select(fn.MIN(ModerationDraw.month), fn.MAX(ModerationDraw.month)).tuples().get()
        if drawn[0] is None:
            return cls(rows)
        return cls(rows, max(filters.first_month, as_date(drawn[0])), min(filters.last_month, as_date(drawn[1])))

    def changes(self):
        counts = added(*self.rows.values())
        return GradeChanges({(GRADE_ORDER[i], GRADE_ORDER[j]): n for (i, j), n in zip(PAIRS, counts, strict=True) if n})

    def domains(self):
        """(domain name, Tally) for each domain, by its place in the template, then the overall judgement."""
        by_part = {}
        for (_, part, name), counts in self.rows.items():
            by_part.setdefault((part, name), []).append(counts)
        overall = tally_of(added(*by_part.pop((0, None), ())))
        return [(name, tally_of(added(*by_part[part, name]))) for part, name in sorted(by_part)] + [(OVERALL, overall)]

    def months(self):
        """A MonthRow for each month of the period that any audits were drawn in, oldest first, as the dashboard
        shows every month of its period: one with none moderated has no grades, a gap in a trend."""
        overall, every = {}, {}
        for (month, part, _), counts in self.rows.items():
            every.setdefault(month, []).append(counts)
            if part == 0:
                overall.setdefault(month, []).append(counts)
        if self.first_month is None:
            return []
        return [
            MonthRow(month, tally_of(added(*overall.get(month, ()))), tally_of(added(*every.get(month, ()))))
            for month in months_from(self.first_month, self.last_month)
        ]


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


# Whom each kind of group is: (the model of their names, the tally model, its column naming them).
GROUPS = {
    "auditors": (User, CalibrationAuditor, CalibrationAuditor.auditor),
    "teams": (Team, CalibrationTeam, CalibrationTeam.team),
}
SUMS = ("audits", "grades", "agreed", "change")


def group_sums(filters, kind):
    """The figures of every auditor or team (`kind`) with a moderated audit, each added up: (who, *SUMS)."""
    _, model, column = GROUPS[kind]
    sums = [fn.SUM(getattr(model, name)).alias(name) for name in SUMS]
    return model.select(column.alias("who"), *sums).where(chosen(model, filters)).group_by(column)


def named(filters, kind):
    """Each auditor's or team's (`kind`) name with their figures added up, by name: they are added up before the
    names are joined, so the join reads a row for each. Sorted here, not by the database: they are as many as a
    council's staff, not its records."""
    people = GROUPS[kind][0]
    added_up = group_sums(filters, kind)
    query = people.select(people.name, *(getattr(added_up.c, name) for name in SUMS))
    query = query.join(added_up, on=(added_up.c.who == people.id))
    return sorted(rows_of(query), key=lambda row: (row[0].casefold(), row[0]))


def as_rows(rows):
    return [
        GroupRow(name, int(audits), Tally(int(grades), int(agreed), int(change)))
        for name, audits, grades, agreed, change in rows
    ]


def group_rows(filters, kind):
    """A GroupRow for each auditor or team (`kind`) with a moderated audit, by name."""
    return as_rows(named(filters, kind))


def group_page(filters, kind, number):
    """Page `number` of every auditor or team (`kind`) with a moderated audit, by name."""
    rows = named(filters, kind)
    page = numbered_page(rows, number)
    page.items = as_rows(page.items)
    return page


def grade_changes(filters):
    """Every grade moderated, by the auditor's grade and the moderated grade."""
    return GradeCounts.of(filters).changes()


def by_domain(filters):
    return GradeCounts.of(filters).domains()


def by_month(filters):
    """The share of grades changed over time is the measure Bradford reports (seed 004 2.6.1)."""
    return GradeCounts.of(filters).months()


def by_auditor(filters):
    return group_rows(filters, "auditors")


def by_team(filters):
    """By the team holding the case when it was moderated."""
    return group_rows(filters, "teams")


def as_date(value):
    """A draw's month as a date: SQLite gives a grouped date column back as text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def figures(filters):
    """Everything the calibration page shows for `filters` (eight queries, of the tallies and the months drawn)."""
    counts = GradeCounts.of(filters)
    changes = counts.changes()
    return {
        "changes": changes,
        "kappa": weighted_kappa(kappa_sums(filters, changes)),
        "domains": counts.domains(),
        "auditors": Attention.of(filters, "auditors"),
        "teams": Attention.of(filters, "teams"),
        "months": counts.months(),
    }

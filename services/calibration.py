"""Calibration: how far moderators agree with auditors' grades, overall, by domain, auditor, team and month.

Every figure is counted by the database (GROUP BY, COUNT, SUM), so a page costs the same few queries however
many moderations there are. Only submitted moderations count. A grade's step counts from Outstanding (0) to
Inadequate (3), so a change of moderated step minus auditor's step above 0 means the moderator graded lower:
the auditor had graded more generously."""

import datetime
from dataclasses import dataclass, field

from peewee import SQL, fn
from peewee import Case as When

from models import GRADES, Audit, Case, DomainModeration, Moderation, ModerationDraw, Team, TemplateDomain, User
from services.audits import GRADE_ORDER, months_before
from services.kappa import weighted_kappa

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


@dataclass(frozen=True)
class Source:
    """One kind of grade moderated (each domain's, or the overall judgement), joined to its audit, case, team,
    auditor and draw, and filtered; with its two grade columns."""

    query: object
    auditor_grade: object
    grade: object


def sources(filters):
    """The domains' grades and the overall judgements that count for `filters`."""
    found = []
    for model in (DomainModeration, Moderation):
        query = model.select()
        if model is DomainModeration:
            query = query.join(TemplateDomain).switch(DomainModeration).join(Moderation)
        query = (
            query.join(ModerationDraw)
            .switch(Moderation)
            .join(Audit)
            .join(Case)
            .join(Team)
            .switch(Audit)
            .join(User, on=(Audit.auditor == User.id))
        )
        conditions = [
            Moderation.status == "submitted",
            ModerationDraw.month.between(filters.first_month, filters.last_month),
            model.auditor_grade.in_(GRADE_ORDER),
            model.grade.in_(GRADE_ORDER),
        ]
        if filters.service_area_id:
            conditions.append(Team.service_area == filters.service_area_id)
        if filters.template_id:
            conditions.append(Audit.template == filters.template_id)
        found.append(Source(query.where(*conditions), model.auditor_grade, model.grade))
    return found


def step(column):
    """A grade's step, 0 for Outstanding to 3 for Inadequate. The numbers are literals, not parameters:
    PostgreSQL would take parameters of unknown type as text, and text cannot be subtracted."""
    return When(column, [(code, SQL(str(number))) for number, code in enumerate(GRADE_ORDER)])


def tallies(source, *group):
    """{group values: Tally} for one source, grouped by the columns in `group` (one query)."""
    agreed = fn.SUM(When(None, [(source.grade == source.auditor_grade, SQL("1"))], SQL("0")))
    change = fn.SUM(step(source.grade) - step(source.auditor_grade))
    query = source.query.select(*group, fn.COUNT(SQL("*")), agreed, change).group_by(*group).tuples()
    return {tuple(row[: len(group)]): Tally(int(row[-3]), int(row[-2] or 0), int(row[-1] or 0)) for row in query}


def both(filters, *group):
    """{group values: (Tally of the domains' grades, Tally of the overall judgements)}: two queries."""
    domains, overall = (tallies(source, *group) for source in sources(filters))
    return {key: (domains.get(key, Tally()), overall.get(key, Tally())) for key in domains.keys() | overall.keys()}


def grade_changes(filters):
    """Every grade moderated, by the auditor's grade and the moderated grade."""
    counts = {}
    for source in sources(filters):
        for (auditor_grade, grade), tally in tallies(source, source.auditor_grade, source.grade).items():
            counts[(auditor_grade, grade)] = counts.get((auditor_grade, grade), 0) + tally.grades
    return GradeChanges(counts)


def by_domain(filters):
    """(domain name, Tally) for each domain, by its place in the template, then the overall judgement."""
    domain_source, overall_source = sources(filters)
    domains = tallies(domain_source, TemplateDomain.position, TemplateDomain.name)
    overall = tallies(overall_source).get((), Tally())
    return [(name, domains[(position, name)]) for position, name in sorted(domains)] + [(OVERALL, overall)]


def by_auditor(filters):
    """A GroupRow for each auditor with a moderated audit, by name."""
    return group_rows(both(filters, User.id, User.name))


def by_team(filters):
    """A GroupRow for each team holding a case whose audit was moderated, by name."""
    return group_rows(both(filters, Team.id, Team.name))


def group_rows(found):
    rows = [GroupRow(name, overall.grades, domains + overall) for (_, name), (domains, overall) in found.items()]
    return sorted(rows, key=lambda row: (row.name.casefold(), row.name))


def by_month(filters):
    """A MonthRow for each month drawn that has moderated audits, oldest first: the share of grades changed
    over time is the measure Bradford reports (seed 004 2.6.1)."""
    found = both(filters, ModerationDraw.month)
    return [
        MonthRow(as_date(month), overall, domains + overall) for (month,), (domains, overall) in sorted(found.items())
    ]


def as_date(value):
    """A draw's month as a date: SQLite gives a grouped date column back as text."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)[:10])


def figures(filters):
    """Everything the calibration page shows for `filters` (ten queries)."""
    changes = grade_changes(filters)
    return {
        "changes": changes,
        # Over every grade, as the agreement is. An audit's grades are not independent of each other, so the
        # interval, which assumes they are, is if anything narrower than it should be.
        "kappa": weighted_kappa(changes.matrix()),
        "domains": by_domain(filters),
        "auditors": by_auditor(filters),
        "teams": by_team(filters),
        "months": by_month(filters),
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

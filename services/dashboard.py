"""The dashboard (PRODUCT.md workflow 7): audits allocated, submitted, on time and overdue by month; final grades
overall, by domain, team and service area and over time; moderation; actions; Immediate Responses; families'
feedback, for a period of months allocated, a service area, team, type of audit and template.

What can only grow (audits, grades, actions closed, feedback) is added up from the tallies the database keeps
(services/dashboard_tallies.py); what is true only today (overdue audits and actions, Immediate Responses open) is
counted from the few records still open (services/dashboard_today.py). So a page costs the same few queries however
many years there are."""

import datetime
import functools
from dataclasses import dataclass, field

from models import (
    GRADES,
    DashboardTally,
    FamilyFeedback,
    ServiceArea,
    Team,
    TemplateDomain,
    db,
)
from services import dashboard_today
from services.calibration import Share, as_date
from services.dashboard_tallies import GRADE_COLUMNS, REASON_COLUMNS
from services.dates import months_from

OVERALL = "Overall judgement"
FEW = 5  # fewer grades than this say little: the page says so


@dataclass(frozen=True)
class Filters:
    """Which audits count: those allocated in the months from `first_month` to `last_month` (each the first day of
    its month, both included), of cases held by a team of a service area, or by one team, of a type, on a template."""

    first_month: datetime.date
    last_month: datetime.date
    service_area_id: int | None = None
    team_id: int | None = None
    audit_type: str | None = None
    template_id: int | None = None

    def months(self):
        """Every month of the period, oldest first."""
        return months_from(self.first_month, self.last_month)


@dataclass(frozen=True)
class Grades:
    """How many final grades there were of each grade, best first."""

    counts: tuple = (0,) * len(GRADES)

    def __add__(self, other):
        return Grades(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))

    # Worked out once each: a chart asks them of every month's grades for each of its lines.
    @functools.cached_property
    def total(self):
        return sum(self.counts)

    @functools.cached_property
    def shares(self):
        return tuple(Share(count, self.total) for count in self.counts)

    @property
    def good_or_better(self):
        return Share(self.counts[0] + self.counts[1], self.total)

    @property
    def below_good(self):
        return Share(self.counts[2] + self.counts[3], self.total)

    @property
    def is_few(self):
        return 0 < self.total < FEW


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    allocated: int = 0
    cancelled: int = 0
    submitted: int = 0
    on_time: int = 0
    overdue: int = 0  # open and past due today
    grades: Grades = Grades()  # the overall judgements


@dataclass(frozen=True)
class GroupRow:
    """A team's or a service area's audits and overall judgements."""

    id: int
    name: str
    allocated: int
    submitted: int
    on_time: int
    grades: Grades


@dataclass(frozen=True)
class Moderation:
    audits: int = 0  # moderated
    audits_changed: int = 0  # whose overall judgement the moderator changed
    grades: int = 0  # every grade moderated: each domain's and the overall judgement
    changed: int = 0

    @property
    def agreement(self):
        return Share(self.grades - self.changed, self.grades)

    @property
    def changed_share(self):
        return Share(self.changed, self.grades)


@dataclass(frozen=True)
class Actions:
    sent: int = 0
    closed: int = 0
    completed: int = 0
    on_time: int = 0
    overdue: int = 0  # with the team manager past their deadline today

    @property
    def open(self):
        return self.sent - self.closed

    @property
    def on_time_share(self):
        return Share(self.on_time, self.completed)


@dataclass(frozen=True)
class Family:
    gathered: int = 0
    not_gathered: dict = field(default_factory=dict)  # {reason code: how many}

    @property
    def not_gathered_total(self):
        return sum(self.not_gathered.values())

    @property
    def asked(self):
        return self.gathered + self.not_gathered_total

    @property
    def gathered_share(self):
        return Share(self.gathered, self.asked)

    def reasons(self):
        """(reason, Share of those not gathered) for each reason, most first."""
        rows = [(FamilyFeedback.NOT_GATHERED[code], Share(count, self.not_gathered_total))
                for code, count in self.not_gathered.items()]  # fmt: skip
        return sorted(rows, key=lambda row: -row[1].count)


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    months: list
    domains: list  # (part, name, Grades), by position in the template, then the overall judgement (part 0)
    places: list  # GroupRow of each service area or, with one or a team chosen, of each team, by name
    teams: dict  # {team id: (its name, its service area's id)}, of every team
    moderation: Moderation
    actions: Actions
    responses: dashboard_today.Responses
    family: Family

    @property
    def overall(self):
        return self.domains[-1][2]

    @property
    def places_are_teams(self):
        return bool(self.filters.service_area_id or self.filters.team_id)


COUNTS = [column for column in DashboardTally._meta.sorted_field_names if column not in
          ("id", "month", "template", "audit_type", "service_area", "team", "part")]  # fmt: skip
GRADE_FIELDS = list(GRADE_COLUMNS.values())


GROUP_COUNTS = ["audits", "submitted", "on_time", *GRADE_FIELDS]  # what a team's or service area's row shows
MONTH_COUNTS = ["audits", "cancelled", "submitted", "on_time", *GRADE_FIELDS]  # what a month's row shows
ACTION_COUNTS = ["actions_sent", "actions_closed", "actions_completed", "actions_on_time"]


def summed(keys, columns, conditions, table="dashboard_tally"):
    """Rows of the `keys` columns and the sums of the `columns` of the tally's rows (or those of the tally `table`)
    meeting `conditions` ((column, operator, value) each; operator "IN" with a list of values), grouped by the keys.
    Written out as SQL: peewee takes longer to put two dozen sums together than the database takes to add up the few
    hundred rows."""
    where = " AND ".join(f"{column} {operator} {parameter_marks(value)}" for column, operator, value in conditions)
    selected = ", ".join([*keys, *(f"SUM({column})" for column in columns)])
    grouped = f" GROUP BY {', '.join(keys)}" if keys else ""
    sql = f"SELECT {selected} FROM {table} WHERE {where}{grouped}"  # noqa: S608 - only the code's own names
    params = [one for *_, value in conditions for one in (value if isinstance(value, list) else [value])]
    return db.execute_sql(sql, params).fetchall()


def parameter_marks(value):
    """The parameter, or for a list the parenthesised parameters (NULL for none: a list of nothing matches none)."""
    if isinstance(value, list):
        return f"({', '.join([db.param] * len(value)) or 'NULL'})"
    return db.param


def chosen(filters):
    """The conditions on the tally's rows for the filters' months, type and template."""
    conditions = [("month", ">=", filters.first_month), ("month", "<=", filters.last_month)]
    if filters.template_id:
        conditions.append(("template", "=", filters.template_id))
    if filters.audit_type:
        conditions.append(("audit_type", "=", filters.audit_type))
    return conditions


def scope(filters, teams):
    """The conditions choosing the rows kept for the one team, the one service area or every service area chosen.
    A team outside the service area chosen has no rows."""
    if filters.team_id:
        area = teams.get(filters.team_id, (None, None))[1]
        wanted = filters.service_area_id or area
        return [("service_area", "=", wanted if wanted == area else -1), ("team", "=", filters.team_id)]
    return [("service_area", "=", filters.service_area_id or 0), ("team", "=", 0)]


def as_counts(row):
    """{column: count} of a row of sums (None, where nothing was added, as 0)."""
    return {column: value or 0 for column, value in zip(COUNTS, row, strict=True)}


def grades_of(counts):
    return Grades(tuple(counts[column] for column in GRADE_FIELDS))


def figures(filters, today):
    """Every figure of the dashboard for `filters`, as things stand `today`: nine queries, whatever the period."""
    teams = team_areas()
    area_names = dict(ServiceArea.select(ServiceArea.id, ServiceArea.name).tuples())
    conditions = [*scope(filters, teams), *chosen(filters)]
    # `+ 0` keeps the index of every scope's part 0 out: the scope's own rows of the months, read from the tally's
    # key, are the same few however many teams have audits then.
    rows = summed(["month"], MONTH_COUNTS, [*conditions, ("part + 0", "=", 0)])
    by_month = {as_date(month): values for month, *values in rows}
    rows = summed(["template", "part"], COUNTS, conditions)
    by_part = {(template, part): as_counts(values) for template, part, *values in rows}
    overdue = dashboard_today.overdue_by_month(filters, today)
    months = [month_row(month, by_month.get(month), overdue.get(month, 0)) for month in filters.months()]
    overall = [counts for (_, part), counts in by_part.items() if part == 0]

    def total(column, parts=overall):
        return sum(counts[column] for counts in parts)

    return Dashboard(
        filters=filters,
        months=months,
        domains=domains_of(by_part),
        places=places(filters, teams, area_names),
        teams=teams,
        moderation=Moderation(
            total("moderated"),
            total("changed"),
            total("moderated", by_part.values()),
            total("changed", by_part.values()),
        ),
        actions=Actions(*map(total, ACTION_COUNTS), dashboard_today.overdue_actions(filters, today)),
        responses=dashboard_today.responses_of(filters, today),
        family=Family(total("family_gathered"), {code: total(column) for code, column in REASON_COLUMNS.items()}),
    )


def team_areas():
    """{team id: (its name, its service area's id)} of every team: as many as a council has."""
    rows = Team.select(Team.id, Team.name, Team.service_area).tuples()
    return {team_id: (name, area) for team_id, name, area in rows}


def domain_names(templates):
    """{(template id, position): name} of the domains of `templates`."""
    domains = TemplateDomain.select(TemplateDomain.template, TemplateDomain.position, TemplateDomain.name)
    return {(t, p): name for t, p, name in domains.where(TemplateDomain.template.in_(list(templates))).tuples()}


def month_row(month, values, overdue):
    """The month's row, from its sums of MONTH_COUNTS (None if it has none)."""
    if values is None:
        return MonthRow(month, overdue=overdue)
    allocated, cancelled, submitted, on_time, *grades = (value or 0 for value in values)
    return MonthRow(month, allocated, cancelled, submitted, on_time, overdue, Grades(tuple(grades)))


def domains_of(by_part):
    """(part, name, Grades) for each domain by its place in the template, then the overall judgement (part 0): a
    domain of the same name in two templates is one, at the first place it has."""
    names = domain_names({template for template, _ in by_part})
    grouped, first = {}, {}
    for (template, part), counts in sorted(by_part.items(), key=lambda item: item[0][1]):
        name = OVERALL if part == 0 else names.get((template, part), f"Domain {part}")
        first.setdefault(name, part)
        grouped[name] = grouped.get(name, Grades()) + grades_of(counts)
    overall = grouped.pop(OVERALL, Grades())
    domains = sorted((first[name], name, grades) for name, grades in grouped.items())
    return domains + [(0, OVERALL, overall)]


def places(filters, teams, area_names):
    """A row for every service area or, with a service area or a team chosen, for every team of it (or the team),
    those with no audits too, so that a page is the same shape however many audits there are; by name. One query,
    of the rows kept for each service area, or for each team."""
    conditions = [("part", "=", 0), *chosen(filters)]
    if not (filters.service_area_id or filters.team_id):
        found = summed(["service_area"], GROUP_COUNTS, [*conditions, ("team", "=", 0), ("service_area", "<>", 0)])
        counted = {area: values for area, *values in found}
        rows = [group_row(area, name, counted.get(area)) for area, name in area_names.items()]
        return sorted(rows, key=lambda row: row.name)
    in_scope = [
        team_id
        for team_id, (_, area) in teams.items()
        if filters.team_id in (None, team_id) and filters.service_area_id in (None, area)
    ]
    # Each team's own rows of the months, read from the tally's key (service area, team, month): `+ 0` keeps the
    # index of every scope's part 0 out, which would read every team's rows of the period to keep a few.
    area = scope(filters, teams)[0] if filters.team_id else ("service_area", "=", filters.service_area_id)
    conditions = [("part + 0", "=", 0), *chosen(filters), area, ("team", "IN", in_scope)]
    counted = {team: values for team, *values in summed(["team"], GROUP_COUNTS, conditions)}
    return sorted((group_row(team, teams[team][0], counted.get(team)) for team in in_scope), key=lambda row: row.name)


def group_row(group_id, name, values):
    """A team's or a service area's row, from its sums of GROUP_COUNTS (None if it has none)."""
    audits, submitted, on_time, *grades = (value or 0 for value in values or [0] * len(GROUP_COUNTS))
    return GroupRow(group_id, name, audits, submitted, on_time, Grades(tuple(grades)))

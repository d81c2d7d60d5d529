"""The auditor pool for the month's audit plan: who can be given the month's audits, how many each, and which
cases the rules keep them from.

Each auditor audits a number of cases a month by their job role (seed 000 s.5: Heads of Service 2, Service
Delivery Managers 4, Team Managers 4, IROs 1, the Chief Officer 1), unless their own number is set; none in a month
they are away. Nobody audits a case of a team they work in or manage (seed 003 s.4; seed 004 2.3.1); Heads of
Service and Service Delivery Managers audit cases "from a different area" (seed 000 s.5.2-5.3), unless that is
set otherwise for them. The month's sample is the sum of the available auditors' numbers (seed 002 s.7)."""

from dataclasses import dataclass

from peewee import JOIN

from models import AuditorAway, ServiceArea, Team, User, UserRole
from services import records
from services.audit_plan import Auditor
from services.audits import months_before
from services.dates import month_code

# Audits a month by job role (seed 000 s.5, s.12); a job role not named here audits none unless set.
USUAL_QUOTAS = {
    "Chief Officer": 1,
    "Director": 1,
    "Head of Service": 2,
    "Service Manager": 4,
    "Service Delivery Manager": 4,
    "Team Manager": 4,
    "Practice Supervisor": 2,
    "IRO": 1,
    "CP Chair": 1,
}
MOST_A_MONTH = 20  # more than anyone could audit well in a month: a number above it is a typing slip
MONTHS_AHEAD = 12  # the months whose absences the pool page sets, from this one
# Those who audit cases from a service area other than their own (seed 000 s.5.2-5.3).
USUALLY_KEPT_FROM_OWN_AREA = {"Head of Service", "Service Manager", "Service Delivery Manager"}


def quota_of(job_role, monthly_quota):
    """How many audits a month: the person's own number if set, else their job role's usual."""
    return USUAL_QUOTAS.get(job_role, 0) if monthly_quota is None else monthly_quota


def kept_from_own_area(job_role, setting):
    return job_role in USUALLY_KEPT_FROM_OWN_AREA if setting is None else setting


@dataclass(frozen=True)
class Member:
    """An auditor of the pool in a month, as the pool page shows them."""

    user_id: int
    name: str
    job_role: str
    quota: int
    quota_is_usual: bool
    away: bool
    auditor: Auditor  # what the rules need to know of them

    @property
    def available(self):
        return not self.away and self.quota > 0


def pool(month):
    """Every active auditor in `month` (its first day), by name (four queries, however many there are)."""
    rows = list(
        User.select(
            User.id, User.name, User.job_role, User.monthly_quota, User.kept_from_own_area, User.team, Team.service_area
        )
        .join(UserRole)
        .switch(User)
        .join(Team, join_type=JOIN.LEFT_OUTER, on=(User.team == Team.id))
        .where((UserRole.role == "auditor") & User.active)
        .order_by(User.name, User.id)
        .tuples()
    )
    managed, headed = {}, {}
    for team_id, manager_id in Team.select(Team.id, Team.manager).where(Team.manager.is_null(False)).tuples():
        managed.setdefault(manager_id, set()).add(team_id)
    query = ServiceArea.select(ServiceArea.id, ServiceArea.head_of_service).where(
        ServiceArea.head_of_service.is_null(False)
    )
    for area_id, head_id in query.order_by(ServiceArea.id).tuples():
        headed.setdefault(head_id, area_id)
    away = {user_id for (user_id,) in AuditorAway.select(AuditorAway.user).where(AuditorAway.month == month).tuples()}
    members = []
    for user_id, name, job_role, monthly_quota, own_area_setting, team_id, team_area in rows:
        quota = quota_of(job_role, monthly_quota)
        teams = frozenset({team_id} if team_id else set()) | managed.get(user_id, set())
        area = team_area or headed.get(user_id)
        rules = Auditor(user_id, quota, teams, area, kept_from_own_area(job_role, own_area_setting))
        members.append(Member(user_id, name, job_role, quota, monthly_quota is None, user_id in away, rules))
    return members


def available(month):
    """What the rules need to know of each auditor available in `month`: not away, with a quota."""
    return [member.auditor for member in pool(month) if member.available]


def sample_size(members):
    """The month's sample as the auditors available can take it: the sum of their quotas (seed 002 s.7)."""
    return sum(member.quota for member in members if member.available)


def summary(members):
    """What the pool page says of a month's pool: how many are available, how many away, and the sample."""
    return {
        "available": sum(member.available for member in members),
        "away": sum(member.away for member in members),
        "sample_size": sample_size(members),
    }


def months_ahead(today):
    """The months whose absences can be set: this one and the next MONTHS_AHEAD - 1 (first days)."""
    return [months_before(today.replace(day=1), -count) for count in range(MONTHS_AHEAD)]


def members():
    """The accounts of the active auditors, whose part in the pool can be changed."""
    return User.select().join(UserRole).where((UserRole.role == "auditor") & User.active)


def away_in(user, months):
    """Which of `months` (first days) the user is away."""
    rows = AuditorAway.select(AuditorAway.month).where((AuditorAway.user == user) & AuditorAway.month.in_(months))
    return {month for (month,) in rows.tuples()}


def months_away(user, months):
    """Which of `months` the user is away, as the codes a form shows them (2027-01)."""
    return [month_code(month) for month in sorted(away_in(user, months))]


def save(actor, user, expected_version, monthly_quota, kept_from_own_area, away, months):
    """Set the user's number of audits a month and own-area rule (None: their job role's usual), and which of
    `months` they are away (`away`: codes like 2027-01), in one transaction with the event log, if nobody
    changed them since `expected_version` (records.update)."""
    wanted = {month for month in months if month_code(month) in away}

    def away_changed(record):
        current = away_in(record, months)
        if current == wanted:
            return []
        AuditorAway.delete().where((AuditorAway.user == record) & AuditorAway.month.in_(current - wanted)).execute()
        if wanted - current:
            AuditorAway.insert_many([{"user": record, "month": month} for month in sorted(wanted - current)]).execute()
        return ["months away"]

    return records.update(
        actor,
        user,
        expected_version,
        links=away_changed,
        monthly_quota=monthly_quota,
        kept_from_own_area=kept_from_own_area,
    )

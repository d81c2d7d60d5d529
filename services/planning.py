"""The month's audit plan as the service keeps it (PRODUCT.md, workflow 5): a QA officer draws the month's cases
and shares them among the auditor pool by the rules of services/audit_plan.py, changes any pairing the rules
allow, and confirms, which creates every audit at once and tells each auditor theirs.

A plan is a draft until it is confirmed: drawing again replaces its cases. Every change to it is version-checked,
so two QA officers (or two clicks) cannot confirm a month twice nor change a plan under each other."""

import datetime
import json
import secrets
from collections import Counter
from dataclasses import dataclass

from peewee import JOIN, IntegrityError, chunked, fn
from peewee import Case as When

from models import (
    LARGEST_INTEGER,
    Audit,
    AuditPlan,
    AuditTemplate,
    Case,
    CaseFlag,
    Event,
    PlannedAudit,
    ServiceArea,
    StaleRecord,
    Team,
    User,
    db,
)
from services import audit_plan, auditor_pool, dashboard_tallies, notices
from services.audits import default_period, months_before
from services.dates import long_date, month_name, uk_today
from services.errors import RuleBroken
from services.working_days import AUDIT_WORKING_DAYS, add_working_days

LARGEST_SAMPLE = 2000  # more than a council audits in a month: a larger number is a typing slip
LONGEST_WINDOW = 36  # months
# Why a drawn case has no audit: the rules and quotas left it without an auditor (audit_plan.UNPLACED), or, when
# the plan was confirmed, it had closed or been given an audit since the draw.
NOT_CREATED = audit_plan.UNPLACED | {
    "closed": "The case closed after the draw",
    "open-audit": "The case was given an audit after the draw",
}


@dataclass(frozen=True)
class Settings:
    """What a QA officer chooses before drawing a month."""

    size: int
    equal: bool = False
    window_months: int = 12
    flag_id: int | None = None
    audit_type: str = "monthly"


def of_month(month):
    return AuditPlan.get_or_none(AuditPlan.month == month)


def of_months(months):
    """The plans of `months` ({month: AuditPlan})."""
    return {plan.month: plan for plan in AuditPlan.select().where(AuditPlan.month.in_(months))}


def first_month(today):
    """The earliest month that can be planned: this one."""
    return today.replace(day=1)


def candidates(flag_id=None):
    """Every case (of the theme's flag, if given) as the draw sees it: its service area and team, whether it is
    open, whether it has an audit not yet submitted, and when its latest audit was allocated. One query."""
    # A cancelled audit counts for nothing: the case may be drawn as if it had never been allocated.
    open_audits = fn.SUM(When(None, [(Audit.id.is_null(False) & Audit.submitted_at.is_null(), 1)], 0))
    query = (
        Case.select(Case.id, Team.service_area, Case.team, Case.is_open, open_audits, fn.MAX(Audit.allocated_at))
        .join(Team)
        .switch(Case)
        .join(
            Audit,
            JOIN.LEFT_OUTER,
            on=(Audit.case == Case.id) & Audit.exercise.is_null() & (Audit.status != "cancelled"),
        )
        .group_by(Case.id, Team.service_area, Case.team, Case.is_open)
    )
    if flag_id:
        query = query.where(Case.id.in_(CaseFlag.select(CaseFlag.case).where(CaseFlag.flag == flag_id)))
    return [
        audit_plan.Candidate(case_id, area_id, team_id, bool(is_open), bool(open_count), as_date(latest))
        for case_id, area_id, team_id, is_open, open_count, latest in query.tuples()
    ]


def as_date(value):
    """A time read through an aggregate as a date (SQLite gives it back as text), or None."""
    if value is None or isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    return (datetime.datetime.fromisoformat(value) if isinstance(value, str) else value).date()


def draw(actor, month, settings, expected_version, now, seed=None):
    """Draw `month`'s cases by `settings` and share them among its available auditors: a new draft plan, or the
    draft drawn again (if nobody changed it since `expected_version`). One transaction with its event. Returns the
    AuditPlan, or RuleBroken saying why not."""
    if month < first_month(uk_today(now)):
        raise RuleBroken(f"{month_name(month)} has passed. Choose this month or a later one.", "month")
    seed = secrets.randbelow(LARGEST_INTEGER) if seed is None else seed
    cases = {candidate.case_id: candidate for candidate in candidates(settings.flag_id)}
    since = months_before(month, settings.window_months)
    drawn = audit_plan.draw(cases.values(), settings.size, seed, since, settings.equal)
    picked = [(case_id, cases[case_id].team_id, area_id) for case_id, area_id in drawn.picked.items()]
    allocation = audit_plan.allocate(picked, auditor_pool.available(month), seed)
    strata = Counter(c.service_area_id for c in cases.values() if not audit_plan.left_out(c, since))
    values = {
        AuditPlan.seed: seed,
        AuditPlan.rule_version: audit_plan.RULE_VERSION,
        AuditPlan.size: settings.size,
        AuditPlan.equal: settings.equal,
        AuditPlan.window_months: settings.window_months,
        AuditPlan.flag: settings.flag_id,
        AuditPlan.audit_type: settings.audit_type,
        AuditPlan.counts: json.dumps({"left_out": drawn.left_out, "strata": strata}),
        AuditPlan.drawn_by: actor,
        AuditPlan.drawn_at: now,
    }
    with db.atomic():
        plan = of_month(month)
        if plan is None:
            try:
                with db.atomic():  # a savepoint: another QA officer may draw the month at the same moment
                    plan = AuditPlan.create(month=month, **{field.name: value for field, value in values.items()})
            except IntegrityError as error:
                raise RuleBroken(f"{month_name(month)} was drawn by someone else at the same moment.") from error
            Event.record(actor, "created", plan, [field.name for field in values])
        else:
            refuse_unless_draft(plan, expected_version, values)
            PlannedAudit.delete().where(PlannedAudit.plan == plan).execute()
            Event.record(actor, "changed", plan, ["drawn again", *(field.name for field in values)])
        # Those left without an auditor first, so that the plan's first page shows them.
        rows = [
            {
                "plan": plan,
                "case": case_id,
                "service_area": area_id,
                "auditor": allocation.auditors.get(case_id),
                "unplaced": allocation.unplaced.get(case_id, ""),
            }
            for case_id, _, area_id in sorted(picked, key=lambda row: (row[0] in allocation.auditors, row[2], row[0]))
        ]
        for batch in chunked(rows, 500):
            PlannedAudit.insert_many(batch).execute()
    return AuditPlan.get_by_id(plan.id)


def refuse_unless_draft(plan, expected_version, values=None):
    """Bump the plan's version (writing `values`) if it is still a draft as `expected_version` saw it; else
    RuleBroken saying it was confirmed or changed meanwhile."""
    try:
        plan.save_version(expected_version, values or {}, only_if=AuditPlan.confirmed_at.is_null())
    except StaleRecord as error:
        current = AuditPlan.get_by_id(plan.id)
        if current.is_confirmed:
            raise RuleBroken(
                f"{month_name(plan.month)}'s plan has already been confirmed: nothing was changed."
            ) from error
        raise RuleBroken(
            f"Someone else changed {month_name(plan.month)}'s plan after you opened this page, so nothing was "
            "changed. Check the plan as it is now and make your change again."
        ) from error


# Changing a pairing.


def planned_cases(plan=None):
    """The plan's cases (or every plan's) with their case, team, service area and auditor, in the order they were
    drawn."""
    query = (
        PlannedAudit.select(PlannedAudit, Case.id, Case.reference, Team.id, Team.name, ServiceArea.id, ServiceArea.name)
        .select_extend(User.id, User.name)
        .join(Case)
        .join(Team)
        .switch(PlannedAudit)
        .join(ServiceArea)
        .switch(PlannedAudit)
        .join(User, JOIN.LEFT_OUTER)
        .order_by(PlannedAudit.id)
    )
    return query if plan is None else query.where(PlannedAudit.plan == plan)


def counted_cases(plan):
    return PlannedAudit.select(PlannedAudit.id).where(PlannedAudit.plan == plan)


def loads(plan):
    """How many of the plan's cases each auditor has ({user id: cases})."""
    query = (
        PlannedAudit.select(PlannedAudit.auditor, fn.COUNT(PlannedAudit.id))
        .where((PlannedAudit.plan == plan) & PlannedAudit.auditor.is_null(False))
        .group_by(PlannedAudit.auditor)
    )
    return dict(query.tuples())


def pairing_problem(member, planned, load):
    """Why the rules refuse `planned`'s case to `member` (auditor_pool.Member), holding `load` of the plan's
    cases besides it; None if they allow it."""
    team = planned.case.team
    if member.away:
        return f"{member.name} is away in the month. Choose an auditor who is available."
    if team.id in member.auditor.teams:
        return (
            f"{member.name} works in or manages {team.name}, the team that holds case {planned.case.reference}. "
            "Choose an auditor from another team, so the audit is independent."
        )
    if audit_plan.kept_from(member.auditor, team.id, planned.service_area_id):
        return (
            f"{member.name} is kept from cases of their own service area, {planned.service_area.name}. "
            "Choose an auditor from another service area, or change their part in the auditor pool."
        )
    if load >= member.quota:
        return (
            f"{member.name} already has {notices.count(load, 'case')} in this plan, their number for the month. "
            "Choose another auditor, or swap this case with one of theirs."
        )
    return None


def members_of(plan):
    """The month's auditor pool by user id."""
    return {member.user_id: member for member in auditor_pool.pool(plan.month)}


def change_auditor(actor, plan, planned, user_id, expected_version):
    """Give `planned`'s case to the auditor `user_id` if the rules allow it, or RuleBroken saying why not."""
    member = members_of(plan).get(user_id)
    if member is None:
        raise RuleBroken("Choose an auditor from the list", "auditor")
    load = loads(plan).get(user_id, 0) - (planned.auditor_id == user_id)
    problem = pairing_problem(member, planned, load)
    if problem:
        raise RuleBroken(problem, "auditor")
    with db.atomic():
        refuse_unless_draft(plan, expected_version)
        PlannedAudit.update(auditor=user_id, unplaced="").where(PlannedAudit.id == planned.id).execute()
        Event.record(actor, "changed", planned, ["auditor"])
    return planned


def swap(actor, plan, planned, other, expected_version):
    """Exchange the auditors of two of the plan's cases if the rules allow each its new auditor, or RuleBroken
    saying why not. Each keeps the number of cases they had, so their numbers for the month still hold."""
    if (
        other is None
        or other.plan_id != plan.id
        or other.id == planned.id
        or not (other.auditor_id and planned.auditor_id)
    ):
        raise RuleBroken("Choose another case of the plan from the list", "other")
    members = members_of(plan)
    for case, user_id in ((planned, other.auditor_id), (other, planned.auditor_id)):
        member = members.get(user_id)
        problem = pairing_problem(member, case, load=0) if member else "That auditor is no longer in the pool."
        if problem:
            raise RuleBroken(f"They cannot be swapped: {problem}", "other")
    with db.atomic():
        refuse_unless_draft(plan, expected_version)
        PlannedAudit.update(auditor=other.auditor_id).where(PlannedAudit.id == planned.id).execute()
        PlannedAudit.update(auditor=planned.auditor_id).where(PlannedAudit.id == other.id).execute()
        Event.record(actor, "changed", planned, ["auditor"])
        Event.record(actor, "changed", other, ["auditor"])
    return planned


# Confirming.


def due_on(month, today):
    """When the month's audits are due: 20 working days (seed 002 s.7-8) from the month's first working day, or
    from today if the month has begun."""
    start = max(today, month - datetime.timedelta(days=1))
    return add_working_days(start, AUDIT_WORKING_DAYS)


def confirm(actor, plan, expected_version, now):
    """Create an audit of each of the plan's cases that has an auditor, due by `due_on`, and tell each auditor
    theirs in one notice: one transaction, once. A case that closed or was given an audit since the draw is
    passed over and marked so. Returns how many audits were created."""
    today = uk_today(now)
    due = due_on(plan.month, today)
    start, end = default_period(max(today, plan.month))
    template = AuditTemplate.current()
    with db.atomic():
        refuse_unless_draft(plan, expected_version, {AuditPlan.confirmed_by: actor, AuditPlan.confirmed_at: now})
        Event.record(actor, "changed", plan, ["confirmed"])
        placed = list(
            PlannedAudit.select(PlannedAudit, Case)
            .join(Case)
            .where((PlannedAudit.plan == plan) & PlannedAudit.auditor.is_null(False))
            .order_by(PlannedAudit.id)
        )
        has_open = {
            case_id
            for (case_id,) in Audit.select(Audit.case)
            .where(Audit.case.in_([p.case_id for p in placed]) & Audit.still_open() & Audit.exercise.is_null())
            .tuples()
        }
        given = {}
        for planned in placed:
            reason = "closed" if not planned.case.is_open else "open-audit" if planned.case_id in has_open else ""
            if reason:
                PlannedAudit.update(unplaced=reason).where(PlannedAudit.id == planned.id).execute()
                continue
            audit = Audit.create(
                case=planned.case_id,
                auditor=planned.auditor_id,
                allocated_by=actor,
                allocated_at=now,
                due_on=due,
                template=template,
                period_start=start,
                period_end=end,
                audit_type=plan.audit_type,
            )
            Event.record(actor, "created", audit, ["case", "auditor", "due_on", "template", "period", "audit_type"])
            PlannedAudit.update(audit=audit).where(PlannedAudit.id == planned.id).execute()
            given.setdefault(planned.auditor_id, []).append(planned.case.reference)
        dashboard_tallies.add(Audit.id.in_(PlannedAudit.select(PlannedAudit.audit).where(PlannedAudit.plan == plan)))
        tell_auditors(plan.month, given, due)
    return sum(len(references) for references in given.values())


def tell_auditors(month, given, due):
    """One notice to each auditor given audits for the month, listing their cases (seed 000 s.4.3)."""
    for auditor in User.select().where(User.id.in_(list(given))):
        references = given[auditor.id]
        audits = notices.count(len(references), "audit")
        notices.notify(
            [auditor],
            f"{audits} for {month_name(month)}",
            f"You have been given {audits} for {month_name(month)}, due by {long_date(due)}: "
            f"{'case' if len(references) == 1 else 'cases'} {', '.join(sorted(references))}. "
            "Open My audits in the service to start.",
            "/my-audits",
        )


# What the plan page shows.


@dataclass
class Summary:
    """A plan's figures: how many were drawn, placed and created, each service area's part, and why cases were
    left out."""

    drawn: int
    placed: int
    created: int
    strata: list  # (service area name, cases it had to draw from, cases drawn)
    left_out: list  # (why, how many)
    auditors: int  # given at least one case
    most: int  # the most cases one auditor was given

    @property
    def unplaced(self):
        return self.drawn - self.placed


def summary(plan):
    """What the plan page says of `plan`: four queries, however large it is."""
    counts = {"left_out": {}, "strata": {}} | json.loads(plan.counts)
    by_area = dict(
        PlannedAudit.select(PlannedAudit.service_area, fn.COUNT(PlannedAudit.id))
        .where(PlannedAudit.plan == plan)
        .group_by(PlannedAudit.service_area)
        .tuples()
    )
    strata = [
        (name, counts["strata"].get(str(area_id), 0), by_area.get(area_id, 0))
        for area_id, name in ServiceArea.select(ServiceArea.id, ServiceArea.name).order_by(ServiceArea.name).tuples()
        if str(area_id) in counts["strata"] or area_id in by_area
    ]
    given = loads(plan)
    created = PlannedAudit.select().where((PlannedAudit.plan == plan) & PlannedAudit.audit.is_null(False)).count()
    left_out = [
        (label, counts["left_out"][code]) for code, label in audit_plan.LEFT_OUT.items() if counts["left_out"].get(code)
    ]
    return Summary(
        drawn=sum(drawn for _, _, drawn in strata),
        placed=sum(given.values()),
        created=created,
        strata=strata,
        left_out=left_out,
        auditors=len(given),
        most=max(given.values(), default=0),
    )

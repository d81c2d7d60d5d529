"""Audits of every kind the dashboard counts, made at random from a seed and written straight into the database, with
what the test knows of each kept beside it: so that a test can count the dashboard's figures itself, from these
records rather than from the database, and compare."""

import datetime
import random
from dataclasses import dataclass, field

from models import (
    GRADES,
    Action,
    ActionStep,
    Audit,
    Case,
    DomainJudgement,
    DomainModeration,
    FamilyFeedback,
    ImmediateResponse,
    Moderation,
    ModerationDraw,
    db,
)
from services import dashboard_tallies, immediate_responses, team_actions
from tests.moderated import small_template

MONTHS = [datetime.date(2026, month, 1) for month in (1, 2, 3, 4)]
TODAY = datetime.date(2026, 4, 20)
STATUSES = ["allocated", "in-progress", "cancelled", "submitted", "moderated"]
ACTION_STATUSES = list(Action.STATUSES)
CLOSING = ("authorised", "decision-authorised", "withdrawn")


@dataclass
class Made:
    """An audit as the test made it, and what belongs to it."""

    audit: Audit
    area: int
    team: int
    month: datetime.date
    overall: str | None = None  # the final grades
    domains: dict = field(default_factory=dict)  # {(position, name): final grade}
    moderated: list = field(default_factory=list)  # (auditor's grade, moderator's) for each part moderated
    actions: list = field(default_factory=list)  # Action
    signed_off: dict = field(default_factory=dict)  # {action id: the day it was signed off}
    family: list = field(default_factory=list)  # (gathered, reason)


def sixty_audits(make_user, make_team, make_service_area):
    """Sixty audits of three teams in two service areas, made at random from a fixed seed (the conftest factories
    given): (the Made audits, the templates, the Immediate Responses, (team, service area id) of each team)."""
    first, second = make_service_area(), make_service_area()
    teams = [(make_team(service_area=area), area.id) for area in (first, first, second)]
    people = {"qa": make_user(roles=("qa-officer",)), "auditor": make_user(roles=("auditor",))}
    audits, templates, responses = build(random.Random(18), people, teams)
    return audits, templates, responses, teams


def build(rng, people, teams, count=60):
    """`count` audits of cases of `teams` ((team, service area id) each), allocated by `people["qa"]` to
    `people["auditor"]` in MONTHS, with their grades, moderations, actions and families' feedback; and Immediate
    Responses on some of their cases. Returns (the Made audits, the templates, the Immediate Responses)."""
    templates = [small_template(("Assessment", "Planning")), small_template(("Assessment", "Voice of the child"))]
    draw = ModerationDraw.create(
        month=MONTHS[0], round=1, seed=1, rule_version=1, percentage=30, population="[]", drawn_by=people["qa"],
        due_on=TODAY,
    )  # fmt: skip
    made, responses = [], []
    with db.atomic():
        for number in range(count):
            team, area = rng.choice(teams)
            case = Case.create(reference=f"DASH-{number:04d}", initials="AB", birth_year=2015, team=team,
                               worker_name="Sam Worker", opened_on=datetime.date(2024, 1, 1))  # fmt: skip
            made.append(audit_of(rng, number, case, people, templates, draw, area, team.id))
            if rng.random() < 0.3:
                responses.append(response_on(rng, case, made[-1].audit if rng.random() < 0.7 else None, people))
        dashboard_tallies.rebuild()
    return made, templates, responses


def audit_of(rng, number, case, people, templates, draw, area, team_id):
    month = rng.choice(MONTHS)
    allocated = datetime.datetime.combine(month.replace(day=rng.randint(1, 28)), datetime.time(9, 30))
    due_on = allocated.date() + datetime.timedelta(days=20)
    status = rng.choice(STATUSES)
    done = status in Audit.DONE
    template = rng.choice(templates)
    submitted_at = allocated + datetime.timedelta(days=rng.randint(5, 30)) if done else None
    audit = Audit.create(
        case=case, auditor=people["auditor"], allocated_by=people["qa"], allocated_at=allocated, due_on=due_on,
        status=status, template=template, submitted_at=submitted_at, audit_type=rng.choice(["monthly", "themed"]),
        overall_grade=rng.choice(list(GRADES)) if done else None,
    )  # fmt: skip
    made = Made(audit, area, team_id, month)
    domains = template.ordered_domains
    if done:
        for domain in domains:
            DomainJudgement.create(audit=audit, domain=domain, grade=rng.choice(list(GRADES)), evidence="", so_what="")
        moderate(rng, made, draw, domains)
        for _ in range(rng.randint(0, 2)):
            action_of(rng, made, case)
    for _ in range(rng.randint(0, 2)):
        gathered = rng.random() < 0.6
        reason = "" if gathered else rng.choice(list(FamilyFeedback.NOT_GATHERED))
        FamilyFeedback.create(audit=audit, recorded_by=people["auditor"], given_by="mother", gathered=gathered,
                              not_gathered_reason=reason)  # fmt: skip
        made.family.append((gathered, reason))
    return made


def moderate(rng, made, draw, domains):
    """Moderate a moderated audit (and start, but not submit, a moderation of some submitted ones); keep the final
    grades."""
    audit = made.audit
    judged = {judgement.domain_id: judgement.grade for judgement in audit.domain_judgements}
    made.overall = audit.overall_grade
    made.domains = {(domain.position, domain.name): judged[domain.id] for domain in domains}
    if audit.status == "submitted" and rng.random() < 0.3:
        Moderation.create(audit=audit, draw=draw, chosen_because="random", auditor_grade=audit.overall_grade,
                          due_on=TODAY)  # fmt: skip
    if audit.status != "moderated":
        return
    grade = rng.choice([audit.overall_grade, rng.choice(list(GRADES))])
    moderation = Moderation.create(
        audit=audit, draw=draw, chosen_because="random", status="submitted", auditor_grade=audit.overall_grade,
        agrees=grade == audit.overall_grade, grade=grade, submitted_at=audit.submitted_at, due_on=TODAY,
    )  # fmt: skip
    made.overall = grade
    made.moderated.append((audit.overall_grade, grade))
    for domain in domains:
        if rng.random() < 0.2:
            continue  # a domain the moderator left without a row: the auditor's grade stands, unmoderated
        given = judged[domain.id]
        final = rng.choice([given, rng.choice(list(GRADES))])
        DomainModeration.create(moderation=moderation, domain=domain, auditor_grade=given, agrees=final == given,
                                grade=final)  # fmt: skip
        made.domains[domain.position, domain.name] = final
        made.moderated.append((given, final))


def action_of(rng, made, case):
    status = rng.choice(ACTION_STATUSES)
    sent = rng.random() < 0.9
    deadline = made.audit.submitted_at.date() + datetime.timedelta(days=14)
    closed = sent and (status in CLOSING or (status == "signed-off" and rng.random() < 0.5))
    closed_on = deadline + datetime.timedelta(days=rng.randint(-10, 10)) if closed else None
    action = Action.create(
        audit=made.audit, what="Update the chronology", owner_name="Sam Worker", owner_role="Social Worker",
        due_on=deadline, done_when="It shows", status=status if sent else "open",
        team=case.team_id if sent else None, received_on=made.audit.submitted_at.date() if sent else None,
        deadline=deadline if sent else None,
        closed_at=datetime.datetime.combine(closed_on, datetime.time(12)) if closed else None,
        list_order=team_actions.list_order(status, deadline, closed_on) if sent else Action.NOT_SENT,
    )  # fmt: skip
    if sent and status in ("signed-off", "authorised"):
        on = deadline + datetime.timedelta(days=rng.randint(-5, 5))
        ActionStep.create(action=action, kind="signed-off", at=datetime.datetime.combine(on, datetime.time(10)))
        made.signed_off[action.id] = on
    made.actions.append(action)


def response_on(rng, case, audit, people):
    status = rng.choice(list(ImmediateResponse.STATUSES))
    raised = datetime.datetime.combine(rng.choice(MONTHS).replace(day=rng.randint(1, 28)), datetime.time(11))
    due_on = raised.date() + datetime.timedelta(days=rng.randint(0, 40))
    return ImmediateResponse.create(
        case=case, audit=audit, raised_by=people["auditor"], raised_at=raised, trigger="safeguarding", found="Found",
        must_happen="Must", who_acts=people["qa"], urgency="today", due_on=due_on, status=status,
        escalated_at=raised if rng.random() < 0.2 else None,
        list_order=immediate_responses.list_order(status, due_on),
    )  # fmt: skip

"""Immediate Responses: raised when a child may be unsafe, acknowledged by the team manager or a QA officer,
closed by a QA officer, and escalated to the service area's Head of Service when not acknowledged in time
(seed 001 s.3.1; seed 002 s.10), who may then see it and acknowledge it. Each step is one transaction with
its event and its notices."""

from peewee import JOIN

from models import Audit, Case, Event, ImmediateResponse, ServiceArea, StaleRecord, Team, User, UserRole, db, utcnow
from services import drafts, notices, records
from services.dates import long_date
from services.errors import RuleBroken
from services.records import Stale
from services.working_days import add_working_days

DRAFT_FIELD = "immediate-response"  # what was typed on the form raised from an audit, kept as the audit's draft
ALREADY_ACKNOWLEDGED = "This Immediate Response has already been acknowledged."
NOT_ACKNOWLEDGED = "This Immediate Response must be acknowledged before it can be closed."
ALREADY_CLOSED = "This Immediate Response has already been closed."


def raised_for(audit):
    """The Immediate Responses raised from this audit, oldest first."""
    return list(
        ImmediateResponse.select(ImmediateResponse.id, ImmediateResponse.raised_at, ImmediateResponse.status)
        .where(ImmediateResponse.audit == audit)
        .order_by(ImmediateResponse.raised_at, ImmediateResponse.id)
    )


def deadline(raised_on, urgency):
    """The day it must be acknowledged by: the urgency's working days after the day it was raised."""
    return add_working_days(raised_on, ImmediateResponse.URGENCY_DAYS[urgency])


def qa_officers():
    return list(User.select().join(UserRole).where((UserRole.role == "qa-officer") & User.active))


def case_draft_field(case_id):
    """The draft of the form raising one on a case, outside an audit (services/drafts.py)."""
    return f"case-{case_id}-immediate-response"


def step_draft_field(response_id, step):
    """The draft of the form acknowledging ("acknowledge") or closing ("close") one."""
    return f"immediate-response-{response_id}-{step}"


def keep_case_draft(user, case_id, form):
    """Keep what was typed raising one on a case, if `user` may raise one on it."""
    case = Case.get_or_none(Case.id == case_id)
    if case is not None and can_raise_on(user, case):
        drafts.keep(user, case_draft_field(case_id), form, about=case)


def keep_step_draft(user, response_id, step, form):
    """Keep what was typed acknowledging or closing one, if `user` may take that step."""
    response = detailed().where(ImmediateResponse.id == response_id).first()
    allowed = {"acknowledge": may_acknowledge, "close": lambda person, _: may_close(person)}[step]
    if response is not None and can_see(user, response) and allowed(user, response):
        drafts.keep(user, step_draft_field(response_id, step), form, about=response)


def raise_response(actor, case, audit, values, today):
    """Raise an Immediate Response on `case` (from `audit`, if raised from one), and tell the case's team
    manager, the person who must act and every QA officer, in the same transaction."""
    with db.atomic():
        if audit is not None:
            drafts.forget(actor, DRAFT_FIELD, audit)
        else:
            drafts.forget(actor, case_draft_field(case.id))
        response = records.create(
            actor,
            ImmediateResponse,
            case=case,
            audit=audit,
            raised_by=actor,
            due_on=deadline(today, values["urgency"]),
            **values,
        )
        manager = case.team.manager
        urgency = ImmediateResponse.URGENCIES[response.urgency].lower()
        notices.notify(
            [person for person in (manager, response.who_acts, *qa_officers()) if person and person.id != actor.id],
            f"Immediate Response raised: case {case.reference}",
            f"{actor.name} raised an Immediate Response on case {case.reference}. It must be acknowledged "
            f"{urgency}, by {long_date(response.due_on)}. Open it in the service to see what was found and "
            "what must happen now.",
            link_to(response),
        )
    return response


def link_to(response):
    return f"/immediate-responses/{response.id}"


STEPS = {"acknowledge": ("raised", "acknowledged"), "close": ("acknowledged", "closed")}


def _move(actor, response, expected_version, step, values):
    """Take `step`, if the record is where the step starts and nobody changed it since `expected_version`."""
    expected_status, action = STEPS[step]
    try:
        with db.atomic():
            try:
                response.save_version(expected_version, values, only_if=ImmediateResponse.status == expected_status)
            except StaleRecord:
                reason = not_ready_to(step, ImmediateResponse.get_by_id(response.id))
                if reason:
                    raise RuleBroken(reason) from None
                raise
            drafts.forget(actor, step_draft_field(response.id, step))
            for field, value in values.items():
                setattr(response, field.name, value)
            Event.record(actor, action, response, [field.name for field in values])
            if response.raised_by_id != actor.id:
                notices.notify(
                    [response.raised_by],
                    f"Immediate Response {action}: case {response.case.reference}",
                    f"{actor.name} {action} the Immediate Response you raised on case {response.case.reference}. "
                    "Open it in the service to see what they said.",
                    link_to(response),
                )
    except StaleRecord as error:
        raise Stale(ImmediateResponse.get_by_id(response.id).version) from error
    return response


def acknowledge(actor, response, expected_version, values):
    """The team manager or a QA officer says what they are doing about it."""
    changes = {
        ImmediateResponse.status: "acknowledged",
        ImmediateResponse.acknowledged_by: actor.id,
        ImmediateResponse.acknowledged_at: utcnow(),
        ImmediateResponse.response: values["response"],
        ImmediateResponse.action_taking: values["action_taking"],
    }
    return _move(actor, response, expected_version, "acknowledge", changes)


def close(actor, response, expected_version, values):
    """A QA officer closes it with the outcome."""
    changes = {
        ImmediateResponse.status: "closed",
        ImmediateResponse.closed_by: actor.id,
        ImmediateResponse.closed_at: utcnow(),
        ImmediateResponse.outcome: values["outcome"],
    }
    return _move(actor, response, expected_version, "close", changes)


def escalate_overdue(today):
    """Escalate, once each, every Immediate Response not acknowledged by its deadline: tell its service
    area's Head of Service (or, where none is set or their account is disabled, every QA officer). Safe to
    run twice at once: the update that marks one escalated is what lets one run, and only one, tell anyone.
    Returns how many."""
    Head = User.alias()
    overdue = list(
        ImmediateResponse.select(ImmediateResponse, Case, Team, ServiceArea, Head)
        .join(Case)
        .join(Team)
        .join(ServiceArea)
        .join(Head, JOIN.LEFT_OUTER, on=(ServiceArea.head_of_service == Head.id))
        .where(
            (ImmediateResponse.status == "raised")
            & (ImmediateResponse.due_on < today)
            & ImmediateResponse.escalated_at.is_null()
        )
        .order_by(ImmediateResponse.id)
    )
    everyone_in_qa = qa_officers() if overdue else []
    escalated = 0
    for response in overdue:
        with db.atomic():
            marked = (
                ImmediateResponse.update(escalated_at=utcnow())
                .where(
                    (ImmediateResponse.id == response.id)
                    & (ImmediateResponse.status == "raised")
                    & ImmediateResponse.escalated_at.is_null()
                )
                .execute()
            )
            if not marked:
                continue
            Event.record(None, "escalated", response, ["escalated_at"])
            area = response.case.team.service_area
            head = area.head_of_service if area.head_of_service_id else None
            # Seed 002 s.10: it goes to someone more senior; a disabled account is told nothing, so QA are told.
            contacts = [head] if head and head.active else everyone_in_qa
            reference = response.case.reference
            notices.notify(
                contacts,
                f"Immediate Response overdue: case {reference}",
                f"The Immediate Response raised on case {reference} on {long_date(response.raised_at)} was due "
                f"to be acknowledged by {long_date(response.due_on)} and has not been. It is escalated to you as "
                f"the escalation contact for {area.name}. Open it in the service to see what must happen now.",
                link_to(response),
            )
            escalated += 1
    return escalated


def managed_case_ids(user):
    return Case.select(Case.id).join(Team).where(Team.manager == user)


def headed_case_ids(user):
    """The cases of the service areas `user` is Head of Service of: theirs are escalated to them."""
    return Case.select(Case.id).join(Team).join(ServiceArea).where(ServiceArea.head_of_service == user)


def head_of_service_id(response):
    return response.case.team.service_area.head_of_service_id


def visibility(user):
    """Who sees which: QA officers every one; a team manager those on their teams' cases, a Head of Service
    those on their service areas' cases, an auditor those they raised, anyone those they were named to act
    on. None: no condition, every one."""
    if user.has_role("qa-officer"):
        return None
    condition = (ImmediateResponse.raised_by == user.id) | (ImmediateResponse.who_acts == user.id)
    condition |= ImmediateResponse.case.in_(headed_case_ids(user))
    if user.has_role("team-manager"):
        condition |= ImmediateResponse.case.in_(managed_case_ids(user))
    return condition


def can_see(user, response):
    """As `visibility`, for one of `detailed()`."""
    return (
        user.has_role("qa-officer")
        or user.id in (response.raised_by_id, response.who_acts_id, head_of_service_id(response))
        or (user.has_role("team-manager") and response.case.team.manager_id == user.id)
    )


def may_acknowledge(user, response):
    """A QA officer; or, other than whoever raised it, the case's team manager, the person named to act, or
    the Head of Service it is escalated to (seed 002 s.10: it is raised with them when the manager is not there)."""
    if user.has_role("qa-officer"):
        return True
    acting = (response.who_acts_id, response.case.team.manager_id, head_of_service_id(response))
    return user.id != response.raised_by_id and user.id in acting


def can_acknowledge(user, response):
    return response.status == "raised" and may_acknowledge(user, response)


def may_close(user):
    return user.has_role("qa-officer")


def can_close(user, response):
    return response.status == "acknowledged" and may_close(user)


def not_ready_to(step, response):
    """Why `step` ("acknowledge" or "close") cannot be taken now, or None if it can."""
    if response.status == "closed":
        return ALREADY_CLOSED
    if step == "acknowledge" and response.status != "raised":
        return ALREADY_ACKNOWLEDGED
    if step == "close" and response.status != "acknowledged":
        return NOT_ACKNOWLEDGED
    return None


def can_raise_on(user, case):
    """QA officers on any case; an auditor on a case they hold an audit of."""
    return user.has_role("qa-officer") or (
        user.has_role("auditor") and Audit.select().where((Audit.case == case) & (Audit.auditor == user.id)).exists()
    )


def listing(user, status=None, team_id=None, overdue=False, today=None):
    """The Immediate Responses `user` may see, newest first, with the case, its team and the raiser."""
    Raiser = User.alias()
    query = (
        ImmediateResponse.select(
            *(ImmediateResponse.id, ImmediateResponse.raised_at, ImmediateResponse.status),
            *(ImmediateResponse.due_on, ImmediateResponse.urgency, ImmediateResponse.trigger),
            *(ImmediateResponse.escalated_at, ImmediateResponse.case),
            *(Case.id, Case.reference, Team.id, Team.name, Raiser.id, Raiser.name),
        )
        .join(Case)
        .join(Team)
        .switch(ImmediateResponse)
        .join(Raiser, on=(ImmediateResponse.raised_by == Raiser.id))
    )
    conditions = matching(user, status, team_id, overdue, today, in_order=True)
    if conditions:
        query = query.where(*conditions)
    return query.order_by(ImmediateResponse.raised_at.desc(), ImmediateResponse.id.desc())


def counted(user, status=None, team_id=None, overdue=False, today=None):
    """The Immediate Responses `listing` finds, on their own table: what a count needs."""
    conditions = matching(user, status, team_id, overdue, today)
    query = ImmediateResponse.select(ImmediateResponse.id)
    return query.where(*conditions) if conditions else query


def matching(user, status, team_id, overdue, today, in_order=False):
    """The conditions for those `user` may see with this status, on a case of this team, or overdue, each on the
    Immediate Response's own columns. A page (`in_order`) reads them newest first from the index of dates,
    skipping other teams' cases: found through the index of cases, the team's would be sorted for every page
    (`+ 0` keeps that index out), as services/audit_lists.py does for audits."""
    conditions = [condition for condition in [visibility(user)] if condition is not None]
    if status:
        conditions.append(ImmediateResponse.status == status)
    if team_id:
        case = ImmediateResponse.case + 0 if in_order else ImmediateResponse.case
        conditions.append(case.in_(Case.select(Case.id).where(Case.team == team_id)))
    if overdue:
        conditions.append((ImmediateResponse.status == "raised") & (ImmediateResponse.due_on < today))
    return conditions


def for_case(user, case):
    """The Immediate Responses on `case` that `user` may see, newest first (a case has a handful)."""
    return list(listing(user).where(ImmediateResponse.case == case))


def detailed():
    """Immediate Responses with their case, its team and service area, and the people named on them."""
    Raiser, Acts, Acknowledger, Closer, Manager = (User.alias() for _ in range(5))
    return (
        ImmediateResponse.select(
            ImmediateResponse, Case, Team, ServiceArea, Manager, Raiser, Acts, Acknowledger, Closer
        )
        .join(Case)
        .join(Team)
        .join(ServiceArea)
        .switch(Team)
        .join(Manager, JOIN.LEFT_OUTER, on=(Team.manager == Manager.id))
        .switch(ImmediateResponse)
        .join(Raiser, on=(ImmediateResponse.raised_by == Raiser.id))
        .switch(ImmediateResponse)
        .join(Acts, on=(ImmediateResponse.who_acts == Acts.id))
        .switch(ImmediateResponse)
        .join(Acknowledger, JOIN.LEFT_OUTER, on=(ImmediateResponse.acknowledged_by == Acknowledger.id))
        .switch(ImmediateResponse)
        .join(Closer, JOIN.LEFT_OUTER, on=(ImmediateResponse.closed_by == Closer.id))
    )


def told_summary(response):
    """Who had been told when it was raised: "Jo Bloggs, Service Manager QA, by phone, on 3 November 2026"."""
    if not response.told_name:
        return "Nobody, when it was raised"
    how = ImmediateResponse.TOLD_HOW.get(response.told_how, "").lower()
    when = f"on {long_date(response.told_on)}" if response.told_on else ""
    return ", ".join(part for part in (response.told_name, response.told_role, how, when) if part)


def timeline(response):
    """Each step so far, in order: (when, what happened, who, [(label, text)])."""
    steps = [
        (
            response.raised_at,
            "Raised",
            response.raised_by.name,
            [("What was found", response.found), ("What must happen now", response.must_happen)],
        )
    ]
    if response.acknowledged_at:
        steps.append(
            (
                response.acknowledged_at,
                "Acknowledged",
                response.acknowledged_by.name,
                [("Their response", response.response), ("The action they are taking", response.action_taking)],
            )
        )
    if response.escalated_at:
        steps.append((response.escalated_at, "Escalated, not acknowledged by its deadline", None, []))
    if response.closed_at:
        steps.append((response.closed_at, "Closed", response.closed_by.name, [("Outcome", response.outcome)]))
    return sorted(steps, key=lambda step: step[0])


def waiting_for(user, today):
    """What waits for `user` on the home page, as counts: those to acknowledge (every one for a QA officer;
    those they must act on, or on their teams' cases, that someone else raised), how many of those are
    overdue, those escalated to them as Head of Service, those to close (QA officers), and those they raised
    that are not yet closed."""
    base = ImmediateResponse.select(ImmediateResponse.id)
    raised = ImmediateResponse.status == "raised"
    theirs = raised
    if not user.has_role("qa-officer"):
        named = ImmediateResponse.who_acts == user.id
        if user.has_role("team-manager"):
            named |= ImmediateResponse.case.in_(managed_case_ids(user))
        theirs &= named & (ImmediateResponse.raised_by != user.id)
    escalated = raised & ImmediateResponse.escalated_at.is_null(False)
    counts = {
        "to_acknowledge": base.where(theirs).count(),
        "overdue": base.where(theirs & (ImmediateResponse.due_on < today)).count(),
        "escalated": base.where(escalated & ImmediateResponse.case.in_(headed_case_ids(user))).count(),
        "to_close": 0,
        "raised_open": base.where(
            (ImmediateResponse.raised_by == user.id) & (ImmediateResponse.status != "closed")
        ).count(),
    }
    if user.has_role("qa-officer"):
        counts["to_close"] = base.where(ImmediateResponse.status == "acknowledged").count()
    return counts

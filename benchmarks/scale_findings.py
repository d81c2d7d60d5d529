"""Immediate Responses, feedback and reliability exercises at Leeds scale, for scale_areas.py: about 480 Immediate
Responses over six years in every state, about one family feedback record an audit and the IRO's for 40%, and
one reliability exercise a year."""

import bisect
import datetime

from bulk import FULL_LISTS, event, insert, insert_all, near, sentence

from models import (
    Audit,
    AuditTemplate,
    DomainJudgement,
    FamilyFeedback,
    ImmediateResponse,
    IroFeedback,
    ReliabilityExercise,
    ServiceArea,
    Team,
)
from services.audits import GRADE_ORDER
from services.immediate_responses import deadline, list_order

IRS_PER_AUDIT = 480 / 24_000
TEAM_IRS = FULL_LISTS  # on one team's cases at every size, for the list filtered by team
FAMILY_FEEDBACK = ((0, 1, 2, 3), (35, 40, 15, 10))  # records an audit, and how often: about one on average
IRO_FEEDBACK = 0.4  # of audits with the IRO's or CP chair's feedback
EXERCISES, TAKING_PART = 6, 4  # reliability exercises, one a year, and the people in each
HEADS_OF_SERVICE = 8  # of the ten service areas: the others' escalations go to the QA team


# Immediate Responses: the recent ones (raised, overdue and acknowledged) are the same at every size; the
# closed ones are spread over the six years, in proportion to the audits, at least a page of them.
RAISED_DAYS_AGO = (0, 0, 1)  # raised, to be acknowledged within 5 working days
OVERDUE_DAYS_AGO = (
    8,
    12,
    15,
    20,
    30,
    40,
)  # raised, within 1 working day, and not acknowledged: all but the first escalated
ACKNOWLEDGED_DAYS_AGO = (2, 4, 6, 9, 13, 17, 22, 28, 35, 42, 50, 60)


def build_immediate_responses(rng, council, moderators, notices, events):
    """About 480 over six years at 24,000 audits, in every state, most raised from an audit by its auditor and
    TEAM_IRS on one team's cases by the QA team; each step's notices and events."""
    now = council.now
    recent = [(days, "raised", "5-days") for days in RAISED_DAYS_AGO]
    recent += [(days, "raised", "1-day") for days in OVERDUE_DAYS_AGO]
    recent += [(days, "acknowledged", "1-day") for days in ACKNOWLEDGED_DAYS_AGO]
    closed = max(round(IRS_PER_AUDIT * len(council.audits)) - len(recent), FULL_LISTS)
    oldest = (now - council.audits[0]["allocated_at"]).days - 30
    spread = [
        (20 + (oldest - 20) * n // closed, "closed", rng.choice(list(ImmediateResponse.URGENCIES)))
        for n in range(closed)
    ]
    planned = recent + spread
    one_team = council.cases[0][1]
    team_cases = [case for case, team in council.cases if team == one_team]
    on_team = set(rng.sample(range(len(planned)), TEAM_IRS))
    managers = {team: manager for manager, team in council.teams_of.items()}
    team_of = dict(council.cases)
    heads = set_heads_of_service(rng, council, moderators)
    allocated = [audit["allocated_at"] for audit in council.audits]
    rows = []
    for number, (days_ago, status, urgency) in enumerate(planned):
        raised_at = now - datetime.timedelta(days=days_ago, hours=rng.uniform(1, 6))
        if number in on_team:
            case, audit, raiser = rng.choice(team_cases), None, rng.choice(council.qa_officers)
        else:
            near = max(bisect.bisect(allocated, raised_at - datetime.timedelta(days=2)) - 1, 0)
            picked = council.audits[rng.randint(max(near - 30, 0), near)]
            case, audit, raiser = picked["case"], picked["id"], picked["auditor"]
        trigger = rng.choices(list(ImmediateResponse.TRIGGERS), weights=(8, 3, 1))[0]
        row = {"case": case, "audit": audit, "raised_by": raiser, "raised_at": raised_at, "trigger": trigger}
        row |= {"trigger_other": "Parent disclosed a new partner" if trigger == "other" else ""}
        row |= {"found": sentence(rng, 40), "must_happen": sentence(rng, 25), "urgency": urgency}
        row |= {"who_acts": managers[team_of[case]], "due_on": deadline(raised_at.date(), urgency), "status": status}
        if rng.random() < 0.5:
            row |= {"told_name": f"Worker {rng.randint(1, 400)}", "told_role": "Social Worker", "told_how": "phone"}
            row["told_on"] = raised_at.date()
        if status == "raised" and row["due_on"] < now.date() and days_ago != OVERDUE_DAYS_AGO[0]:
            row["escalated_at"] = datetime.datetime.combine(
                row["due_on"] + datetime.timedelta(days=1), datetime.time(7)
            )
        if status != "raised":
            late = status == "closed" and rng.random() < 0.05  # escalated first, then acknowledged
            acknowledged = raised_at + datetime.timedelta(hours=rng.uniform(1, 20) + 72 * late)
            if late:
                row["escalated_at"] = datetime.datetime.combine(
                    row["due_on"] + datetime.timedelta(days=1), datetime.time(7)
                )
                acknowledged = max(acknowledged, row["escalated_at"] + datetime.timedelta(hours=2))
            row |= {"acknowledged_by": row["who_acts"], "acknowledged_at": min(acknowledged, now)}
            row |= {"response": sentence(rng, 30), "action_taking": sentence(rng, 25)}
        if status == "closed":
            closed_at = min(
                row["acknowledged_at"] + datetime.timedelta(days=rng.uniform(2, 30)), now - datetime.timedelta(days=1)
            )
            row |= {"closed_by": rng.choice(council.qa_officers), "closed_at": max(closed_at, row["acknowledged_at"])}
            row["outcome"] = sentence(rng, 30)
        rows.append(row | {"list_order": list_order(status, row["due_on"])})
    ids = insert(ImmediateResponse, rows)
    for response_id, row in zip(ids, rows, strict=True):
        response_told(row, response_id, council, heads, team_of, notices, events)
    audits = sorted({row["audit"] for row in rows if row["audit"]})
    for start in range(0, len(audits), 500):
        Audit.update(immediate_concern=True).where(Audit.id.in_(audits[start : start + 500])).execute()


def set_heads_of_service(rng, council, moderators):
    """A Head of Service for most service areas, from the auditors who neither manage a team nor moderate;
    returns each team's head, or None."""
    areas = sorted({area for _, area in Team.select(Team.id, Team.service_area).tuples()})
    candidates = [a for a in council.auditors if a not in council.teams_of and a != council.busiest]
    candidates = [a for a in candidates if a not in moderators]
    heads = dict(zip(areas[:HEADS_OF_SERVICE], rng.sample(candidates, HEADS_OF_SERVICE), strict=True))
    for area, head in heads.items():
        ServiceArea.update(head_of_service=head).where(ServiceArea.id == area).execute()
    return {team: heads.get(area) for team, area in Team.select(Team.id, Team.service_area).tuples()}


def response_told(row, response_id, council, heads, team_of, notices, events):
    """The notices and events of each step the Immediate Response has taken."""
    reference, link = council.references[row["case"]], f"/immediate-responses/{response_id}"
    raised = [row["who_acts"], *council.qa_officers]
    for person in dict.fromkeys(p for p in raised if p != row["raised_by"]):
        notices.append(
            (
                person,
                f"Immediate Response raised: case {reference}",
                f"An Immediate Response was raised on case {reference}. It must be acknowledged by "
                f"{row['due_on']:%-d %B %Y}. Open it in the service to see what was found and what must happen now.",
                link,
                row["raised_at"],
            )
        )
    events.append(
        event(row["raised_at"], row["raised_by"], "created", "ImmediateResponse", response_id, "found, must_happen")
    )
    if row.get("escalated_at"):
        head = heads[team_of[row["case"]]]
        for person in [head] if head else council.qa_officers:
            notices.append(
                (
                    person,
                    f"Immediate Response overdue: case {reference}",
                    f"The Immediate Response raised on case {reference} was due to be acknowledged by "
                    f"{row['due_on']:%-d %B %Y} and has not been. Open it in the service to see what must happen now.",
                    link,
                    row["escalated_at"],
                )
            )
        events.append(event(row["escalated_at"], None, "escalated", "ImmediateResponse", response_id, "escalated_at"))
    for step, at, by in (("acknowledged", "acknowledged_at", "acknowledged_by"), ("closed", "closed_at", "closed_by")):
        if not row.get(at):
            continue
        events.append(event(row[at], row[by], step, "ImmediateResponse", response_id, step))
        if row[by] != row["raised_by"]:
            notices.append(
                (
                    row["raised_by"],
                    f"Immediate Response {step}: case {reference}",
                    f"The Immediate Response you raised on case {reference} was {step}. Open it in the service to "
                    "see what they said.",
                    link,
                    row[at],
                )
            )


def build_feedback(rng, council, events):
    """About one family feedback record an audit (none for some, up to three for others), some not gathered;
    the IRO's or CP chair's for 40% of audits; each recorded by the auditor, some after submission."""
    now = council.now
    family, iro = [], []
    for audit in council.audits:
        if audit["status"] == "allocated":
            continue
        for _ in range(rng.choices(*FAMILY_FEEDBACK)[0]):
            row = recorded(rng, audit, now)
            given_by = rng.choice(list(FamilyFeedback.GIVEN_BY))
            row |= {"given_by": given_by, "relationship": "Grandmother" if given_by == "family-member" else ""}
            if rng.random() < 0.85:
                row |= {"how": rng.choice(list(FamilyFeedback.HOW)), "helpfulness": rng.randint(1, 5)}
                row |= {field: sentence(rng, 18) for field in FamilyFeedback.QUESTIONS}
                row["child_views"] = sentence(rng, 20) if given_by == "child" else ""
            else:
                row |= {"gathered": False, "not_gathered_reason": rng.choice(list(FamilyFeedback.NOT_GATHERED))}
                row["attempts"] = sentence(rng, 15)
            family.append(row)
        if rng.random() < IRO_FEEDBACK:
            row = recorded(rng, audit, now)
            row |= {"name": f"Reviewing officer {rng.randint(1, 60)}", "role": rng.choice(list(IroFeedback.ROLES))}
            row |= {"plan_progress": sentence(rng, 30), "grades_view": sentence(rng, 20)}
            iro.append(row)
    for model, rows in ((FamilyFeedback, family), (IroFeedback, iro)):
        ids = insert(model, rows)
        events += [
            event(row["created_at"], row["recorded_by"], "created", model.__name__, record_id)
            for record_id, row in zip(ids, rows, strict=True)
        ]


def recorded(rng, audit, now):
    """Who recorded feedback on `audit` and when: a few days to a month after it was allocated, and so sometimes
    after it was submitted."""
    at = min(audit["allocated_at"] + datetime.timedelta(days=rng.uniform(3, 30)), now - datetime.timedelta(hours=1))
    row = {"audit": audit["id"], "recorded_by": audit["auditor"], "given_on": at.date(), "created_at": at}
    return row | {"after_submission": bool(audit["submitted_at"] and at > audit["submitted_at"])}


def build_exercises(rng, council, moderators, notices, events):
    """One reliability exercise a year, each audited by four people on the same case; the newest still under
    way, two of them yet to submit; the older ones with what the discussion agreed."""
    now, qa = council.now, council.qa_officers[0]
    template = AuditTemplate.current()
    domains = [domain.id for domain in template.ordered_domains]
    people = moderators[:-1] + [a for a in council.auditors[-40:] if a != council.busiest and a not in moderators]
    exercises, audits, judgements = [], [], []
    for year in range(EXERCISES):
        created = now - datetime.timedelta(days=20 + 365 * year)
        exercises.append(
            {"case": rng.choice(council.cases)[0], "template": template.id, "set_by": qa, "created_at": created}
            | {"due_on": created.date() + datetime.timedelta(days=28), "agreed": sentence(rng, 40) if year else ""}
        )
    exercise_ids = insert(ReliabilityExercise, exercises)
    for year, (exercise_id, exercise) in enumerate(zip(exercise_ids, exercises, strict=True)):
        events.append(event(exercise["created_at"], qa, "created", "ReliabilityExercise", exercise_id, "case, due_on"))
        shared = rng.choices(GRADE_ORDER, weights=[1, 5, 3, 1])[0]
        for number, person in enumerate(rng.sample(people, TAKING_PART)):
            done = year or number < TAKING_PART // 2
            grades = [near(rng, shared) for _ in domains]
            audits.append(
                {
                    "case": exercise["case"],
                    "auditor": person,
                    "allocated_by": qa,
                    "allocated_at": exercise["created_at"],
                }
                | {"due_on": exercise["due_on"], "status": "submitted" if done else "in-progress"}
                | {"template": template.id, "exercise": exercise_id, "about_child": sentence(rng, 40)}
                | {"period_start": exercise["created_at"].date() - datetime.timedelta(days=182)}
                | {"period_end": exercise["created_at"].date(), "overall_grade": near(rng, shared) if done else None}
                | {
                    "submitted_at": exercise["created_at"] + datetime.timedelta(days=rng.uniform(5, 19))
                    if done
                    else None
                }
            )
            judgements.append((grades, done))
    audit_ids = insert(Audit, audits)
    rows = []
    for audit_id, audit, (grades, done) in zip(audit_ids, audits, judgements, strict=True):
        rows += [
            {"audit": audit_id, "domain": domain, "grade": grade if done else None, "evidence": sentence(rng, 60)}
            for domain, grade in zip(domains, grades, strict=True)
        ]
        reference = council.references[audit["case"]]
        notices.append(
            (
                audit["auditor"],
                f"Reliability exercise: audit case {reference}",
                f"You have been asked to audit case {reference} as part of a reliability exercise, with 3 others, by "
                f"{audit['due_on']:%-d %B %Y}. Nobody taking part sees the others' answers until they have submitted "
                "their own.",
                f"/audits/{audit_id}",
                audit["allocated_at"],
            )
        )
        events.append(event(audit["allocated_at"], qa, "created", "Audit", audit_id, "case, auditor, exercise"))
        if done:
            events.append(event(audit["submitted_at"], audit["auditor"], "submitted", "Audit", audit_id, "status"))
    insert_all(DomainJudgement, rows)

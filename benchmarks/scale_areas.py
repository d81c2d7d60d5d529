"""What the newer areas add to the Leeds-scale data (scale_data.py), built through the project's models in bulk:
each month's moderation draw, nearly all of it moderated; Immediate Responses in every state; family and IRO
feedback; reliability exercises; and the notices all of these send, read and unread, sent and waiting.

Every Good or Outstanding audit is drawn, with others to 30% of the month, by the draw's own rule
(services/moderation_draw.sample), so about 14,000 moderations and 100,000 domain moderations at 24,000
audits; about 480 Immediate Responses over the six years, 23,000 family feedback records and 15,000 notices.
A list longer than a page at 24,000 audits stays longer than a page at 100."""

import datetime
import itertools
import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from bulk import FULL_LISTS, event, insert, insert_all, sentence
from scale_findings import build_exercises, build_feedback, build_immediate_responses

from models import (
    LARGEST_INTEGER,
    Action,
    Audit,
    AuditTemplate,
    DomainModeration,
    Event,
    Moderation,
    ModerationDraw,
    Notice,
    UserRole,
)
from services import calibration_tallies
from services.audits import GRADE_ORDER
from services.dates import month_name
from services.moderation_draw import RULE_VERSION, due_on, sample

PERCENTAGE = 30  # of each month's audits drawn for moderation (the default setting)
DUE_MONTHS = 1  # the months after the month moderated that its moderations are due by (the default setting)
MODERATORS = 8  # auditors who moderate too, besides four of the QA officers
BUSIEST_MODERATOR_SHARE = 0.1  # of the moderations, for "My moderations" at its longest
TO_DO_SHARE = 0.15  # of last month's moderations, still to be done
DOMAIN_CHANGED, OVERALL_CHANGED = 0.1, 0.08  # how often a moderator changes a grade
FURTHER_ACTIONS = 0.15  # of moderations setting one


@dataclass
class Council:
    """What scale_data.py built, as the newer areas need it."""

    now: datetime.datetime
    qa_officers: list
    auditors: list
    busiest: int
    teams_of: dict  # team manager: their team
    cases: list  # (case id, team id)
    references: dict  # case id: reference
    audits: list  # each audit's row as inserted, with its "id", oldest first
    grades: list  # each audit's domain grades, in the template's order


def build_areas(rng, council):
    """Everything the newer areas add; returns the busiest moderator's id."""
    notices, events = [], []
    moderators, busiest_moderator = give_moderators(council)
    build_moderation(rng, council, moderators, busiest_moderator, notices, events)
    build_immediate_responses(rng, council, moderators, notices, events)
    build_feedback(rng, council, events)
    build_exercises(rng, council, moderators, notices, events)
    insert_all(Notice, [notice(rng, council.now, *row) for row in notices])
    insert_all(Event, events)
    return busiest_moderator


def give_moderators(council):
    """Four QA officers (not the first, whom the benchmark signs in) and eight auditors moderate."""
    others = [a for a in council.auditors if a not in council.teams_of and a != council.busiest]
    moderators = council.qa_officers[1:] + others[-MODERATORS:]
    UserRole.insert_many([{"user": user, "role": "moderator"} for user in moderators]).execute()
    return moderators, moderators[-1]


def notice(rng, now, recipient, subject, body, link, at):
    """A notice as models.Notice keeps it: read or not, emailed or waiting, by its age."""
    age = now - at
    read_at = at + datetime.timedelta(hours=rng.uniform(0.1, 72)) if rng.random() < 0.95 else None
    if age < datetime.timedelta(days=14) and rng.random() < 0.6 or (read_at and read_at > now):
        read_at = None
    row = {"recipient": recipient, "subject": subject, "body": body, "link": link, "created_at": at}
    row |= {"read_at": read_at, "email_status": "sent", "attempts": 1, "next_attempt_at": at}
    if age < datetime.timedelta(days=1):  # the mail server was down today: tried again later
        attempts = rng.randint(0, 3)
        row |= {"email_status": "waiting", "attempts": attempts}
        row |= {"next_attempt_at": now + datetime.timedelta(minutes=rng.randint(1, 60))}
        row["last_error"] = "[Errno 111] Connection refused" if attempts else ""
    elif rng.random() < 0.01:
        row |= {"email_status": "not-sent", "last_error": "The account it is for is disabled, so it was not emailed."}
    else:
        row["sent_at"] = at + datetime.timedelta(minutes=rng.randint(1, 5))
    return row


def other_grade(rng, grade):
    """A grade one step from `grade`: what a moderator changes it to."""
    index = GRADE_ORDER.index(grade)
    return GRADE_ORDER[rng.choice([i for i in (index - 1, index + 1) if 0 <= i < len(GRADE_ORDER)])]


def build_moderation(rng, council, moderators, busiest_moderator, notices, events):
    """A draw of every whole month with audits submitted in it, nearly all moderated: last month's still under
    way for some. With few audits, last month's are all the busiest moderator's, so their list fills a page."""
    now, qa = council.now, council.qa_officers[0]
    this_month = now.date().replace(day=1)
    by_month = defaultdict(list)
    for audit in council.audits:
        if audit["submitted_at"] and audit["submitted_at"].date() < this_month:
            by_month[audit["submitted_at"].date().replace(day=1)].append(audit)
    last_month = max(by_month)
    managers = {team: manager for manager, team in council.teams_of.items()}
    team_of = dict(council.cases)
    draws, plans = [], []
    for month in sorted(by_month):
        audits = sorted(by_month[month], key=lambda audit: audit["id"])
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        drawn_at = datetime.datetime.combine(following, datetime.time(10)) + datetime.timedelta(days=rng.randrange(3))
        drawn_at = min(drawn_at, now - datetime.timedelta(hours=2))
        seed, due = rng.randrange(LARGEST_INTEGER), due_on(month, drawn_at.date(), DUE_MONTHS)
        picks = sample([(audit["id"], audit["overall_grade"]) for audit in audits], seed, PERCENTAGE)
        draws.append(
            {"month": month, "round": 1, "seed": seed, "rule_version": RULE_VERSION, "percentage": PERCENTAGE}
            | {"due_on": due}
            | {"population": json.dumps([audit["id"] for audit in audits]), "drawn_by": qa, "drawn_at": drawn_at}
        )
        plans += [(len(draws) - 1, audit, picks[audit["id"]]) for audit in audits if audit["id"] in picks]
    draw_ids = insert(ModerationDraw, draws)
    events += [
        event(d["drawn_at"], qa, "created", "ModerationDraw", i, "month, percentage")
        for d, i in zip(draws, draw_ids, strict=True)
    ]
    small = len(plans) * BUSIEST_MODERATOR_SHARE < FULL_LISTS
    rows, load = [], Counter()
    to_do = itertools.cycle(["assigned", "in-progress"])  # not started and in progress, in turn
    for draw, audit, why in plans:
        month, drawn_at = draws[draw]["month"], draws[draw]["drawn_at"]
        free = [m for m in moderators if m not in (audit["auditor"], managers.get(team_of[audit["case"]]))]
        busy = busiest_moderator in free and (rng.random() < BUSIEST_MODERATOR_SHARE or small and month == last_month)
        moderator = busiest_moderator if busy else rng.choice(free)
        load[(draw, moderator)] += 1
        if month < last_month:
            submitted_at, done = drawn_at + datetime.timedelta(days=rng.uniform(1, 25)), True
        else:  # drawn this month: most moderated since, whatever day of the month it is
            submitted_at, done = drawn_at + (now - drawn_at) * rng.uniform(0.1, 0.9), rng.random() >= TO_DO_SHARE
        status = "submitted" if done else next(to_do)
        rows.append(
            {"audit": audit["id"], "draw": draw_ids[draw], "chosen_because": why, "moderator": moderator}
            | {"due_on": draws[draw]["due_on"]}
            | {"status": status, "auditor_grade": audit["overall_grade"], "version": 1 if status == "assigned" else 3}
        )
        if done:
            changed = rng.random() < OVERALL_CHANGED
            grade = other_grade(rng, audit["overall_grade"]) if changed else audit["overall_grade"]
            rows[-1] |= {"agrees": not changed, "grade": grade, "submitted_at": submitted_at}
            rows[-1] |= {"overall_reason": sentence(rng, 30) if changed else "", "message": sentence(rng, 25)}
            rows[-1] |= {"actions_addressed": rng.choice(list(Moderation.ACTIONS_ADDRESSED))}
            rows[-1] |= {"actions_comment": sentence(rng, 15)}
    moderation_ids = insert(Moderation, rows)
    for (draw, _, _), moderation_id in zip(plans, moderation_ids, strict=True):
        events.append(
            event(draws[draw]["drawn_at"], qa, "created", "Moderation", moderation_id, "audit, draw, moderator")
        )
    for (draw, moderator), count in load.items():
        month = month_name(draws[draw]["month"])
        audits = f"{count} audit{'s' * (count != 1)}"
        body = f"You have been given {audits} of {month} to moderate. Open your moderations in the service to start."
        notices.append((moderator, f"{audits} to moderate for {month}", body, "/moderations", draws[draw]["drawn_at"]))
    moderated_outcome(rng, council, plans, rows, moderation_ids, notices, events)


def moderated_outcome(rng, council, plans, rows, moderation_ids, notices, events):
    """Each moderation's view of every domain, the further actions, the audits Moderated, and the auditors told."""
    domains = [domain.id for domain in AuditTemplate.current().ordered_domains]
    grades_of = {audit["id"]: grades for audit, grades in zip(council.audits, council.grades, strict=True)}
    views, actions, moderated = [], [], []
    for (_, audit, _), row, moderation_id in zip(plans, rows, moderation_ids, strict=True):
        done, started = row["status"] == "submitted", row["status"] == "in-progress"
        changes = 0
        for index, (domain, grade) in enumerate(zip(domains, grades_of[audit["id"]], strict=True)):
            view = {"moderation": moderation_id, "domain": domain, "auditor_grade": grade}
            if done:
                changed = rng.random() < DOMAIN_CHANGED
                changes += changed
                view |= {"agrees": not changed, "grade": other_grade(rng, grade) if changed else grade}
                view["reason"] = sentence(rng, 25) if changed else ""
            elif started and index < len(domains) // 2:
                view["agrees"] = True
            views.append(view)
        if not done:
            continue
        at, moderator = row["submitted_at"], row["moderator"]
        moderated.append(audit["id"])
        if rng.random() < FURTHER_ACTIONS:
            actions.append(
                {"audit": audit["id"], "source": "moderation", "what": sentence(rng, 25), "owner_name": "Team manager"}
                | {"owner_role": "Team Manager", "due_on": at.date() + datetime.timedelta(days=30)}
                | {"done_when": sentence(rng, 12), "created_at": at - datetime.timedelta(hours=1)}
            )
        events.append(event(at, moderator, "submitted", "Moderation", moderation_id, "grade, status, submitted_at"))
        events.append(event(at, moderator, "moderated", "Audit", audit["id"], "status"))
        changes += not row["agrees"]
        outcome = (
            "The moderator agreed with every grade."
            if not changes
            else f"The moderator changed {changes} grade{'s' * (changes != 1)}."
        )
        reference = council.references[audit["case"]]
        notices.append(
            (
                audit["auditor"],
                f"Your audit of case {reference} has been moderated",
                f"Your audit of case {reference} has been moderated. {outcome} Open the audit in the service to see "
                "the moderated grades, the comments and any further actions.",
                f"/audits/{audit['id']}#moderation",
                at,
            )
        )
    insert_all(DomainModeration, views)
    insert_all(Action, actions)
    for start in range(0, len(moderated), 500):
        Audit.update(status="moderated").where(Audit.id.in_(moderated[start : start + 500])).execute()
    calibration_tallies.rebuild()  # what submitting each moderation adds up, for all of them at once

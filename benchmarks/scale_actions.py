"""Actions reaching the team at Leeds scale, for scale_data.py (issue 17), built in bulk through the project's models:
each team's service manager; every submitted audit's actions, and each moderation's further actions, sent to the
manager of the case's team on the day it was submitted and worked through as a council works them (most done, signed
off and authorised within the 14 days, some late; a few Management Decisions and disputes; some still open, overdue,
done or waiting for authorisation), each step an ActionStep row dated when it was taken; the four-month review of
each audit whose actions were sent, nearly all of those due reviewed; the social workers' accounts (a quarter of the
400 workers), linked to their cases by email, with their reflections on most of the audits of them; and, where a case
was audited again, the next audit's follow-up of the earlier audits' actions. No notices or events for these: the
event log keeps the issue's shape (scale_data.py).

At 24,000 audits: about 41,000 actions sent (800 not yet closed, 430 of them overdue), 200,000 steps, 23,500 reviews
(about 1,000 due and waiting, 1,100 not yet due), 3,500 reflections and 23,000 follow-ups. One team, the busiest (the
one scale_data.py gives the busiest auditor's newest audits with few audits), is behind: one action in five of its is
still open, done or waiting, so that its manager's list is many pages long (about 200). With few audits, its actions
not yet closed, and every team's, fill two pages but for 3 rows (a last page of a few rows would cost less for that
alone), as do the reviews due, and the practitioner with the most audits of their cases has more than a page of them,
as at Leeds' size."""

import datetime
from collections import Counter, defaultdict

from bulk import FULL_LISTS, insert, insert_all, sentence, update_all

from models import Action, ActionFollowUp, ActionReview, ActionStep, Case, Moderation, Reflection, Team, User, UserRole
from services.action_reviews import due_on as review_due_on
from services.pagination import PER_PAGE
from services.team_actions import DEFAULT_RULES, QA_OFFICER, SERVICE_MANAGER, STEPS, TEAM_MANAGER, closes, list_order

BLOCK = 2 * PER_PAGE - 3  # two pages but for 3 rows: the lists kept that long with few audits
# What becomes of an action sent, with its steps after "received", and how often: nearly all are worked through to
# the end; a few Management Decisions, authorised or sent back (and the action then done), and a few disputes,
# resolved either way.
WORKED = (
    (("discussed", "done", "signed-off", "authorised"), 87),
    (("discussed", "cannot-be-achieved", "decision-authorised"), 3),
    (("discussed", "cannot-be-achieved", "decision-sent-back", "done", "signed-off", "authorised"), 1),
    (("disputed", "upheld", "discussed", "done", "signed-off", "authorised"), 1),
    (("disputed", "withdrawn"), 2),
)
# Those that stop on the way and stay there: still open (overdue once past the deadline), done but not signed off,
# signed off and waiting for the service manager, a Management Decision waiting for them, a dispute for a QA officer.
STALLED = (
    (("discussed",), 25),
    ((), 10),
    (("discussed", "done"), 20),
    (("discussed", "done", "signed-off"), 30),
    (("discussed", "cannot-be-achieved"), 8),
    (("disputed",), 7),
)
RECENT_DAYS = 180  # actions received this recently stall at RECENT_STALLED; older ones were mostly chased to the end
RECENT_STALLED, OLD_STALLED = 0.05, 0.01
BEHIND_STALLED = 0.2  # of the busiest team's actions, whatever their age: the team is behind
# Days from the step before to each step; one team manager in seven records it done (or a decision) late.
GAPS = {
    "discussed": (1, 6),  # the next supervision
    "done": (1, 7),
    "signed-off": (0, 3),
    "authorised": (1, 10),
    "cannot-be-achieved": (1, 7),
    "decision-authorised": (1, 10),
    "decision-sent-back": (1, 7),
    "disputed": (1, 5),
    "upheld": (2, 10),
    "withdrawn": (2, 10),
}
LATE, LATE_DAYS = 0.15, (7, 40)
# The four-month review: those due in the last six weeks are reviewed for about a third, older ones nearly all;
# the BLOCK due most recently are waiting at every size.
REVIEW_LAG_DAYS, RECENT_REVIEWED, REVIEWED = 42, 0.3, 0.97
PRACTITIONER_SHARE = 4  # one worker in this many has an account
REFLECTED = 0.6  # of the audits of a practitioner's cases, reflected on
OPEN_FOLLOWED = 0.5  # of the earlier actions an audit still open has followed up so far
FOLLOW_UPS = {  # what the next audit found, by where the action got to: (achieved, how often)
    "authorised": (("yes", "partly"), (8, 2)),
    "decision-authorised": (("no",), (1,)),
    "withdrawn": (("no",), (1,)),
}
NOT_DONE = (("partly", "no"), (1, 1))


def build_actions(rng, council):
    """Everything actions reaching the team add; returns the ids the benchmark pages start from: the busiest team's
    manager and service manager, and the practitioner with the most audits of their cases."""
    now = council.now
    service_managers = give_service_managers(council)
    managers = {team: manager for manager, team in council.teams_of.items()}
    people = {TEAM_MANAGER: managers, SERVICE_MANAGER: service_managers}
    sent = sent_actions(council)
    busiest_team = council.cases[0][1]
    worked = {}
    for action in sent:
        recent = (now - action["received_at"]).days < RECENT_DAYS
        share = BEHIND_STALLED if action["team"] == busiest_team else RECENT_STALLED if recent else OLD_STALLED
        path = rng.choices(*zip(*(STALLED if rng.random() < share else WORKED), strict=True))[0]
        worked[action["id"]] = work(rng, action, path, people, council)
    kept_open(rng, sent, worked, busiest_team, people, council)
    update_all(Action, [columns for columns, _ in worked.values()])
    insert_all(ActionStep, [step for _, steps in worked.values() for step in steps])
    build_reviews(rng, council, sent)
    worker_of, practitioner = give_practitioners(rng, council)
    build_reflections(rng, council, worker_of)
    build_follow_ups(rng, council, sent, worked)
    return {
        "team_manager": managers[busiest_team],
        "service_manager": service_managers[busiest_team],
        "practitioner": practitioner,
    }


def accounts(council, people):
    """Users' rows for `people` ((name, email, job role)), their password set as every other benchmark account's."""
    password_hash, created = (
        User.select(User.password_hash, User.created_at).where(User.id == council.qa_officers[0]).tuples().get()
    )
    return [
        {"name": name, "email": email, "job_role": job_role, "password_hash": password_hash, "created_at": created}
        for name, email, job_role in people
    ]


def give_service_managers(council):
    """A service manager for each service area, who authorises its teams' actions: returns {team: their id}."""
    teams = list(Team.select(Team.id, Team.service_area).order_by(Team.id).tuples())
    areas = sorted({area for _, area in teams})
    people = [
        (f"Bench Service Manager {n}", f"service-manager{n}@bench.example.org", "Service Manager")
        for n in range(1, len(areas) + 1)
    ]
    ids = insert(User, accounts(council, people))
    UserRole.insert_many([{"user": user, "role": "service-manager"} for user in ids]).execute()
    of_area = dict(zip(areas, ids, strict=True))
    for area, user in of_area.items():
        Team.update(service_manager=user).where(Team.service_area == area).execute()
    return {team: of_area[area] for team, area in teams}


def sent_actions(council):
    """Each action sent to a team, oldest first as it was set: its id, audit, team, when it was sent (its audit's or
    its moderation's submission) and by whom."""
    audits = {audit["id"]: audit for audit in council.audits}
    moderated = {
        audit: (at, moderator)
        for audit, at, moderator in Moderation.select(Moderation.audit, Moderation.submitted_at, Moderation.moderator)
        .where(Moderation.status == "submitted")
        .tuples()
    }
    team_of = dict(council.cases)
    sent = []
    query = Action.select(Action.id, Action.audit, Action.source).order_by(Action.id).tuples()
    for action_id, audit_id, source in query:
        audit = audits.get(audit_id)
        if audit is None or not audit["submitted_at"]:
            continue  # not sent until its audit is submitted
        at, sender = moderated[audit_id] if source == "moderation" else (audit["submitted_at"], audit["auditor"])
        sent.append(
            {"id": action_id, "audit": audit_id, "source": source, "team": team_of[audit["case"]]}
            | {"received_at": at, "sender": sender}
        )
    return sent


def work(rng, action, path, people, council):
    """The action worked through the steps of `path` that had been taken by now, each by the person whose step it
    is (services/team_actions.py: STEPS), as services/team_actions.take leaves it: its columns, and its steps."""
    at = action["received_at"]
    received_on = at.date()
    deadline, status, closed_at = DEFAULT_RULES.deadline(received_on), "open", None
    steps = [{"action": action["id"], "kind": "received", "by": action["sender"], "at": at}]
    day = received_on
    for kind in path:
        step = STEPS[kind]
        gap = rng.randint(*GAPS[kind])
        if kind in ("done", "cannot-be-achieved") and rng.random() < LATE:
            gap += rng.randint(*LATE_DAYS)
        day += datetime.timedelta(days=gap)
        at = max(
            datetime.datetime.combine(day, datetime.time(rng.randint(9, 16), rng.randrange(60))),
            at + datetime.timedelta(minutes=1),
        )
        if at > council.now:
            break
        by = rng.choice(council.qa_officers) if step.by == QA_OFFICER else people[step.by][action["team"]]
        row = {"action": action["id"], "kind": kind, "by": by, "at": at}
        row |= {"on": at.date()} if step.date else {}
        row |= {"text": sentence(rng, 25)} if step.text else {}
        steps.append(row)
        if step.ends:
            status = step.ends
            if step.back_to_team:
                received_on = at.date()
                deadline = DEFAULT_RULES.deadline(received_on)
            if closes(status, DEFAULT_RULES):
                closed_at = at
    columns = {"id": action["id"], "team": action["team"], "received_on": received_on, "deadline": deadline}
    columns |= {"status": status, "closed_at": closed_at, "version": len(steps)}
    columns["list_order"] = list_order(status, deadline, closed_at.date() if closed_at else None)
    return columns, steps


def kept_open(rng, sent, worked, busiest_team, people, council):
    """With few audits, the busiest team's unclosed actions, and every team's, are made BLOCK (every team's: that
    and some whole pages), its newest closed ones and then others stopping on the way instead, in STALLED's turn,
    so that its manager's list and the QA officers' fill their last pages nearly, as they do at Leeds' size."""

    def unclosed(actions):
        return sum(worked[action["id"]][0]["closed_at"] is None for action in actions)

    theirs = [action for action in sent if action["team"] == busiest_team]
    short = BLOCK - unclosed(theirs)
    if short <= 0:
        return
    stalled = [path for path, _ in STALLED]

    def stall(actions, count):
        closed = [action for action in reversed(actions) if worked[action["id"]][0]["closed_at"] is not None]
        for number, action in enumerate(closed[:count]):
            worked[action["id"]] = work(rng, action, stalled[number % len(stalled)], people, council)

    stall(theirs, short)
    stall([action for action in sent if action["team"] != busiest_team], (BLOCK - unclosed(sent)) % PER_PAGE)


def build_reviews(rng, council, sent):
    """The four-month review of each audit whose own actions were sent, for its case's team, due four months after
    it was submitted; reviewed by a QA officer, with a comment, for nearly all those due more than six weeks ago and a
    third of those due since, but for the BLOCK due most recently."""
    now, today = council.now, council.now.date()
    audits = {audit["id"]: audit for audit in council.audits}
    team_of = dict(council.cases)
    rows = [
        {"audit": audit_id, "team": team_of[audits[audit_id]["case"]]}
        | {"due_on": review_due_on(audits[audit_id]["submitted_at"].date())}
        for audit_id in sorted({action["audit"] for action in sent if action["source"] == "audit"})
    ]
    due = sorted((row for row in rows if row["due_on"] <= today), key=lambda row: (row["due_on"], row["audit"]))
    for row in due[:-BLOCK]:
        days = (today - row["due_on"]).days
        if rng.random() >= (RECENT_REVIEWED if days < REVIEW_LAG_DAYS else REVIEWED):
            continue
        at = datetime.datetime.combine(row["due_on"], datetime.time(10)) + datetime.timedelta(
            days=rng.uniform(0, min(days, REVIEW_LAG_DAYS)), minutes=rng.randrange(420)
        )
        at = min(at, now - datetime.timedelta(hours=1))
        row |= {"reviewed_by": rng.choice(council.qa_officers), "reviewed_at": at}
        row |= {"comment": sentence(rng, 30), "version": 2}
    insert_all(ActionReview, rows)


def email_of(worker_name):
    """The worker's email, as the open-case list gives it (open_case_list.py): "Worker 17" is worker17@..."""
    return f"worker{worker_name.removeprefix('Worker ')}@council.example.org"


def give_practitioners(rng, council):
    """Every case its worker's email, and an account with the practitioner role for a quarter of the workers, linked
    to their cases. With few audits, the practitioner with the most audits of their cases is given the cases of the
    newest submitted audits of closed cases (so the open-case list is the same at every size) until those fill more
    than a page. Returns each case's practitioner (or None), and that practitioner's id."""
    workers = dict(Case.select(Case.id, Case.worker_name).tuples())
    names = sorted(set(workers.values()), key=lambda name: int(name.removeprefix("Worker ")))
    chosen = sorted(rng.sample(names, len(names) // PRACTITIONER_SHARE), key=names.index)
    ids = insert(User, accounts(council, [(name, email_of(name), "Social Worker") for name in chosen]))
    UserRole.insert_many([{"user": user, "role": "practitioner"} for user in ids]).execute()
    account_of = dict(zip(chosen, ids, strict=True))
    audited = Counter(workers[audit["case"]] for audit in council.audits if audit["submitted_at"])
    busiest = max(chosen, key=lambda name: (audited[name], -account_of[name]))
    if audited[busiest] < FULL_LISTS:
        closed = {case_id for (case_id,) in Case.select(Case.id).where(~Case.is_open).tuples()}
        newest = sorted((a for a in council.audits if a["submitted_at"]), key=lambda a: a["submitted_at"], reverse=True)
        for audit in newest:
            if audited[busiest] >= FULL_LISTS:
                break
            if audit["case"] in closed and workers[audit["case"]] != busiest:
                given = sum(other["case"] == audit["case"] and bool(other["submitted_at"]) for other in council.audits)
                audited[workers[audit["case"]]] -= given
                audited[busiest] += given
                workers[audit["case"]] = busiest
    update_all(
        Case,
        [
            {"id": case_id, "worker_name": name, "worker_email": email_of(name), "worker": account_of.get(name)}
            for case_id, name in workers.items()
        ],
    )
    return {case_id: account_of.get(name) for case_id, name in workers.items()}, account_of[busiest]


def build_reflections(rng, council, worker_of):
    """The practitioner's reflection on most submitted audits of their cases, a day to three weeks after."""
    now, rows = council.now, []
    for audit in council.audits:
        practitioner, submitted = worker_of[audit["case"]], audit["submitted_at"]
        if not practitioner or not submitted or now - submitted < datetime.timedelta(days=2):
            continue
        if rng.random() < REFLECTED:
            saved = min(submitted + datetime.timedelta(days=rng.uniform(1, 21)), now - datetime.timedelta(hours=1))
            rows.append(
                {"audit": audit["id"], "practitioner": practitioner, "takes_from": sentence(rng, 35)}
                | {"sees_differently": sentence(rng, 15) if rng.random() < 0.5 else "", "saved_at": saved}
            )
    insert_all(Reflection, rows)


def build_follow_ups(rng, council, sent, worked):
    """Where a case was audited again, the next audit's auditor recorded for each action the earlier audits had sent
    to the team by then whether it was achieved and what difference it made: all of them, once it is submitted (it
    cannot be submitted until they are), half so far for an audit still open."""
    by_case = defaultdict(list)
    for audit in council.audits:
        by_case[audit["case"]].append(audit)
    sent_by_audit = defaultdict(list)
    for action in sent:
        sent_by_audit[action["audit"]].append(action)
    rows = []
    for audit in council.audits:
        submitted = audit["submitted_at"]
        for earlier in by_case[audit["case"]]:
            if earlier is audit or not earlier["submitted_at"] or (submitted and earlier["submitted_at"] >= submitted):
                continue
            for action in sent_by_audit[earlier["id"]]:
                if submitted and action["received_at"] > submitted:
                    continue  # sent (by the earlier audit's moderation) after this audit was submitted
                if not submitted and rng.random() >= OPEN_FOLLOWED:
                    continue
                achieved = rng.choices(*FOLLOW_UPS.get(worked[action["id"]][0]["status"], NOT_DONE))[0]
                rows.append(
                    {"audit": audit["id"], "action": action["id"], "achieved": achieved}
                    | {"difference": sentence(rng, 20), "recorded_by": audit["auditor"]}
                )
    insert_all(ActionFollowUp, rows)

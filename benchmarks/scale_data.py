"""Leeds-scale data for the speed benchmarks: six years of a big council's audits, built through the
project's own models in a fresh database.

Leeds had 6,254 open cases and planned 4,032 audits a year (seed 000 s.1, s.12): six years is about
24,000 audits, 170,000 domain judgements, 40,000 actions and 700,000 event-log rows; with what the
newer areas add (scale_areas.py): 14,000 moderations, 480 Immediate Responses, 24,000 family feedback
records and 19,000 notices; the actions sent to the teams and worked through, with 200,000 steps, 23,500 four-month
reviews, a service manager for each service area, and practitioners' accounts and reflections (scale_actions.py); and
each past month's audit plan, confirmed, with a planned case for each of its audits, and next month's drawn by the
service's own draw but not yet confirmed; and learning themes, a focus every third month, and 28,000 tags on findings
(scale_themes.py); a report to the senior leadership team every six months with its action plan (scale_reports.py);
the record of who has looked at each audit and case, 340,000 rows (scale_access.py); every closed case dated, those
past their time given notice and 150 on legal hold (scale_retention.py); then the dashboard's tallies, worked out from
it all. The same people, teams and cases with 100 audits give the figures to compare against.

    .venv/bin/python benchmarks/scale_data.py /tmp/leeds.db --audits 24000
"""

import argparse
import bisect
import datetime
import json
import pathlib
import random
import sys
import time
from collections import Counter, defaultdict

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bulk import FULL_LISTS, event, insert, insert_all, near, sentence  # noqa: E402
from scale_access import build_access  # noqa: E402
from scale_actions import build_actions  # noqa: E402
from scale_areas import Council, build_areas  # noqa: E402
from scale_reports import build_reports  # noqa: E402
from scale_retention import build_retention  # noqa: E402
from scale_themes import build_themes  # noqa: E402

from models import (  # noqa: E402
    LARGEST_INTEGER,
    AccessRecord,
    Action,
    ActionFollowUp,
    ActionReview,
    ActionStep,
    Audit,
    AuditorAway,
    AuditPlan,
    AuditTemplate,
    Case,
    DomainJudgement,
    DomainModeration,
    Event,
    FamilyFeedback,
    ImmediateResponse,
    IroFeedback,
    Moderation,
    Notice,
    PlannedAudit,
    Reflection,
    ServiceArea,
    Team,
    ThemeTag,
    User,
    UserRole,
    db,
    utcnow,
)
from services import auditor_pool, dashboard_tallies, planning  # noqa: E402
from services.accounts import hash_password  # noqa: E402
from services.audits import GRADE_ORDER, months_before  # noqa: E402
from services.database import migrate, open_database  # noqa: E402

PASSWORD = "benchmark-password-2026"  # noqa: S105 - fictional benchmark accounts only
SERVICE_AREAS = 10
TEAMS_PER_AREA = 4
AUDITORS = 150
OPEN_CASES = 6_254
CLOSED_CASES = 15_000
YEARS = 6
# Per audit, as the shape has it: 40,000 actions and about 640,000 events for 24,000 audits.
ACTIONS_PER_AUDIT = 40_000 / 24_000
EVENTS_PER_AUDIT = 26
# One auditor holds this share of the audits (2,000 of 24,000), for "My audits" at its longest.
BUSIEST_SHARE = 2_000 / 24_000
OPEN_WITHIN_DAYS = 40  # audits allocated more recently than this are still being done
GOOD_SHARE = 0.6  # of audits graded Good or Outstanding overall, all of them drawn for moderation
# With few audits, last month's sample: two pages of 25 but for 3 rows, so that its last page, and the lists that
# come of it, are nearly full, as the sample's is at Leeds' size; a last page of a few rows would cost less for that
# alone.
SAMPLE_BLOCK = 47
PLAN_WINDOW_MONTHS = 12  # cases audited or allocated this recently are left out of a month's draw (the usual setting)
PAST_RULE_VERSION = 1  # of the draw and allocation rules (services/audit_plan.py) the past months' plans were drawn by
# The fields of a plan's first event, as services/planning.draw records them.
PLAN_DRAWN_FIELDS = "audit_type, counts, drawn_at, drawn_by, equal, flag, rule_version, seed, size, window_months"


def audit_event(audit_id, at, user, action, fields=""):
    return event(at, user, action, "Audit", audit_id, fields)


def build_people(rng, today):
    """Service areas, teams, QA officers and 150 auditors (a team manager for each team among them)."""
    areas = insert(ServiceArea, [{"name": f"Service area {n}"} for n in range(1, SERVICE_AREAS + 1)])
    teams = insert(
        Team,
        [{"name": f"Team {area}-{n}", "service_area": area} for area in areas for n in range(1, TEAMS_PER_AREA + 1)],
    )
    password_hash = hash_password(PASSWORD)
    created = datetime.datetime.combine(today - datetime.timedelta(days=YEARS * 365), datetime.time(9))

    def person(number, job_role, team):
        return {
            "name": f"Bench Person {number}",
            "email": f"person{number}@bench.example.org",
            "job_role": job_role,
            "team": team,
            "password_hash": password_hash,
            "created_at": created,
        }

    qa_officers = insert(User, [person(n, "QA Officer", None) for n in range(1, 6)])
    job_roles = ["Team Manager"] * len(teams) + [rng.choice(["IRO", "Service Manager"]) for _ in teams]
    job_roles += [rng.choice(["IRO", "Service Manager"]) for _ in range(AUDITORS - len(job_roles))]
    auditors = insert(User, [person(6 + n, job_role, None) for n, job_role in enumerate(job_roles)])
    UserRole.insert_many([{"user": user, "role": "qa-officer"} for user in qa_officers]).execute()
    UserRole.insert_many([{"user": user, "role": "auditor"} for user in auditors]).execute()
    teams_of = {}
    for team, manager in zip(teams, auditors, strict=False):
        Team.update(manager=manager).where(Team.id == team).execute()
        User.update(team=team).where(User.id == manager).execute()
        UserRole.insert(user=manager, role="team-manager").execute()
        teams_of[manager] = team
    build_pool(auditors, today)
    return teams, qa_officers, auditors, teams_of


def build_pool(auditors, today):
    """The auditor pool of the month's audit plan: one auditor in ten with a number of audits a month of their
    own, and one in fifteen away next month, some the month after too."""
    User.update(monthly_quota=2).where(User.id.in_(auditors[::10])).execute()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    after = (next_month + datetime.timedelta(days=32)).replace(day=1)
    away = [{"user": user, "month": next_month} for user in auditors[::15]]
    away += [{"user": user, "month": after} for user in auditors[::30]]
    insert_all(AuditorAway, away)


def build_cases(rng, teams, today):
    rows = []
    for number in range(1, OPEN_CASES + CLOSED_CASES + 1):
        opened = today - datetime.timedelta(days=rng.randint(30, YEARS * 365 + 2 * 365))
        rows.append(
            {
                "reference": f"BENCH-{number:06d}",
                "initials": "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2)),
                "birth_year": rng.randint(opened.year - 17, opened.year),
                "team": rng.choice(teams),
                "worker_name": f"Worker {rng.randint(1, 400)}",
                "is_open": number <= OPEN_CASES,
                "opened_on": opened,
            }
        )
    ids = insert(Case, rows)
    references = {case_id: row["reference"] for case_id, row in zip(ids, rows, strict=True)}
    return [(case_id, row["team"]) for case_id, row in zip(ids, rows, strict=True)], references


def build_audits(rng, count, cases, qa_officers, auditors, teams_of, today):
    """`count` audits over six years, oldest first; those allocated in the last weeks are still open."""
    template = AuditTemplate.current()
    domains = [domain.id for domain in template.ordered_domains]
    busiest = auditors[-1]  # not a team manager, so any team's case may be theirs
    start = today - datetime.timedelta(days=YEARS * 365)
    days = [start + datetime.timedelta(days=int(n * YEARS * 365 / count)) for n in range(count)]
    open_cases = iter(rng.sample(cases[:OPEN_CASES], k=OPEN_CASES))  # one open audit a case at most
    # With few audits, the newest closed ones are graded Good and submitted last month, so that its
    # moderation sample fills more than a page (SAMPLE_BLOCK), as every month's does at Leeds' size; each by an
    # auditor of their own, so that calibration's auditors fill more than a page too. They are the first auditors
    # who manage no team: the moderators are the last (scale_areas.give_moderators).
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    closed = [number for number, day in enumerate(days) if (today - day).days >= OPEN_WITHIN_DAYS]
    monthly = count / (YEARS * 12)
    sample_block = closed[-SAMPLE_BLOCK:] if monthly * GOOD_SHARE < SAMPLE_BLOCK else []
    sample_auditors = dict(zip(sample_block, [a for a in auditors if a not in teams_of], strict=False))
    # With few audits, the newest others are the busiest auditor's, of one team's cases where closed, so that
    # their list and that team's fill more than a page at every size, as they do at Leeds' size.
    busiest_team = cases[0][1]
    team_cases = [case for case in cases if case[1] == busiest_team]
    newest = [number for number in range(count) if number not in sample_auditors][-FULL_LISTS:]
    theirs = set(newest) if count * BUSIEST_SHARE < FULL_LISTS else set()
    rows, grades, judgements, actions, events = [], [], [], [], []
    for number, allocated_on in enumerate(days):
        is_open = (today - allocated_on).days < OPEN_WITHIN_DAYS
        case_id, team = next(open_cases) if is_open else rng.choice(team_cases if number in theirs else cases)
        auditor = busiest if number in theirs or rng.random() < BUSIEST_SHARE else rng.choice(auditors)
        auditor = sample_auditors.get(number, auditor)
        if teams_of.get(auditor) == team:
            auditor = busiest
        due_on = allocated_on + datetime.timedelta(days=28)
        submitted = (
            None
            if is_open
            else datetime.datetime.combine(due_on, datetime.time(15)) - datetime.timedelta(days=rng.randint(-10, 20))
        )
        overall = rng.choices(GRADE_ORDER, weights=[1, 5, 3, 1])[0]  # about 60% Good or Outstanding
        if number in sample_auditors:  # graded Good and submitted last month: drawn for moderation
            day = max(
                last_month + datetime.timedelta(days=rng.randrange(28)), allocated_on + datetime.timedelta(days=1)
            )
            overall, submitted = "good", datetime.datetime.combine(day, datetime.time(15))
        grades.append([near(rng, overall) for _ in domains])
        rows.append(
            {
                "case": case_id,
                "auditor": auditor,
                "allocated_by": rng.choice(qa_officers),
                "allocated_at": datetime.datetime.combine(allocated_on, datetime.time(9, 30)),
                "due_on": due_on,
                "status": "in-progress" if is_open else "submitted",
                "template": template.id,
                "period_start": allocated_on - datetime.timedelta(days=182),
                "period_end": allocated_on,
                "about_child": sentence(rng, 40),
                "discussion_minutes": 60,
                "practitioner_view": sentence(rng, 30),
                "practitioner_differently": sentence(rng, 20),
                "immediate_concern": False,
                "supervised_recently": True,
                "overall_grade": overall,
                "overall_rationale": sentence(rng, 40),
                "submitted_at": submitted,
            }
        )
    audit_ids = insert(Audit, rows)
    for audit_id, row, audit_grades in zip(audit_ids, rows, grades, strict=True):
        judgements += [
            {
                "audit": audit_id,
                "domain": domain,
                "grade": grade,
                "evidence": sentence(rng, 120),
                "so_what": sentence(rng, 35),
            }
            for domain, grade in zip(domains, audit_grades, strict=True)
        ]
        for _ in range(int(ACTIONS_PER_AUDIT) + (rng.random() < ACTIONS_PER_AUDIT % 1)):
            actions.append(
                {
                    "audit": audit_id,
                    "what": sentence(rng, 25),
                    "owner_name": f"Worker {rng.randint(1, 400)}",
                    "owner_role": "Social Worker",
                    "due_on": row["allocated_at"].date() + datetime.timedelta(days=60),
                    "done_when": sentence(rng, 12),
                    "created_at": row["allocated_at"] + datetime.timedelta(days=10),
                }
            )
        at, auditor = row["allocated_at"], row["auditor"]
        events.append(audit_event(audit_id, at, row["allocated_by"], "created"))
        events += [
            audit_event(audit_id, at + datetime.timedelta(days=1, minutes=step), auditor, "changed", "about_child")
            for step in range(1, EVENTS_PER_AUDIT - 1)
        ]
        if row["submitted_at"]:
            events.append(audit_event(audit_id, row["submitted_at"], auditor, "submitted", "status, submitted_at"))
        else:
            events.append(audit_event(audit_id, at + datetime.timedelta(days=2), auditor, "changed", "about_child"))
    for model, records in ((DomainJudgement, judgements), (Action, actions), (Event, events)):
        insert_all(model, records)
    return audit_ids, busiest, rows, grades


def build_plans(rng, council):
    """The month's audit plan: for every past month with audits, a plan a QA officer drew and confirmed just before
    its first audit was allocated, with a planned case for each of the month's audits (one, where a case had two
    that month: a plan holds a case once); then next month's, drawn by the service's own draw at the auditor pool's
    sample size and left a draft. The month after next is left undrawn, for the benchmark to draw. Returns next
    month's plan."""
    this_month = council.now.date().replace(day=1)
    area_of_team = dict(Team.select(Team.id, Team.service_area).tuples())
    area_of = {case_id: area_of_team[team_id] for case_id, team_id in council.cases}
    by_month = defaultdict(dict)
    for audit in council.audits:  # oldest first
        month = audit["allocated_at"].date().replace(day=1)
        if month < this_month:
            by_month[month].setdefault(audit["case"], audit)
    plans, planned = [], []
    drawn_from = DrawnFrom(council, area_of)
    for month, audits in sorted(by_month.items()):
        first = min(audits.values(), key=lambda audit: audit["allocated_at"])
        confirmed_at = first["allocated_at"] - datetime.timedelta(minutes=30)
        drawn_at = confirmed_at - datetime.timedelta(minutes=30)
        qa = first["allocated_by"]
        plans.append(
            {"month": month, "seed": rng.randrange(LARGEST_INTEGER), "rule_version": PAST_RULE_VERSION}
            | {"size": len(audits), "window_months": PLAN_WINDOW_MONTHS, "audit_type": "monthly"}
            | {"counts": json.dumps(drawn_from.counts(month, drawn_at)), "drawn_by": qa, "drawn_at": drawn_at}
            | {"confirmed_by": qa, "confirmed_at": confirmed_at, "version": 2}
        )
        planned.append(audits.values())
    plan_ids = insert(AuditPlan, plans)
    insert_all(
        PlannedAudit,
        [
            {"plan": plan_id, "case": audit["case"], "service_area": area_of[audit["case"]]}
            | {"auditor": audit["auditor"], "audit": audit["id"]}
            for plan_id, audits in zip(plan_ids, planned, strict=True)
            for audit in audits
        ],
    )
    events = []
    for plan_id, plan in zip(plan_ids, plans, strict=True):
        events.append(event(plan["drawn_at"], plan["drawn_by"], "created", "AuditPlan", plan_id, PLAN_DRAWN_FIELDS))
        events.append(event(plan["confirmed_at"], plan["confirmed_by"], "changed", "AuditPlan", plan_id, "confirmed"))
    insert_all(Event, events)
    next_month = months_before(this_month, -1)
    settings = planning.Settings(
        auditor_pool.sample_size(auditor_pool.pool(next_month)), window_months=PLAN_WINDOW_MONTHS
    )
    seed = rng.randrange(LARGEST_INTEGER)
    return planning.draw(council.qa_officers[0], next_month, settings, 0, council.now, seed)


class DrawnFrom:
    """What a past month's draw had to draw from, as services/planning.draw records it in the plan's counts: the
    cases left out, by why, and each service area's open cases that were not."""

    def __init__(self, council, area_of):
        self.audits = council.audits
        self.allocated = [audit["allocated_at"] for audit in council.audits]
        open_cases = council.cases[:OPEN_CASES]
        self.open = {case_id for case_id, _ in open_cases}
        self.closed = len(council.cases) - len(open_cases)
        self.area_of = area_of
        self.by_area = Counter(area_of[case_id] for case_id in self.open)

    def counts(self, month, drawn_at):
        """The counts of `month`'s draw at `drawn_at`: only audits allocated within the window before it can have
        left an open case out, an audit not yet submitted being one of them."""
        since = datetime.datetime.combine(months_before(month, PLAN_WINDOW_MONTHS), datetime.time())
        start, end = bisect.bisect_left(self.allocated, since), bisect.bisect_left(self.allocated, drawn_at)
        open_audit, recent = set(), set()
        for audit in self.audits[start:end]:
            if audit["case"] in self.open:
                still_open = audit["submitted_at"] is None or audit["submitted_at"] > drawn_at
                (open_audit if still_open else recent).add(audit["case"])
        recent -= open_audit
        left_out = {"closed": self.closed, "open-audit": len(open_audit), "recent": len(recent)}
        strata = self.by_area - Counter(self.area_of[case_id] for case_id in open_audit | recent)
        return {
            "left_out": {why: cases for why, cases in left_out.items() if cases},
            "strata": {str(area_id): cases for area_id, cases in sorted(strata.items())},
        }


def build(database_url, audits, seed=2026, today=None):
    """A fresh, migrated database at `database_url` with the Leeds shape and `audits` audits.
    Returns the ids the benchmark pages need."""
    rng = random.Random(seed)  # noqa: S311 - seeded, repeatable data, not secrets
    now = utcnow() if today is None else datetime.datetime.combine(today, datetime.time(12))
    today = now.date()
    db.initialize(open_database(database_url))
    migrate(db.obj)
    with db.connection_context(), db.atomic():
        teams, qa_officers, auditors, teams_of = build_people(rng, today)
        cases, references = build_cases(rng, teams, today)
        audit_ids, busiest, rows, grades = build_audits(rng, audits, cases, qa_officers, auditors, teams_of, today)
        for audit_id, row in zip(audit_ids, rows, strict=True):
            row["id"] = audit_id
        council = Council(now, qa_officers, auditors, busiest, teams_of, cases, references, rows, grades)
        moderator = build_areas(rng, council)
        # Generators of their own, so that everything built before them is as it was.
        team = build_actions(random.Random(f"{seed}:team-actions"), council)  # noqa: S311 - seeded, as above
        build_plans(random.Random(f"{seed}:audit-plans"), council)  # noqa: S311 - seeded, as above
        build_themes(random.Random(f"{seed}:themes"), council)  # noqa: S311 - seeded, as above
        build_reports(random.Random(f"{seed}:reports"), council)  # noqa: S311 - seeded, as above
        build_access(random.Random(f"{seed}:access"), council)  # noqa: S311 - seeded, as above
        build_retention(random.Random(f"{seed}:retention"), council)  # noqa: S311 - seeded, as above
        dashboard_tallies.rebuild()  # what the services keep as each record changes, for all of them at once
    db.close_all()  # the pool's connection: closing it writes everything into the file itself
    return {
        "qa_officer": qa_officers[0],
        "busiest_auditor": busiest,
        "busiest_moderator": moderator,
        "audit_id": audit_ids[-1],
        "team_manager": team["team_manager"],
        "service_manager": team["service_manager"],
        "practitioner": team["practitioner"],
        "password": PASSWORD,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the SQLite file to create (it must not exist)")
    parser.add_argument("--audits", type=int, default=24_000, help="how many audits (default 24,000)")
    options = parser.parse_args()
    if pathlib.Path(options.path).exists():
        parser.error(f"{options.path} exists already: name a new file")
    started = time.monotonic()
    ids = build(f"sqlite:///{options.path}", options.audits)
    with db.connection_context():
        counted = (Case, Audit, DomainJudgement, Action, Event, Moderation, DomainModeration, ImmediateResponse)
        counted += (FamilyFeedback, IroFeedback, Notice, AuditPlan, PlannedAudit)
        counted += (ActionStep, ActionReview, Reflection, ActionFollowUp, ThemeTag, AccessRecord)
        counts = {model.__name__: model.select().count() for model in counted}
        counts["Action sent"] = Action.select().where(Action.received_on.is_null(False)).count()
        counts["Action not closed"] = Action.select().where(Action.list_order < 2 * Action.LIST_BAND).count()
        counts["ActionReview waiting"] = ActionReview.select().where(ActionReview.reviewed_at.is_null()).count()
    print(f"Built {options.path} in {time.monotonic() - started:.0f} s: {counts}; {ids}")


if __name__ == "__main__":
    main()

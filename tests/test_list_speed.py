"""Every list stays as quick with 500 rows as with 10: a page runs the same few queries wherever it is
in the list, walking the pages shows every row once and in order, and no query reads a big table
whole or sorts it (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL)."""

import dataclasses
import datetime
import itertools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from peewee import PostgresqlDatabase, chunked

from models import (
    AccessRecord,
    Action,
    ActionReview,
    AllocationChange,
    Audit,
    AuditPlan,
    AuditTemplate,
    Case,
    CaseImport,
    DashboardTally,
    DomainJudgement,
    DomainModeration,
    Event,
    FamilyFeedback,
    Flag,
    ImmediateResponse,
    ImportRow,
    IroFeedback,
    Moderation,
    ModerationDraw,
    Notice,
    PlannedAudit,
    ReliabilityExercise,
    ServiceArea,
    Team,
    ThemeTally,
    User,
    UserRole,
    db,
)
from services import calibration_tallies, dashboard_tallies, team_actions
from services.audits import months_before
from services.dates import uk_today
from services.immediate_responses import list_order
from services.pagination import PER_PAGE
from tests import plans
from tests.conftest import sign_in_client
from tests.moderated import ModeratedAudits, small_template
from tests.pages import numbered_page_link, page_link
from tests.plans import capture, postgres_problems, sqlite_problems

ALLOCATED = datetime.datetime(2026, 3, 2, 9, 0)
HOUR = datetime.timedelta(hours=1)

# What tells one row of a list from another on its page.
NEXT_MONTH = months_before(uk_today().replace(day=1), -1)
FIRST_CELL = r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">([^<]+)</td>'
EMAIL = r'<span class="govuk-body-s app-secondary-text">([^<@]+@[^<]+)</span>'
CASE_LINK = r'href="/cases/(\d+)"'
AUDIT_LINK = r'href="/audits/(\d+)"'
EVENT_RECORD = r'>(\w+ \d+)<span class="govuk-visually-hidden">: show only its events'
NOTICE_LINK = r'href="/notices/(\d+)"'
RESPONSE_LINK = r'href="/immediate-responses/(\d+)"'
MODERATION_LINK = r'href="/moderations/(\d+)"'
EXERCISE_LINK = r'href="/reliability-exercises/(\d+)"'
TEAM_ACTION_LINK = r'href="/team-actions/(\d+)"'
FEEDBACK_LINK = r'href="/audits/\d+#family-feedback-(\d+)"'


def insert(model, rows):
    """Insert `rows` (dicts) a few hundred to a statement; returns the new ids in order."""
    with db.atomic():
        return [
            row[0]
            for batch in chunked(rows, 200)
            for row in model.insert_many(batch).returning(model.id).tuples().execute()
        ]


def case_row(reference, team, is_open=True):
    return {
        "reference": reference,
        "initials": "AB",
        "birth_year": 2015,
        "team": team.id,
        "worker_name": "Sam Worker",
        "is_open": is_open,
        "opened_on": datetime.date(2024, 3, 1),
    }


class Rows:
    """Rows for each list, added in bulk, numbered on from those added before and inserted in a
    shuffled order, so that ids do not follow the list's order; where a list's order can tie, rows
    tie in threes, so that only the id orders them."""

    def __init__(self, me, team, case, other_user, other_team):
        self.me, self.team, self.case, self.other_user, self.other_team = me, team, case, other_user, other_team
        self.template = AuditTemplate.current()
        self.counter = itertools.count(1)
        self.random = random.Random(8)
        self.regions = []

    def numbered(self, count):
        numbers = [next(self.counter) for _ in range(count)]
        self.random.shuffle(numbers)
        return numbers

    def flags(self, count):
        insert(Flag, [{"name": f"Speed flag {n:04d}"} for n in self.numbered(count)])

    def service_areas(self, count):
        insert(ServiceArea, [{"name": f"Speed area {n:04d}"} for n in self.numbered(count)])

    def teams(self, count):
        self.regions = self.regions or insert(ServiceArea, [{"name": f"Speed region {n}"} for n in range(3)])
        teams = [
            {
                "name": f"Speed team {n:04d}",
                "service_area": self.regions[n % 3],
                "manager": self.me.id if n % 2 else None,
            }
            for n in self.numbered(count)
        ]
        insert(Team, teams)

    def users(self, count):
        people = [
            {
                "name": f"Speed person {n % 7}",
                "email": f"speed{n:04d}@example.gov.uk",
                "job_role": "IRO",
                "team": self.team.id,
            }
            for n in self.numbered(count)
        ]
        insert(UserRole, [{"user": user, "role": "auditor"} for user in insert(User, people)])

    def cases(self, count):
        insert(Case, [case_row(f"SPEED-{n:04d}", self.team, is_open=n % 2 == 0) for n in self.numbered(count)])

    def cases_past_their_time(self, count):
        """Cases closed long enough ago for retention to remove them, closed on days that tie in threes."""
        closed = [
            case_row(f"CLOSED-{n:04d}", self.team, is_open=False)
            | {"closed_on": datetime.date(2015, 1, 1) + datetime.timedelta(days=n // 3)}
            for n in self.numbered(count)
        ]
        insert(Case, closed)

    def cases_on_hold(self, count):
        """Closed cases on legal hold, put on hold at times that tie in threes."""
        hold = {"held_because": "Court proceedings", "held_by": self.me.id}
        held = [
            case_row(f"HELD-{n:04d}", self.team, is_open=False) | hold | {"held_at": ALLOCATED + HOUR * (n // 3)}
            for n in self.numbered(count)
        ]
        insert(Case, held)

    def audit_row(self, number, case_id, auditor_id, status, start=ALLOCATED):
        status = status or list(Audit.STATUSES)[number % 3]
        return {
            "submitted_at": start if status in Audit.DONE else None,
            "overall_grade": "good" if status in Audit.DONE else None,
            "case": case_id,
            "auditor": auditor_id,
            "allocated_by": self.me.id,
            "allocated_at": start + datetime.timedelta(hours=number // 3),
            "due_on": start.date() + datetime.timedelta(days=28 + number // 3),
            "status": status,
            "template": self.template.id,
            "period_start": datetime.date(2025, 9, 1),
            "period_end": datetime.date(2026, 3, 1),
        }

    def audits(self, count, auditor=None, team=None, status=None, start=ALLOCATED):
        """Audits allocated from `start`, each of its own case (a case has one open audit at most)."""
        numbers = self.numbered(count)
        cases = insert(Case, [case_row(f"AUDITED-{n:04d}", team or self.team) for n in numbers])
        auditor_id = (auditor or self.me).id
        insert(
            Audit, [self.audit_row(n, case, auditor_id, status, start) for n, case in zip(numbers, cases, strict=True)]
        )

    def case_audits(self, count):
        """Submitted audits of the one case, each by its own auditor, whose name the case's page shows."""
        numbers = self.numbered(count)
        people = [
            {"name": f"Speed auditor {n:04d}", "email": f"auditor{n:04d}@example.gov.uk", "job_role": "IRO"}
            for n in numbers
        ]
        auditors = insert(User, people)
        audits = [
            self.audit_row(n, self.case.id, auditor, "submitted") for n, auditor in zip(numbers, auditors, strict=True)
        ]
        insert(Audit, audits)

    def events(self, count, record_type="Case", record_id=None, user=None):
        user_id = (user or self.me).id
        events = [
            {"user": user_id, "action": "changed", "record_type": record_type, "record_id": record_id or n}
            for n in self.numbered(count)
        ]
        insert(Event, events)

    def immediate_responses(self, count, team=None):
        """Immediate Responses raised on cases of the team (or `team`), each case its own: a third still raised, a
        third acknowledged, a third closed, due on days that tie in threes."""
        numbers = self.numbered(count)
        cases = insert(Case, [case_row(f"RESPONDED-{n:04d}", team or self.team) for n in numbers])
        rows = []
        for n, case in zip(numbers, cases, strict=True):
            status, due_on = list(ImmediateResponse.STATUSES)[n % 3], ALLOCATED.date() + datetime.timedelta(days=n // 9)
            row = {"case": case, "raised_by": self.me.id, "who_acts": self.me.id, "trigger": "safeguarding"}
            row |= {"found": "Found", "must_happen": "Must happen", "urgency": "today", "raised_at": ALLOCATED}
            rows.append(row | {"due_on": due_on, "status": status, "list_order": list_order(status, due_on)})
        insert(ImmediateResponse, rows)

    def moderations(self, count, drawn_by_month=False, done=False):
        """Moderations of submitted audits, given to me: in three draws of this month (the sample's list), or
        each in a draw of its own month (my list), due three to a day, a third of them started; or `done`,
        submitted three to an hour."""
        numbers = self.numbered(count)
        auditor = self.other_user.id
        cases = insert(Case, [case_row(f"MODERATED-{n:04d}", self.other_team) for n in numbers])
        audits = insert(
            Audit,
            [self.audit_row(n, case, auditor, "submitted") for n, case in zip(numbers, cases, strict=True)],
        )
        this_month = uk_today().replace(day=1)
        if drawn_by_month:
            months = [datetime.date(1000 + n, 1, 1) for n in numbers]
        else:
            months = [this_month] * len(numbers)
        draw_rows = [
            {
                "month": month,
                "round": n + 1000,
                "seed": n,
                "rule_version": 1,
                "percentage": 30,
                "population": "[]",
                "drawn_by": self.me.id,
                "due_on": ALLOCATED.date(),
            }
            for n, month in zip(numbers, months, strict=True)
        ]
        draws = insert(ModerationDraw, draw_rows)
        insert(
            Moderation,
            [
                {
                    "audit": audit,
                    "draw": draws[index // 3 * 3],
                    "chosen_because": "random",
                    "moderator": self.me.id,
                    "auditor_grade": "good",
                    "due_on": ALLOCATED.date() + datetime.timedelta(days=n // 3),
                }
                | (
                    {"status": "submitted", "submitted_at": ALLOCATED + datetime.timedelta(hours=n // 3)}
                    if done
                    else {"status": "in-progress" if n % 3 == 0 else "assigned"}
                )
                for index, (n, audit) in enumerate(zip(numbers, audits, strict=True))
            ],
        )

    def my_moderations(self, count):
        self.moderations(count, drawn_by_month=True)

    def my_moderations_done(self, count):
        self.moderations(count, drawn_by_month=True, done=True)

    def planned_cases(self, count):
        """Cases drawn in next month's draft audit plan, each a new case of the team."""
        plan = AuditPlan.get_or_create(
            month=NEXT_MONTH,
            defaults={
                "seed": 1,
                "rule_version": 1,
                "size": 1,
                "window_months": 12,
                "audit_type": "monthly",
                "drawn_by": self.me.id,
            },
        )[0]
        numbers = self.numbered(count)
        cases = insert(Case, [case_row(f"PLANNED-{n:04d}", self.team) for n in numbers])
        rows = [
            {"plan": plan.id, "case": case, "service_area": self.team.service_area_id, "auditor": self.other_user.id}
            for case in cases
        ]
        insert(PlannedAudit, rows)

    def import_lines(self, count):
        """New cases in the preview of an import."""
        upload = CaseImport.get_or_create(
            id=1,
            defaults={
                "uploaded_by": self.me.id,
                "file_name": "open-cases.csv",
                "headers": "[]",
                "rows": "[]",
                "counts": '{"new": 1}',
                "previewed_at": ALLOCATED,
            },
        )[0]
        rows = [
            {"case_import": upload.id, "kind": "new", "row_number": n + 1, "reference": f"IMPORT-{n:05d}"}
            for n in self.numbered(count)
        ]
        insert(ImportRow, rows)

    def deferments(self, count):
        """Later due dates asked for, of one audit."""
        audit = Audit.open_for_case(self.case) or Audit.create(
            **self.audit_row(1, self.case.id, self.me.id, "allocated")
        )
        rows = [
            {
                "audit": audit.id,
                "kind": "deferment",
                "made_by": self.me.id,
                "made_at": ALLOCATED,
                "reason": "Leave",
                "due_before": datetime.date(2026, 4, 1),
                "due_after": datetime.date(2026, 4, 15),
                "status": "asked",
            }
            for _ in self.numbered(count)
        ]
        insert(AllocationChange, rows)

    def team_actions(self, count, team=None, each_team=False):
        """Actions sent to the team (or `team`), three to an audit of a case of its own: mostly with the team manager,
        some waiting for someone else, a ninth closed, their deadlines and the days closed tying in threes. With
        `each_team`, the actions go to each of the teams in turn (a team manager of several)."""
        numbers = self.numbered(count)
        teams = [team or self.team] if not each_team else team
        audits = {}
        for n in sorted({n // 3 for n in numbers}):
            case = insert(Case, [case_row(f"ACTIONED-{min(numbers)}-{n}", teams[n % len(teams)])])[0]
            audits[n] = (Audit.create(**self.audit_row(n, case, self.me.id, "submitted")).id, teams[n % len(teams)])
        rows = []
        for n in numbers:
            audit, on_team = audits[n // 3]
            status = ("open", "done", "decision", "disputed", "signed-off", "open", "done", "open", "authorised")[n % 9]
            deadline = ALLOCATED.date() + datetime.timedelta(days=n // 3)
            closed = status in ("authorised", "withdrawn")
            row = {"audit": audit, "what": f"Action {n}", "owner_name": "Sam", "owner_role": "Social Worker"}
            row |= {"due_on": deadline, "done_when": "Seen", "team": on_team.id, "received_on": ALLOCATED.date()}
            order = team_actions.list_order(status, deadline, deadline if closed else None)
            row |= {"status": status, "deadline": deadline, "list_order": order}
            rows.append(row | {"closed_at": ALLOCATED if closed else None})
        insert(Action, rows)

    def action_reviews(self, count, team=None, each_team=False, reviewed=False, due_later=False):
        """Four-month reviews of audits submitted long ago, each of a case of its own with one action sent: due, but a
        twentieth reviewed (or, `reviewed`, all), their days tying in threes. With `each_team`, to each of the teams in
        turn. With `due_later`, none reviewed and all due after today."""
        numbers = self.numbered(count)
        teams = [team or self.team] if not each_team else team
        start = datetime.datetime(2025, 6, 2, 9, 0)
        cases = insert(Case, [case_row(f"REVIEWED-{n:05d}", teams[n % len(teams)]) for n in numbers])
        audits = insert(
            Audit,
            [self.audit_row(n, case, self.me.id, "submitted", start) for n, case in zip(numbers, cases, strict=True)],
        )
        day = datetime.date(2025, 10, 1) if not due_later else uk_today() + datetime.timedelta(days=30)
        reviews, actions = [], []
        for n, audit in zip(numbers, audits, strict=True):
            team = teams[n % len(teams)].id
            at = ALLOCATED + datetime.timedelta(hours=n // 3) if reviewed or (n % 20 == 0 and not due_later) else None
            reviews.append(
                {"audit": audit, "team": team, "due_on": day + datetime.timedelta(days=n // 9)}
                | {"reviewed_at": at, "reviewed_by": self.me.id if at else None, "comment": "Seen"}
            )
            actions.append(
                {
                    "audit": audit,
                    "what": f"Action {n}",
                    "owner_name": "Sam",
                    "owner_role": "Social Worker",
                    "due_on": day,
                    "done_when": "Seen",
                    "team": team,
                    "received_on": day,
                    "deadline": day,
                    "list_order": day.toordinal(),
                }
            )
        insert(ActionReview, reviews)
        insert(Action, actions)

    def reliability_exercises(self, count):
        """Exercises on the one case, each with two people taking part."""
        exercises = [
            {
                "case": self.case.id,
                "template": self.template.id,
                "set_by": self.me.id,
                "created_at": ALLOCATED + datetime.timedelta(hours=n // 3),
                "due_on": datetime.date(2026, 4, 1),
            }
            for n in self.numbered(count)
        ]
        ids = insert(ReliabilityExercise, exercises)
        rows = [
            self.audit_row(n, self.case.id, auditor.id, None) | {"exercise": exercise}
            for n, exercise in enumerate(ids)
            for auditor in (self.me, self.other_user)
        ]
        insert(Audit, rows)

    def access_records(self, count):
        """Views of the case's records by me, a record of a different audit each, on the same case."""
        views = [
            {
                "user": self.me.id,
                "at": ALLOCATED + datetime.timedelta(minutes=n),
                "case_id": self.case.id,
                "record_type": "Audit",
                "record_id": n,
                "kind": "page",
                "path": f"/audits/{n}",
            }
            for n in self.numbered(count)
        ]
        insert(AccessRecord, views)

    def notices(self, count, user=None):
        recipient = (user or self.me).id
        notices = [
            {
                "recipient": recipient,
                "subject": f"Speed notice {n:04d}",
                "body": "Body",
                "link": "/",
                "created_at": ALLOCATED + datetime.timedelta(hours=n // 3),
            }
            for n in self.numbered(count)
        ]
        insert(Notice, notices)

    def moderations_drawn(self, count, start=None):
        """Moderations of submitted audits of the other team's cases, three to a draw, the draws of this month and
        the two before it in turn (or all of `start`'s month): a third not started, a third in progress, and a third
        submitted, half of those with the overall grade changed; all but every fourth given to me."""
        numbers = self.numbered(count)
        cases = insert(Case, [case_row(f"DRAWN-{n:05d}", self.other_team) for n in numbers])
        audits = insert(
            Audit,
            [self.audit_row(n, case, self.other_user.id, "submitted") for n, case in zip(numbers, cases, strict=True)],
        )
        firsts = numbers[::3]  # each draw's first moderation, whose number the draw takes as its round
        draw_rows = [
            {"month": start or months_before(this_month(), index % 3), "round": 1000 + n, "seed": n}
            | {
                "rule_version": 1,
                "percentage": 30,
                "population": "[]",
                "drawn_by": self.me.id,
                "due_on": ALLOCATED.date(),
            }
            for index, n in enumerate(firsts)
        ]
        draws = insert(ModerationDraw, draw_rows)
        rows = []
        for index, (n, audit) in enumerate(zip(numbers, audits, strict=True)):
            status = list(Moderation.STATUSES)[n % 3]
            row = {"audit": audit, "draw": draws[index // 3], "chosen_because": "random", "auditor_grade": "good"}
            row |= {"moderator": (self.other_user if n % 4 == 0 else self.me).id, "status": status}
            row |= {"due_on": ALLOCATED.date() + datetime.timedelta(days=n // 3)}
            grade = ("good" if n % 2 else "requires-improvement") if status == "submitted" else None
            row |= {"grade": grade, "agrees": grade and grade == "good", "submitted_at": grade and ALLOCATED}
            rows.append(row)
        insert(Moderation, rows)

    def family_feedback(self, count, team=None, start=ALLOCATED):
        """Families' feedback, three to an audit of a case of the team (or `team`) of its own, recorded at the same
        moment: two in three gathered, the others not, because they declined or did not reply, in turn."""
        numbers = self.numbered(count)
        reasons = ["declined", "no-reply"]
        audits = {}
        for g in sorted({n // 3 for n in numbers}):
            case = insert(Case, [case_row(f"HEARD-{min(numbers)}-{g}", team or self.team)])[0]
            audits[g] = Audit.create(**self.audit_row(g, case, self.me.id, "submitted", start)).id
        rows = []
        for n in numbers:
            row = {"audit": audits[n // 3], "recorded_by": self.me.id, "given_by": "mother", "created_at": ALLOCATED}
            gathered = n % 3 != 0
            row |= {"gathered": gathered, "given_on": ALLOCATED.date()}
            row |= {"how": "phone", "helpfulness": 1 + n % 5} if gathered else {"how": "", "helpfulness": None}
            rows.append(row | {"not_gathered_reason": "" if gathered else reasons[n // 3 % 2]})
        insert(FamilyFeedback, rows)

    def notices_sent(self, count):
        """Notices to me and (every fourth) to the other person, written three to an hour: a third waiting to be
        emailed, a third sent, a third not sent."""
        rows = [
            {
                "recipient": (self.other_user if n % 4 == 0 else self.me).id,
                "subject": f"Sent notice {n:05d}",
                "body": "Body",
                "link": "/",
                "created_at": ALLOCATED + datetime.timedelta(hours=n // 3),
                "email_status": list(Notice.EMAIL_STATUSES)[n % 3],
            }
            for n in self.numbered(count)
        ]
        insert(Notice, rows)


@pytest.fixture
def rows(login_as, make_user, make_team, make_case):
    """Signed in as a QA officer who audits too (so every list is theirs to see), with a team and a
    case, and another person and team for the filters to leave out."""
    me = login_as("qa-officer", "auditor", "moderator", "practitioner")
    team = make_team()
    return Rows(me, team, make_case(team=team), make_user(roles=("auditor",)), make_team())


def in_order(query, key, shown, newest_first=False):
    """What identifies each row of `query` on its page, in the order `key` puts them (sorted here, not by the app)."""
    return [shown(row) for row in sorted(query, key=key, reverse=newest_first)]


def needs_attention_first(response):
    """The order of the list of Immediate Responses: those to acknowledge, soonest due first; those to close,
    soonest due first; the closed, latest due first."""
    rank, day = list(ImmediateResponse.STATUSES).index(response.status), response.due_on.toordinal()
    return rank, -day if response.status == "closed" else day, response.id


@dataclass(frozen=True)
class Listing:
    url: str | Callable[[Rows], str]  # or the address of the rows' own list
    add: str  # the method of Rows that adds its rows
    shown: str  # what identifies a row on the page
    order: Callable[[Rows], list]  # the rows' identifiers in the list's order


LISTINGS = {
    "my audits": Listing(
        "/my-audits",
        "audits",
        AUDIT_LINK,
        lambda rows: in_order(
            Audit.select().where(Audit.auditor == rows.me), lambda a: (a.due_on, a.id), lambda a: str(a.id)
        ),
    ),
    "audits": Listing(
        "/audits",
        "audits",
        AUDIT_LINK,
        lambda rows: in_order(Audit.select(), lambda a: (a.allocated_at, a.id), lambda a: str(a.id), newest_first=True),
    ),
    "event log": Listing(
        "/admin/event-log",
        "events",
        EVENT_RECORD,
        lambda rows: in_order(
            Event.select(), lambda e: e.id, lambda e: f"{e.record_type} {e.record_id}", newest_first=True
        ),
    ),
    "notices": Listing(
        "/notices",
        "notices",
        NOTICE_LINK,
        lambda rows: in_order(
            Notice.select().where(Notice.recipient == rows.me),
            lambda n: (n.created_at, n.id),
            lambda n: str(n.id),
            newest_first=True,
        ),
    ),
    "immediate responses": Listing(
        "/immediate-responses",
        "immediate_responses",
        RESPONSE_LINK,
        lambda rows: in_order(ImmediateResponse.select(), needs_attention_first, lambda r: str(r.id)),
    ),
    "my moderations": Listing(
        "/moderations",
        "my_moderations",
        MODERATION_LINK,
        lambda rows: in_order(
            Moderation.select().where(Moderation.moderator == rows.me),
            lambda m: (m.due_on, m.id),
            lambda m: str(m.id),
        ),
    ),
    "my moderations done": Listing(
        "/moderations/done",
        "my_moderations_done",
        MODERATION_LINK,
        lambda rows: in_order(
            Moderation.select().where(Moderation.moderator == rows.me),
            lambda m: (m.submitted_at, m.id),
            lambda m: str(m.id),
            newest_first=True,
        ),
    ),
    "moderation sample": Listing(
        f"/moderation-sample?month={uk_today():%Y-%m}",
        "moderations",
        AUDIT_LINK,
        lambda rows: in_order(
            Moderation.select().join(ModerationDraw).where(ModerationDraw.month == uk_today().replace(day=1)),
            lambda m: (m.draw_id, m.id),
            lambda m: str(m.audit_id),
        ),
    ),
    "reliability exercises": Listing(
        "/reliability-exercises",
        "reliability_exercises",
        EXERCISE_LINK,
        lambda rows: in_order(
            ReliabilityExercise.select(), lambda e: (e.created_at, e.id), lambda e: str(e.id), newest_first=True
        ),
    ),
    "audit plan": Listing(
        f"/audit-plan?month={NEXT_MONTH:%Y-%m}",
        "planned_cases",
        CASE_LINK,
        lambda rows: in_order(PlannedAudit.select(), lambda p: p.id, lambda p: str(p.case_id)),
    ),
    "import preview": Listing(
        "/case-import/1?show=new",
        "import_lines",
        r'<td class="govuk-table__cell">IMPORT-(\d+)</td>',
        lambda rows: in_order(ImportRow.select(), lambda line: line.id, lambda line: line.reference.split("-")[1]),
    ),
    "later due dates asked for": Listing(
        "/deferments",
        "deferments",
        r'href="/deferments/(\d+)"',
        lambda rows: in_order(AllocationChange.select(), lambda change: change.id, lambda change: str(change.id)),
    ),
    "team actions": Listing(
        "/team-actions",
        "team_actions",
        TEAM_ACTION_LINK,
        lambda rows: in_order(
            Action.select().where(Action.list_order < 2 * Action.LIST_BAND),
            lambda a: (a.list_order, a.id),
            lambda a: str(a.id),
        ),
    ),
    "four-month review": Listing(
        "/action-reviews",
        "action_reviews",
        r'href="/action-reviews/(\d+)"',
        lambda rows: in_order(
            ActionReview.select().where(ActionReview.reviewed_at.is_null()),
            lambda r: (r.due_on, r.id),
            lambda r: str(r.id),
        ),
    ),
    "cases": Listing(
        "/cases",
        "cases",
        CASE_LINK,
        lambda rows: in_order(Case.select(), lambda c: (c.reference, c.id), lambda c: str(c.id)),
    ),
    "cases past their time": Listing(
        "/retention",
        "cases_past_their_time",
        CASE_LINK,
        lambda rows: in_order(Case.select().where(~Case.is_open), lambda c: (c.closed_on, c.id), lambda c: str(c.id)),
    ),
    "cases on legal hold": Listing(
        "/retention/legal-holds",
        "cases_on_hold",
        CASE_LINK,
        lambda rows: in_order(
            Case.select().where(Case.held_because != ""), lambda c: (c.held_at, c.id), lambda c: str(c.id)
        ),
    ),
    "users": Listing(
        "/admin/users",
        "users",
        EMAIL,
        lambda rows: in_order(User.select(), lambda u: (u.name, u.id), lambda u: u.email),
    ),
    "teams": Listing(
        "/admin/teams",
        "teams",
        FIRST_CELL,
        lambda rows: in_order(
            Team.select(Team, ServiceArea).join(ServiceArea),
            lambda t: (t.service_area.name, t.name, t.id),
            lambda t: t.name,
        ),
    ),
    "service areas": Listing(
        "/admin/service-areas",
        "service_areas",
        FIRST_CELL,
        lambda rows: in_order(ServiceArea.select(), lambda s: (s.name, s.id), lambda s: s.name),
    ),
    "flags": Listing(
        "/admin/flags",
        "flags",
        FIRST_CELL,
        lambda rows: in_order(Flag.select(), lambda f: (f.name, f.id), lambda f: f.name),
    ),
    "all moderations": Listing(
        "/all-moderations",
        "moderations_drawn",
        AUDIT_LINK,
        lambda rows: in_order(
            Moderation.select(), lambda m: (m.draw_id, m.id), lambda m: str(m.audit_id), newest_first=True
        ),
    ),
    "families' feedback": Listing(
        "/family-feedback",
        "family_feedback",
        FEEDBACK_LINK,
        lambda rows: in_order(
            FamilyFeedback.select(), lambda f: (f.audit_id, f.created_at, f.id), lambda f: str(f.id), newest_first=True
        ),
    ),
    "who has looked": Listing(
        lambda rows: f"/cases/{rows.case.id}/who-has-looked",
        "access_records",
        r">Audit (\d+) \(page\)<",
        lambda rows: in_order(
            AccessRecord.select().where(AccessRecord.case_id == rows.case.id),
            lambda a: a.id,
            lambda a: str(a.record_id),
            newest_first=True,
        ),
    ),
    "notices sent": Listing(
        "/admin/notices-sent",
        "notices_sent",
        FIRST_CELL,
        lambda rows: in_order(Notice.select(), lambda n: (n.created_at, n.id), lambda n: n.subject, newest_first=True),
    ),
}


def walk(get_page, url, rel, shown):
    """What each page shows, from `url` on, following its `rel` ("next" or "prev") links to the end."""
    pages = []
    while url:
        body = get_page(url).get_data(as_text=True)
        pages.append(re.findall(shown, body))
        url = page_link(body, rel) if f'rel="{rel}"' in body else None
    return pages


def last_page_link(body):
    """The link to the last page: the highest numbered of a page's links."""
    link = numbered_page_link(body, max(int(n) for n in re.findall(rb'aria-label="Page (\d+)"', body)))
    assert "last=1" in link
    return link


@pytest.mark.parametrize("name", LISTINGS)
def test_every_page_of_a_list_shows_its_rows_in_order_for_what_the_first_costs(
    client, rows, get_page, count_queries, name
):
    listing = LISTINGS[name]
    if callable(listing.url):
        listing = dataclasses.replace(listing, url=listing.url(rows))
    add = getattr(rows, listing.add)

    def cost(url):
        return count_queries(lambda: get_page(url))

    add(10)
    first_of_ten = cost(listing.url)

    add(50)
    expected = listing.order(rows)
    pages = [expected[start : start + PER_PAGE] for start in range(0, len(expected), PER_PAGE)]
    assert len(pages) == 3
    assert walk(get_page, listing.url, "next", listing.shown) == pages
    last = last_page_link(get_page(listing.url).data)
    assert walk(get_page, last, "prev", listing.shown) == pages[::-1]

    add(440)
    first = get_page(listing.url).data
    last = last_page_link(first)
    second, last_but_one = page_link(first, "next"), page_link(get_page(last).data, "prev")
    assert "after=" in second and "before=" in last_but_one
    costs = {"first": cost(listing.url), "last": cost(last), "second": cost(second), "last but one": cost(last_but_one)}
    # The last page reads the list backwards from its end, for what the first page costs. A page
    # reached from the page beside it (after= or before= a row) first reads that row: one query more.
    assert costs == {
        "first": first_of_ten,
        "last": first_of_ten,
        "second": first_of_ten + 1,
        "last but one": first_of_ten + 1,
    }


def test_a_cases_page_lists_all_its_audits_newest_first_for_the_same_queries(client, rows, get_page, count_queries):
    url = f"/cases/{rows.case.id}"
    rows.case_audits(10)
    few = count_queries(lambda: get_page(url))
    rows.case_audits(50)
    newest_first = in_order(
        Audit.select(Audit, User).join(User, on=Audit.auditor == User.id).where(Audit.case == rows.case),
        lambda a: (a.allocated_at, a.id),
        lambda a: a.auditor.name,
        newest_first=True,
    )
    # The case's page is not paged: one page holds every audit of the case.
    assert walk(get_page, url, "next", FIRST_CELL) == [newest_first]
    rows.case_audits(440)
    assert count_queries(lambda: get_page(url)) == few


# The pages whose queries are explained. Each list is visited at its first page, the next page, its
# last page and the page before the last (a before= link), with and without each of its filters.


def audits_by_every_filter(rows):
    rows.audits(60, status="submitted")
    rows.audits(
        10, auditor=rows.other_user, team=rows.other_team, status="allocated", start=datetime.datetime(2025, 1, 6)
    )
    each = [
        "status=submitted",
        f"team={rows.team.id}",
        f"auditor={rows.me.id}",
        "audit_type=monthly",
        "from_month=2026-03&to_month=2026-03",
        f"service_area={rows.team.service_area_id}",
        "submitted=on-time",
        "grade=good",
    ]
    rows.audits(60, status="allocated")  # past their due date, for the list of those overdue
    lists = ["/audits", *(f"/audits?{one}" for one in each), "/audits?" + "&".join(each), "/audits?overdue=yes"]
    return lists, []


def my_audits(rows):
    """My audits, and the home page, which counts those still to submit."""
    rows.audits(60)
    rows.audits(10, auditor=rows.other_user)
    return ["/my-audits"], ["/"]


def events_by_every_filter(rows):
    rows.events(60, record_id=7)
    rows.events(10, record_type="Team", user=rows.other_user)
    each = ["record_type=Case", "record_type=Case&record_id=7", f"user={rows.me.id}"]
    return ["/admin/event-log", *(f"/admin/event-log?{one}" for one in each), "/admin/event-log?" + "&".join(each)], []


def cases_by_every_filter(rows):
    rows.cases(120)
    return ["/cases", "/cases?status=open", "/cases?status=closed", "/cases?q=SPEED"], []


def named_lists(rows):
    rows.users(60)
    rows.teams(60)
    rows.service_areas(60)
    rows.flags(60)
    lists = ["/admin/users", "/admin/teams", "/admin/service-areas", "/admin/flags"]
    return [*lists, *(f"{url}?q=Speed" for url in lists)], []


def immediate_responses_by_every_filter(rows):
    """The list with each filter; one of them, its Word form, and acknowledging it."""
    rows.immediate_responses(180)  # each filter leaves more than two pages
    rows.immediate_responses(12, team=rows.other_team)
    each = ["status=raised", "status=closed", f"team={rows.team.id}", "overdue=yes"]
    url = "/immediate-responses"
    paged = [url, *(f"{url}?{one}" for one in each), f"{url}?status=raised&team={rows.team.id}&overdue=yes"]
    response = ImmediateResponse.select().where(ImmediateResponse.status == "raised").first()
    single = [f"{url}/{response.id}", f"{url}/{response.id}.docx", f"{url}/{response.id}/acknowledge"]
    return paged, single


def notices_of_two_people(rows):
    """My notices, paged, and one of them."""
    rows.notices(60)
    rows.notices(10, user=rows.other_user)
    notice = Notice.select().where(Notice.recipient == rows.me).first()
    return ["/notices"], [f"/notices/{notice.id}"]


def a_moderator_s_lists(rows):
    """A moderator's moderations to do and done."""
    rows.my_moderations(60)
    rows.my_moderations_done(60)
    return ["/moderations", "/moderations/done"], []


def a_case_and_an_audit(rows):
    """The case's page with its audits, and an audit's page with its judgements and actions."""
    rows.case_audits(30)
    audit = Audit.create(**rows.audit_row(1, rows.case.id, rows.me.id, "in-progress"))
    domains = [domain.id for domain in rows.template.ordered_domains]
    insert(DomainJudgement, [{"audit": audit.id, "domain": domain, "grade": "good"} for domain in domains])
    action = {
        "audit": audit.id,
        "what": "Visit",
        "owner_name": "Sam",
        "owner_role": "Social Worker",
        "done_when": "Seen",
    }
    insert(Action, [action | {"due_on": datetime.date(2026, 5, day)} for day in range(1, 4)])
    return [], [f"/cases/{rows.case.id}", f"/audits/{audit.id}"]


def the_monthly_programme(rows):
    """Next month's audit plan, an import's preview and the later due dates asked for; the pool and the year."""
    rows.planned_cases(60)
    rows.import_lines(60)
    rows.deferments(60)
    paged = [f"/audit-plan?month={NEXT_MONTH:%Y-%m}", "/case-import/1?show=new", "/deferments"]
    return paged, ["/auditor-pool", "/annual-programme"]


def team_actions_by_every_filter(rows):
    """The team actions list with each filter, one action's page, and a step's."""
    rows.team_actions(600)  # each filter leaves more than two pages
    rows.team_actions(12, team=rows.other_team)
    url = "/team-actions"
    each = ["state=overdue", "state=disputed", "state=closed", "state=all", f"team={rows.team.id}"]
    paged = [url, *(f"{url}?{one}" for one in each), f"{url}?state=open&team={rows.team.id}"]
    action = Action.get(Action.status == "disputed")
    return paged, [f"{url}/{action.id}", f"{url}/{action.id}/upheld"]


def action_reviews_by_every_filter(rows):
    """The four-month review with each filter, one review's page, and the workbook."""
    rows.action_reviews(120)
    rows.action_reviews(80, reviewed=True)
    rows.action_reviews(12, team=rows.other_team)
    url = "/action-reviews"
    paged = [url, f"{url}?state=reviewed", f"{url}?team={rows.team.id}", f"{url}?state=reviewed&team={rows.team.id}"]
    rows.action_reviews(60, due_later=True)
    paged.append(f"{url}?state=upcoming")
    return paged, [f"{url}/{ActionReview.select().first().id}", f"{url}.xlsx?team={rows.other_team.id}"]


def a_practitioner_s_audits(rows):
    """The audits of a practitioner's cases, and their home page, among many audits of other cases."""
    rows.audits(60, status="submitted")
    cases = insert(Case, [case_row(f"WORKED-{n:04d}", rows.team) | {"worker": rows.me.id} for n in range(6)])
    insert(Audit, [rows.audit_row(n, case, rows.other_user.id, "submitted") for n, case in enumerate(cases)])
    return [], ["/team-audits", "/", f"/team-audits/{Audit.select().where(Audit.case == cases[0]).get().id}"]


def every_moderation_by_every_filter(rows):
    """The list of every moderation with each filter, and its download."""
    rows.moderations_drawn(480)  # each filter leaves more than two pages
    months = f"from_month={months_before(this_month(), 1):%Y-%m}&to_month={this_month():%Y-%m}"
    each = ["status=submitted", "status=assigned", f"moderator={rows.me.id}", "grade_changed=yes", months]
    url = "/all-moderations"
    paged = [url, *(f"{url}?{one}" for one in each), f"{url}?status=submitted&moderator={rows.me.id}&{months}"]
    return paged, [f"{url}.csv?{months}&grade_changed=no"]


def family_feedback_by_every_filter(rows):
    """The list of families' feedback with each filter, and its download."""
    rows.family_feedback(420)  # each filter leaves more than two pages
    rows.family_feedback(12, team=rows.other_team, start=datetime.datetime(2025, 1, 6))
    each = ["gathered=yes", "gathered=no", "reason=declined", f"team={rows.team.id}", "from_month=2026-03"]
    url = "/family-feedback"
    paged = [url, *(f"{url}?{one}" for one in each), f"{url}?gathered=yes&team={rows.team.id}&to_month=2026-03"]
    return paged, [f"{url}.csv?reason=declined&team={rows.team.id}"]


def notices_sent_by_every_filter(rows):
    """The list of notices sent with each filter, and its download."""
    rows.notices_sent(360)  # each filter leaves more than two pages
    days = "from_date=03/03/2026&to_date=05/03/2026"
    each = ["email_status=sent", days, "recipient=Test Person", f"recipient={rows.me.email}"]
    url = "/admin/notices-sent"
    paged = [url, *(f"{url}?{one}" for one in each), f"{url}?email_status=waiting&{days}&recipient=Test"]
    return paged, [f"{url}.xlsx?email_status=not-sent"]


def who_has_looked(rows):
    """Who has looked at a case, and what I looked at last."""
    rows.access_records(60)
    return [f"/cases/{rows.case.id}/who-has-looked"], ["/account"]


def visit(get_page, paged, single):
    """Each of the `paged` lists at its first, second, last and last-but-one pages, and each `single` page."""
    for url in paged:
        first = get_page(url).data
        get_page(page_link(first, "next"))
        last = get_page(last_page_link(first)).data
        last_but_one = page_link(last, "prev")
        assert "before=" in last_but_one
        get_page(last_but_one)
    for url in single:
        get_page(url)


def assert_no_big_table_read_whole_or_sorted(statements):
    """Explain each of `statements` ((sql, params)); fail with every plan that reads a big table whole or sorts it."""
    assert statements
    postgres = isinstance(db.obj, PostgresqlDatabase)
    found = []
    with db.atomic():
        if postgres:
            # The tables here are tiny, so the planner would read them whole whatever indexes there are:
            # with both off, a plan that still reads a table whole or sorts it has no index to do otherwise.
            # SET LOCAL ends with this transaction, before the connection goes back to the pool.
            db.execute_sql("SET LOCAL enable_seqscan = off")
            db.execute_sql("SET LOCAL enable_sort = off")
        for sql, params in statements:
            problems, plan = (postgres_problems if postgres else sqlite_problems)(sql, params)
            if problems:
                found.append(f"{'; '.join(problems)}\n{sql}\n{params}\n{plan}")
    assert not found, "\n\n".join(found)


# Calibration: its page and each CSV add up the tallies kept as moderations are submitted, so they run the same
# queries at 30 moderations as at 600, never read the moderations themselves, and read the tallies by month.

CALIBRATION_TABLES = ("agreement", "grade-changes", "grade-moves", "auditors", "teams", "months")


def calibration_urls(area, template):
    """The page with and without each filter, the first and second pages of every auditor's and team's figures,
    and each of its CSV files."""
    last = (uk_today().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    months = f"from_month={last.year - 1}-{last:%m}&to_month={last:%Y-%m}"
    pages = [
        "/calibration",
        f"/calibration?{months}",
        f"/calibration?service_area={area}",
        f"/calibration?template={template}",
    ]
    pages.append(f"/calibration?{months}&service_area={area}&template={template}")
    every = [f"/calibration/{group}{page}" for group in ("auditors", "teams") for page in ("", "?page=2")]
    return pages + every + [f"/calibration/{table}.csv" for table in CALIBRATION_TABLES]


def moderate_over_two_years(moderated, auditors, teams, count, start):
    """`count` moderated audits spread over auditors, teams and the last 24 months, their grades varied."""
    months = [months_before(uk_today().replace(day=1), n) for n in range(1, 25)]
    patterns = [["G>G", "G>RI", "O>G"], ["RI>RI", "RI>G", "I>RI"], ["G>RI", "G>G", "G>G"], ["O>O", "O>G", "G>I"]]
    moderated.add(
        (auditors[n % len(auditors)], teams[n % len(teams)], months[n % 24], patterns[n % 4], "submitted")
        for n in range(start, start + count)
    )


def dashboard_urls(area, team, template):
    """The dashboard with and without each filter, and with them all."""
    months = "from_month=2024-01&to_month=2026-12"
    each = [months, f"service_area={area}", f"team={team}", "audit_type=monthly", f"template={template}"]
    return ["/dashboard", *(f"/dashboard?{one}" for one in each), "/dashboard?" + "&".join(each)]


def test_the_dashboard_and_calibration_cost_the_same_queries_at_100_audits_as_at_10000_and_read_indexes(
    client, get_page, count_queries, monkeypatch, make_user, make_team, rows
):
    """Neither page reads the moderations (calibration adds up its tallies) nor any big table whole."""
    qa_officer = make_user(roles=("qa-officer",))
    sign_in_client(client, qa_officer)
    moderated = ModeratedAudits(qa_officer, small_template())
    auditors, teams = [make_user(name=f"Calibrated {n:02d}") for n in range(30)], [make_team() for _ in range(8)]
    moderate_over_two_years(moderated, auditors[:4], teams[:2], 30, 0)
    rows.audits(70, team=teams[0])
    dashboard_tallies.rebuild()
    area, team, template = teams[0].service_area_id, teams[0].id, moderated.template.id
    urls = calibration_urls(area, template) + dashboard_urls(area, team, template)
    few = {url: count_queries(lambda url=url: get_page(url)) for url in urls}
    moderate_over_two_years(moderated, auditors, teams, 2_970, 30)
    for start in range(0, 6_930, 990):
        rows.audits(990, team=teams[start % 8], start=datetime.datetime(2024, 1, 1) + datetime.timedelta(days=start))
    dashboard_tallies.rebuild()
    assert Audit.select().count() >= 10_000
    assert {url: count_queries(lambda url=url: get_page(url)) for url in urls} == few
    statements = capture(lambda: [get_page(url) for url in urls])
    assert not [sql for sql, _ in statements if re.search(r'(?:FROM|JOIN) "(?:domain_)?moderation"', sql)]
    tallies = {model._meta.table_name for model in (*calibration_tallies.MODELS, DashboardTally, ThemeTally)}
    monkeypatch.setattr(plans, "BIG_TABLES", plans.BIG_TABLES | tallies)
    postgres = isinstance(db.obj, PostgresqlDatabase)
    found = []
    with db.atomic():
        if postgres:
            db.execute_sql("SET LOCAL enable_seqscan = off")
            db.execute_sql("SET LOCAL enable_sort = off")
        for sql, params in statements:
            problems, plan = (plans.postgres_problems if postgres else plans.sqlite_problems)(sql, params)
            if problems:
                found.append(f"{'; '.join(problems)}\n{sql}\n{params}\n{plan}")
    assert not found, "\n\n".join(found)


# The newer areas (issue 15): Immediate Responses with each filter, moderation (the month's sample, a moderation
# and a moderated audit), reliability exercises, feedback and the home page that counts what waits for each person.

RESPONSE_FILTERS = ["", "?status=raised", "?status=acknowledged", "?overdue=yes"]


@pytest.mark.parametrize("query", RESPONSE_FILTERS + ["?team", "?status=raised&overdue=yes&team"])
def test_each_filter_of_the_immediate_responses_costs_what_its_first_page_costs(
    client, rows, get_page, count_queries, query
):
    url = "/immediate-responses" + query.replace("team", f"team={rows.team.id}")

    def cost(url):
        return count_queries(lambda: get_page(url))

    rows.immediate_responses(12)
    few = cost(url)
    rows.immediate_responses(490)
    rows.immediate_responses(30, team=rows.other_team)
    first = get_page(url).data
    last = last_page_link(first)
    second, last_but_one = page_link(first, "next"), page_link(get_page(last).data, "prev")
    costs = {"first": cost(url), "last": cost(last), "second": cost(second), "last but one": cost(last_but_one)}
    assert costs == {"first": few, "last": few, "second": few + 1, "last but one": few + 1}


# The lists of every moderation, family's feedback and notice sent (issue 18), with filters together.


@pytest.mark.parametrize(
    ("add", "url"),
    [
        ("moderations_drawn", "/all-moderations?status=submitted&moderator={me}"),
        ("moderations_drawn", "/all-moderations?grade_changed=yes&from_month={last_month}"),
        ("family_feedback", "/family-feedback?gathered=no&team={team}"),
        ("family_feedback", "/family-feedback?reason=declined&from_month=2026-03"),
        ("notices_sent", "/admin/notices-sent?email_status=waiting&recipient=Test"),
        ("notices_sent", "/admin/notices-sent?from_date=03/03/2026"),
    ],
)
def test_each_filter_of_the_newer_lists_costs_what_its_first_page_costs(
    client, rows, get_page, count_queries, add, url
):
    last_month = months_before(this_month(), 1)
    url = url.format(me=rows.me.id, team=rows.team.id, last_month=f"{last_month:%Y-%m}")

    def cost(url):
        return count_queries(lambda: get_page(url))

    getattr(rows, add)(12)
    few = cost(url)
    getattr(rows, add)(600)
    first = get_page(url).data
    last = last_page_link(first)
    second, last_but_one = page_link(first, "next"), page_link(get_page(last).data, "prev")
    assert "after=" in second and "before=" in last_but_one
    costs = {"first": cost(url), "last": cost(last), "second": cost(second), "last but one": cost(last_but_one)}
    assert costs == {"first": few, "last": few, "second": few + 1, "last but one": few + 1}


def this_month():
    return uk_today().replace(day=1)


def moderated(rows):
    """One of my moderations submitted, with a view of each domain, its audit Moderated: what the audit's page shows."""
    moderation = Moderation.select().where(Moderation.moderator == rows.me).order_by(Moderation.id).first()
    Moderation.update(status="submitted", agrees=True, grade="good", submitted_at=ALLOCATED).where(
        Moderation.id == moderation.id
    ).execute()
    Audit.update(status="moderated").where(Audit.id == moderation.audit_id).execute()
    domains = [domain.id for domain in rows.template.ordered_domains]
    views = [{"moderation": moderation.id, "domain": d, "auditor_grade": "good", "agrees": True} for d in domains]
    insert(DomainModeration, [view | {"grade": "good"} for view in views])
    return moderation


def moderation_pages(rows):
    """The month's sample, paged; a moderation, changing its moderator, a moderated audit."""
    rows.moderations(60)
    rows.my_moderations(60)
    rows.audits(60, status="submitted", start=datetime.datetime.combine(this_month(), datetime.time(9)))
    done = moderated(rows)
    to_do = Moderation.select().where(Moderation.status == "assigned").first()
    single = [f"/moderations/{to_do.id}", f"/moderations/{to_do.id}/moderator", f"/audits/{done.audit_id}"]
    return [f"/moderation-sample?month={this_month():%Y-%m}"], single


def exercises_and_home(rows):
    """The exercises, paged; one's results; and my home page, which counts what waits for me and lists the
    exercises I take part in, among Immediate Responses and moderations of others."""
    rows.reliability_exercises(60)
    rows.immediate_responses(60)
    rows.my_moderations(30)
    exercise = ReliabilityExercise.select().first()
    return ["/reliability-exercises"], [f"/reliability-exercises/{exercise.id}", "/"]


def feedback_of_an_audit(rows):
    """My audit with family and IRO feedback, among other audits' feedback: its page and the forms changing it."""
    rows.audits(60)
    audits = [audit.id for audit in Audit.select(Audit.id).where(Audit.auditor == rows.me)]
    family = [
        {"audit": audit, "recorded_by": rows.me.id, "given_by": "mother", "how": "phone", "helpfulness": 4}
        for audit in audits
        for _ in range(2)
    ]
    insert(FamilyFeedback, family)
    iro = [{"audit": audit, "recorded_by": rows.me.id, "name": "Reviewer", "role": "iro"} for audit in audits]
    insert(IroFeedback, [row | {"given_on": datetime.date(2026, 3, 20)} for row in iro])
    audit = audits[0]
    family_id = FamilyFeedback.select().where(FamilyFeedback.audit == audit).first().id
    iro_id = IroFeedback.select().where(IroFeedback.audit == audit).first().id
    feedback = f"/audits/{audit}/feedback"
    return [], [f"/audits/{audit}", f"{feedback}/family/{family_id}/edit", f"{feedback}/iro/{iro_id}/edit"]


# What grows with a council's size inside a row: an audit's typed text, a draw's population (every audit of its
# month). A list shows neither, so it reads neither.
LONG_COLUMNS = ("about_child", "practitioner_view", "overall_rationale", "population")


@pytest.mark.parametrize("pages", [audits_by_every_filter, my_audits, a_moderator_s_lists], ids=lambda f: f.__name__)
def test_a_list_reads_only_what_it_shows_not_the_typed_text_of_its_records(client, rows, get_page, pages):
    paged, _ = pages(rows)
    statements = capture(lambda: visit(get_page, paged, []))
    assert statements
    read = [(column, sql) for sql, _ in statements for column in LONG_COLUMNS if f'."{column}"' in sql]
    assert not read, read


def programme_audits_among_exercises(rows):
    """The lists of audits, counted with each filter, and the moderation sample's counts of the month's audits
    by grade, with audits of reliability exercises among them: each count reads an index alone."""
    rows.reliability_exercises(20)
    paged, _ = audits_by_every_filter(rows)
    rows.moderations(60)
    rows.audits(60, status="submitted", start=datetime.datetime.combine(this_month(), datetime.time(9)))
    return [*paged, f"/moderation-sample?month={this_month():%Y-%m}"], []


@pytest.mark.parametrize(
    "pages",
    [
        audits_by_every_filter,
        my_audits,
        events_by_every_filter,
        cases_by_every_filter,
        named_lists,
        notices_of_two_people,
        a_moderator_s_lists,
        immediate_responses_by_every_filter,
        a_case_and_an_audit,
        moderation_pages,
        exercises_and_home,
        feedback_of_an_audit,
        programme_audits_among_exercises,
        the_monthly_programme,
        team_actions_by_every_filter,
        action_reviews_by_every_filter,
        a_practitioner_s_audits,
        every_moderation_by_every_filter,
        family_feedback_by_every_filter,
        notices_sent_by_every_filter,
        who_has_looked,
    ],
    ids=lambda pages: pages.__name__.replace("_", " "),
)
def test_no_query_of_a_list_or_an_audit_reads_a_big_table_whole_or_sorts_it(client, rows, get_page, pages):
    paged, single = pages(rows)
    assert_no_big_table_read_whole_or_sorted(capture(lambda: visit(get_page, paged, single)))


@pytest.mark.parametrize(
    ("add", "urls"),
    [
        ("team_actions", ["/team-actions", "/team-actions?state=overdue", "/team-actions?team={team}"]),
        ("action_reviews", ["/action-reviews", "/action-reviews?state=reviewed", "/action-reviews?team={team}"]),
    ],
    ids=["team actions", "four-month review"],
)
def test_the_team_lists_cost_the_same_at_100_and_10000_read_in_index_order(
    client, rows, get_page, count_queries, make_team, login_as, add, urls
):
    """For a team manager of three teams, theirs, read through the index of the list's order (one team's through its
    own); a QA officer's, of every team, are read in that order too (team_actions_by_every_filter)."""
    person = login_as("team-manager")
    teams = [make_team(manager=person) for _ in range(3)]
    getattr(rows, add)(12, team=rows.other_team)
    urls = [url.format(team=teams[0].id) for url in urls]

    def costs():
        return [count_queries(lambda url=url: get_page(url)) for url in urls]

    getattr(rows, add)(100, team=teams, each_team=True)
    few = costs()
    getattr(rows, add)(9900, team=teams, each_team=True)
    assert costs() == few
    assert_no_big_table_read_whole_or_sorted(capture(lambda: visit(get_page, urls, [])))

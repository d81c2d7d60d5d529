"""A child's case with a record of every kind the service keeps, and real ids for every kind of URL parameter the
routes take: for walking every route, and for gathering everything held about a child."""

import datetime
from types import SimpleNamespace

import pytest

from models import (
    Action,
    ActionReview,
    AuditPlan,
    Case,
    FamilyFeedback,
    IroFeedback,
    LearningTheme,
    Moderation,
    ModerationDraw,
    Notice,
    PlannedAudit,
    ReliabilityExercise,
    ServiceAction,
    ServiceReport,
)
from services import allocation, case_import, case_rows, immediate_responses, notices, team_actions
from services.audits import months_before
from services.dates import uk_today


@pytest.fixture
def make_ids(make_case, make_flag, make_user, make_audit, make_sent_action):
    """Real ids for every kind of URL parameter the routes take; the audit belongs to `auditor` if given."""

    def make(auditor=None):
        case = make_case()
        audit = make_audit(case=case, auditor=auditor or make_user(roles=("auditor",)))
        # An action of an earlier audit of the case, sent to its team, for the audit to follow up.
        earlier = make_audit(case=case, status="submitted", submitted_at=datetime.datetime(2026, 1, 5, 9))
        earlier_action = Action.create(
            audit=earlier, what="An earlier action", owner_name="Sam", owner_role="Social Worker",
            due_on=datetime.date(2026, 2, 1), done_when="Recorded",
        )  # fmt: skip
        team_actions.send_to_team(
            earlier.auditor, earlier, "audit", team_actions.DEFAULT_RULES, datetime.date(2026, 1, 5)
        )
        # An action sent to a team that the person walking the routes manages and is the service manager of, from
        # an audit of theirs, so that each role may open it and take its steps.
        walker = audit.auditor
        team_action = make_sent_action(manager=walker, service_manager=walker, auditor=walker)
        Case.update(worker=walker).where(Case.id == team_action.audit.case_id).execute()  # their case, to read
        action = Action.create(
            audit=audit,
            what="A specific test action",
            owner_name="Sam",
            owner_role="Social Worker",
            due_on=uk_today() + datetime.timedelta(days=10),
            done_when="Recorded",
        )
        iro = IroFeedback.create(
            audit=audit,
            recorded_by=audit.auditor,
            name="Jo Reviewer",
            role="iro",
            given_on=uk_today(),
            plan_progress="Drifting",
        )
        family = FamilyFeedback.create(
            audit=audit,
            recorded_by=audit.auditor,
            given_by="mother",
            how="phone",
            given_on=uk_today(),
            what_changed="Less shouting at home",
            helpfulness=4,
        )
        # Naming the person walking the routes to act, so each role may open and acknowledge it.
        response = immediate_responses.raise_response(
            audit.allocated_by,
            case,
            audit,
            {
                "trigger": "safeguarding",
                "trigger_other": "",
                "found": "Found",
                "must_happen": "Must happen",
                "who_acts": audit.auditor,
                "urgency": "today",
                "told_name": "",
                "told_role": "",
                "told_how": "",
                "told_on": None,
            },
            uk_today(),
        )
        # Sent to the person walking the routes, so each role may open it.
        notices.notify([audit.auditor], "Route walk notice", "A notice to open.", f"/cases/{case.id}")
        notice = Notice.select().where(Notice.recipient == audit.auditor).order_by(Notice.id.desc()).first()
        # Given to the person walking the routes to moderate, so a moderator may open it.
        # The month's draw and next month's plan are made by the first call, and shared by any later one.
        draw, _ = ModerationDraw.get_or_create(
            month=uk_today().replace(day=1),
            round=1,
            defaults={
                "seed": 1,
                "rule_version": 1,
                "percentage": 30,
                "population": "[]",
                "drawn_by": audit.auditor,
                "due_on": uk_today(),
            },
        )
        moderation = Moderation.create(
            audit=audit,
            draw=draw,
            chosen_because="random",
            moderator=audit.auditor,
            auditor_grade="good",
            due_on=draw.due_on,
        )
        further_action = Action.create(
            audit=audit,
            source="moderation",
            what="A specific further action",
            owner_name="Sam",
            owner_role="Team Manager",
            due_on=uk_today() + datetime.timedelta(days=10),
            done_when="Recorded",
        )
        # A reliability exercise the person walking the routes takes part in, with someone else.
        exercise = ReliabilityExercise.create(
            case=case, template=audit.template, set_by=audit.allocated_by, due_on=audit.due_on
        )
        for participant in (audit.auditor, make_user(roles=("auditor",))):
            make_audit(case=case, auditor=participant, exercise=exercise)
        pool_person = make_user(roles=("auditor",), name="Pool Person")  # an auditor, for the auditor pool
        # Next month's draft audit plan, the case drawn in it.
        plan, _ = AuditPlan.get_or_create(
            month=months_before(uk_today().replace(day=1), -1),
            defaults={
                "seed": 1, "rule_version": 1, "size": 1, "window_months": 12, "audit_type": "monthly",
                "drawn_by": audit.allocated_by,
            },
        )  # fmt: skip
        planned = PlannedAudit.create(plan=plan, case=case, service_area=case.team.service_area, auditor=pool_person)
        # A later due date the auditor walking the routes asked for, for a QA officer to decide on.
        deferment = allocation.ask_deferment(
            audit.auditor, audit, audit.due_on + datetime.timedelta(days=7), "Leave", datetime.datetime.now()
        )
        # An import of the open-case list, its columns chosen: a new case, and a bad row.
        rows = [[2, ["NEW-1", "AB", "2015", case.team.name, "Sam", "01/02/2024"]], [3, ["", "AB", "2015", "", "", ""]]]
        table = SimpleNamespace(
            headers=["Case reference", "Initials", "DOB", "Team", "Worker", "Date opened"], rows=rows
        )
        upload = case_import.upload(audit.allocated_by, table, "open-cases.csv", datetime.datetime.now())
        mapping = case_rows.guess_mapping(table.headers)
        case_import.preview(audit.allocated_by, upload, mapping, 1, uk_today(), datetime.datetime.now())
        return {
            "import_id": upload.id,
            "year_start": 2026,
            "month_number": 5,
            "change_id": deferment.id,
            "exercise_id": exercise.id,
            "moderation_id": moderation.id,
            "further_action_id": further_action.id,
            "notice_id": notice.id,
            "response_id": response.id,
            "iro_feedback_id": iro.id,
            "family_feedback_id": family.id,
            "case_id": case.id,
            "team_id": case.team_id,
            "area_id": case.team.service_area_id,
            "flag_id": make_flag().id,
            "theme_id": LearningTheme.create(name=f"Theme of {case.reference}").id,
            "report_id": ServiceReport.create(
                first_month=datetime.date(2026, 1, 1), last_month=datetime.date(2026, 6, 1), created_by=walker
            ).id,
            "service_action_id": ServiceAction.create(
                title=f"Chronologies for {case.reference}",
                what="Train every team in chronologies",
                owner_name="Ann",
                owner_role="Head of Service",
                due_on=datetime.date(2027, 1, 1),
                done_when="All trained",
                created_by=walker,
            ).id,  # fmt: skip
            "user_id": pool_person.id,
            "plan_id": plan.id,
            "planned_id": planned.id,
            "audit_id": audit.id,
            "action_id": action.id,
            "kind": "record",
            "team_action_id": team_action.id,
            "earlier_action_id": earlier_action.id,
            "team_audit_id": team_action.audit_id,
            "review_id": ActionReview.get(ActionReview.audit == team_action.audit_id).id,
            "step": "done",
            "decision": "decision-authorised",
            "resolution": "upheld",
            "table": "agreement",
            "group": "auditors",
            "spreadsheet": "csv",
        }

    return make

"""Serving the app to a real browser: Debian's Chromium, a waitress thread, demo data."""

import os
import shutil
from datetime import date, datetime, timedelta

from app import create_app
from models import (
    ROLES,
    Action,
    ActionReview,
    Audit,
    AuditTemplate,
    Case,
    FamilyFeedback,
    Flag,
    IroFeedback,
    LearningTheme,
    Moderation,
    Notice,
    PlannedAudit,
    ReliabilityExercise,
    ServiceAction,
    ServiceReport,
    Team,
    User,
    db,
    utcnow,
)
from services import (
    accounts,
    allocation,
    audit_records,
    case_import,
    case_rows,
    demo,
    feedback,
    immediate_responses,
    notices,
    planning,
    reliability,
    table_files,
    team_actions,
)
from services.audits import months_before
from services.database import migrate
from services.dates import uk_today
from services.working_days import add_working_days
from tests.servers import ServerThread
from tests.sso_provider import Provider

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PASSWORD = "a long browser test password"
ACTION = {
    "what": "Update the case summary with the contingency plan and who holds parental responsibility",
    "owner_name": "Sam Worker",
    "owner_role": "Social Worker",
    "due_on": uk_today() + timedelta(days=14),
    "done_when": "The updated summary is on the child's record",
    "vague_confirmed": False,
}
IRO_FEEDBACK = {
    "name": "Jo Reviewer",
    "role": "iro",
    "given_on": uk_today() - timedelta(days=3),
    "plan_progress": "The plan is on track but the contingency is missing.",
    "grades_view": "Agrees with the grades.",
}
FAMILY_FEEDBACK = {
    "given_by": "father",
    "gathered": False,
    "given_on": uk_today() - timedelta(days=2),
    "not_gathered_reason": "no-reply",
    "attempts": "Called twice and sent a letter; no reply.",
}


IMMEDIATE_RESPONSE = {
    "trigger": "safeguarding",
    "trigger_other": "",
    "found": "The child told school she is scared to go home.",
    "must_happen": "A strategy discussion today.",
    "urgency": "today",
    "told_name": "",
    "told_role": "",
    "told_how": "",
    "told_on": None,
}


def chromium_path():
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class LiveServer:
    """The app on a fresh SQLite database with the demo data, served by waitress from a thread, signing in with
    passwords or with a council account at a loopback OpenID Connect provider (`provider`)."""

    def __init__(self, directory):
        self.provider = Provider()
        self.app = create_app(
            {
                "APP_ENV": "test",
                "SECRET_KEY": "browser test key",
                "DATABASE_URL": f"sqlite:///{directory / 'browser.db'}",
                "SESSION_COOKIE_SECURE": False,
                **self.provider.settings(),
            }
        )
        self.database = db.obj
        migrate(self.database)
        with self.database.connection_context():
            demo.load()
            # One account per role, holding only that role, so each role's pages are checked on their own.
            self.accounts = {
                role: accounts.create_user(
                    None, [role], PASSWORD, name=f"Browser {role}", email=f"{role}@browser.example.org", job_role="IRO"
                ).email
                for role in ROLES
            }
            auditor = User.by_email(self.accounts["auditor"])
            case = Case.select().where(Case.is_open & Case.id.not_in(Audit.select(Audit.case))).first()
            qa_officer = User.by_email(self.accounts["qa-officer"])
            audit = allocation.allocate(qa_officer, case, auditor.id, add_working_days(uk_today(), 20), uk_today())
            action = audit_records.add_action(auditor, audit, ACTION)
            # An earlier audit of the case, its action sent to the team, for the auditor's audit to follow up.
            earlier = Audit.create(
                case=case, auditor=qa_officer, allocated_by=qa_officer, due_on=date(2026, 1, 30),
                template=AuditTemplate.current(), status="submitted", submitted_at=datetime(2026, 1, 20, 16),
            )  # fmt: skip
            earlier_action = Action.create(audit=earlier, **ACTION)
            team_actions.send_to_team(qa_officer, earlier, "audit", team_actions.DEFAULT_RULES, date(2026, 1, 20))
            iro = feedback.add_feedback(auditor, audit, IroFeedback, IRO_FEEDBACK)
            family = feedback.add_feedback(auditor, audit, FamilyFeedback, FAMILY_FEEDBACK)
            # For each role, an Immediate Response its account is named to act on, so it may open and acknowledge it.
            responses = {
                role: immediate_responses.raise_response(
                    qa_officer, case, None, IMMEDIATE_RESPONSE | {"who_acts": User.by_email(email)}, uk_today()
                ).id
                for role, email in self.accounts.items()
            }
            # For each role, a notice sent to its account, so it may open it.
            people = {role: User.by_email(email) for role, email in self.accounts.items()}
            notices.notify(people.values(), f"Audit allocated: case {case.reference}", "A notice.", f"/cases/{case.id}")
            latest = {
                role: Notice.select().where(Notice.recipient == person).order_by(Notice.id.desc()).first().id
                for role, person in people.items()
            }
            # A moderation not yet started, given to the moderator account, with a further action.
            moderation = Moderation.get(Moderation.status == "assigned")
            Moderation.update(moderator=people["moderator"]).where(Moderation.id == moderation.id).execute()
            further = audit_records.add_action(people["moderator"], moderation.audit, ACTION, "moderation")
            # A reliability exercise of the auditor and moderator accounts, the moderator's part submitted: the
            # auditor sees it waits for theirs, the moderator the results; a QA officer the demo's finished one.
            exercise = reliability.set_up(
                qa_officer,
                case,
                AuditTemplate.current(),
                [auditor.id, people["moderator"].id],
                uk_today() + timedelta(days=28),
            )
            part = Audit.get((Audit.exercise == exercise) & (Audit.auditor == people["moderator"]))
            answers = [{"grade": "good", "evidence": "", "so_what": "Safer"} for _ in part.judgements()]
            audit_records.save_audit(
                people["moderator"], part, 1, {"overall_grade": "good", "overall_rationale": "Safer"}, answers
            )
            audit_records.submit_audit(people["moderator"], part, uk_today(), confirmed_gap=False)
            finished = ReliabilityExercise.select().order_by(ReliabilityExercise.id).first()
            deferment = allocation.ask_deferment(auditor, audit, audit.due_on + timedelta(days=7), "Leave", utcnow())
            # An import of the open-case list, previewed: a new case, and a row to correct.
            table = table_files.read_table(
                b"Case reference,Initials,DOB,Team,Worker,Date opened\n"
                + f"NEW-1,AB,2015,{case.team.name},Sam,01/02/2024\n,AB,2015,,,\n".encode()
            )
            upload = case_import.upload(qa_officer, table, "open-cases.csv", utcnow())
            mapping = case_rows.guess_mapping(table.headers)
            case_import.preview(qa_officer, upload, mapping, 1, uk_today(), utcnow())
            # A draft audit plan for the month after next (next month is left for the demo to plan).
            later = months_before(uk_today().replace(day=1), -2)
            plan = planning.draw(qa_officer, later, planning.Settings(size=6), 0, utcnow())
            planned = (
                PlannedAudit.select().where((PlannedAudit.plan == plan) & PlannedAudit.auditor.is_null(False)).first()
            )
            # A team the team manager and service manager accounts hold, with the demo's actions on it: an open one
            # to work, and a submitted audit of the auditor account's whose action they follow; and the dispute.
            team_action = Action.get((Action.status == "open") & Action.team.is_null(False))
            Team.update(manager=people["team-manager"], service_manager=people["service-manager"]).where(
                Team.id == team_action.team_id
            ).execute()
            Audit.update(auditor=auditor).where(Audit.id == team_action.audit_id).execute()
            # Its case allocated to the practitioner account, who reads the audit.
            Case.update(worker=people["practitioner"]).where(
                Case.id == Audit.select(Audit.case).where(Audit.id == team_action.audit_id)
            ).execute()
            disputed = Action.get(Action.status == "disputed")
            self.ids = {
                "exercise_id": {"qa-officer": finished.id, "auditor": exercise.id, "moderator": exercise.id},
                # The QA officer's is one not started, whose moderator may still be changed.
                "moderation_id": {
                    "qa-officer": Moderation.get(
                        (Moderation.status == "assigned") & (Moderation.id != moderation.id)
                    ).id,
                    "moderator": moderation.id,
                },
                "further_action_id": further.id,
                "notice_id": latest,
                "response_id": responses,
                # A moderator opens only their own audits: their part in the exercise.
                "audit_id": {role: part.id if role == "moderator" else audit.id for role in self.accounts},
                "action_id": action.id,
                "earlier_action_id": earlier_action.id,
                "team_action_id": {
                    "qa-officer": disputed.id,
                    "auditor": team_action.id,
                    "team-manager": team_action.id,
                    "service-manager": team_action.id,
                },
                "team_audit_id": team_action.audit_id,
                "review_id": ActionReview.get(ActionReview.audit == team_action.audit_id).id,
                "step": "done",
                "decision": "authorised",
                "resolution": "upheld",
                "iro_feedback_id": iro.id,
                "family_feedback_id": family.id,
                "kind": "record",
                "group": "auditors",
                "case_id": case.id,
                "team_id": case.team_id,
                "area_id": case.team.service_area_id,
                "flag_id": Flag.select().first().id,
                "theme_id": LearningTheme.select().first().id,
                "report_id": ServiceReport.select().first().id,
                "service_action_id": ServiceAction.select().first().id,
                "user_id": auditor.id,
                "plan_id": plan.id,
                "change_id": deferment.id,
                "import_id": upload.id,
                "year_start": 2026,
                "month_number": 5,
                "planned_id": planned.id,
            }
        self.server = ServerThread(self.app)
        self.url = self.server.url

    def use_database(self):
        """Point the models at this server's database (unit tests point them elsewhere)."""
        db.initialize(self.database)

    def stop(self):
        self.server.stop()
        self.provider.stop()


def pages_for(app, role, ids):
    """The URLs of every GET page `role` may open, with real ids; fails on a page the data cannot reach. The public
    pages are checked once, for nobody signed in: signed in, they differ only by the header every other page has."""
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        # Files to download (a path ending like .docx) are not pages to scan.
        if rule.endpoint == "static" or "GET" not in rule.methods or "." in rule.rule.rsplit("/", 1)[-1]:
            continue
        if rule.endpoint.startswith("sso."):
            continue  # the way to and back from the council's sign-in service: test_sso.py follows it
        view = app.view_functions[rule.endpoint]
        if getattr(view, "public", False) != (role is None):
            continue
        if role is not None and role not in view.allowed_roles:
            continue
        missing = [name for name in rule.arguments if name not in ids]
        assert not missing, f"{rule.rule}: the browser data has no record for {missing}; add one in support.py"
        # An id may be one for each role (a record each role's account is named on).
        values = {name: ids[name][role] if isinstance(ids[name], dict) else ids[name] for name in rule.arguments}
        urls.append(rule.build(values)[1])
    return urls


def submitted_audit(live_server, reference, team, **fields):
    """An audit submitted today by the browser auditor account, of a new case of `team` with this reference (and the
    case's `fields`, such as its worker); its judgements are for the caller to add."""
    case = Case.create(
        reference=reference,
        initials="QZ",
        birth_year=2013,
        team=team,
        worker_name="Sam Worker",
        opened_on=date(2025, 1, 6),
        **fields,
    )
    auditor = User.by_email(live_server.accounts["auditor"])
    return Audit.create(
        case=case,
        auditor=auditor,
        allocated_by=auditor,
        due_on=uk_today(),
        template=AuditTemplate.current(),
        status="submitted",
        submitted_at=utcnow(),
    )

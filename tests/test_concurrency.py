"""Many people saving at once through the real server: nobody's save fails because another was writing."""

import datetime
import http.client
import threading
import time
from urllib.parse import urlencode

from app import create_app
from models import Audit, AuditTemplate, Case, Flag, ServiceArea, Team, User, db
from services.database import migrate
from services.dates import uk_today
from tests.servers import ServerThread

QA_OFFICERS = 4
AUDITORS = 16
SAVES = 8


def session_cookie(app, user):
    """A signed-in session cookie for `user`, made as the app makes one (signing in costs a password hash)."""
    now = time.time()
    session = {"_user_id": user.get_id(), "_fresh": True, "signed_in_at": now, "last_seen": now, "_permanent": True}
    return app.config["SESSION_COOKIE_NAME"] + "=" + app.session_interface.get_signing_serializer(app).dumps(session)


def make_people_and_records():
    """Four QA officers with a flagged case each to edit, and auditors with an audit each to save."""
    area = ServiceArea.create(name="Area")
    team = Team.create(name="Team", service_area=area)
    flag = Flag.create(name="Neglect")
    people = []
    for number in range(QA_OFFICERS + AUDITORS):
        role = "qa-officer" if number < QA_OFFICERS else "auditor"
        user = User.create(name=f"Person {number}", email=f"p{number}@example.gov.uk", job_role="IRO")
        user.set_roles([role])
        case = Case.create(
            reference=f"LOAD-{number}",
            initials="AB",
            birth_year=2015,
            team=team,
            worker_name="Sam",
            opened_on=datetime.date(2024, 1, 1),
        )
        case.set_flags([flag.id])
        if role == "auditor":
            record = Audit.create(
                case=case,
                auditor=user,
                allocated_by=user,
                due_on=uk_today() + datetime.timedelta(days=28),
                template=AuditTemplate.current(),
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 6, 30),
            )
            people.append((user, "audit", record.id, f"/audits/{record.id}"))
        else:
            people.append((user, "case", case.id, f"/cases/{case.id}/edit"))
    return people, team.id, flag.id


def form_for(kind, number, version, team_id, flag_id):
    if kind == "case":
        return {
            "version": version,
            "reference": f"LOAD-{number}",
            "initials": "AB",
            "birth_year": "2015",
            "team": team_id,
            "worker_name": f"Worker {version}",
            "opened_on": ["1", "1", "2024"],
            "is_open": "y",
            "flags": [flag_id] if version % 2 else [],
        }
    period = {"period_start": ["1", "1", "2026"], "period_end": ["30", "6", "2026"]}
    return {"version": version, "about_child": f"Saved {version} times", "save": "Save"} | period


def test_many_people_saving_at_once_all_succeed_and_every_save_is_kept(tmp_path):
    app = create_app(
        {
            "APP_ENV": "test",
            "SECRET_KEY": "concurrency test key",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'busy.db'}",
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    database = db.obj
    migrate(database)
    with database.connection_context():
        people, team_id, flag_id = make_people_and_records()
        cookies = [session_cookie(app, user) for user, *_ in people]
    server = ServerThread(app)
    answers = {}

    def save_repeatedly(number, kind, path):
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        headers = {"Cookie": cookies[number], "Content-Type": "application/x-www-form-urlencoded"}
        statuses = []
        for version in range(1, SAVES + 1):
            body = urlencode(form_for(kind, number, version, team_id, flag_id), doseq=True)
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
        answers[number] = statuses

    threads = [
        threading.Thread(target=save_repeatedly, args=(number, kind, path))
        for number, (_, kind, _, path) in enumerate(people)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        server.stop()

    assert {number: statuses for number, statuses in answers.items() if set(statuses) != {303}} == {}
    assert len(answers) == len(people)
    with database.connection_context():
        for _, kind, record_id, _ in people:
            if kind == "case":
                case = Case.get_by_id(record_id)
                assert (case.version, case.worker_name) == (SAVES + 1, f"Worker {SAVES}")
            else:
                audit = Audit.get_by_id(record_id)
                assert (audit.version, audit.about_child) == (SAVES + 1, f"Saved {SAVES} times")

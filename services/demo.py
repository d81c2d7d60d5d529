"""Clearly fictional demo data: an imaginary council's teams, staff and children's cases, and a year of work on them
(its audits and their moderation in services/demo_audits.py, feedback and Immediate Responses in
services/demo_feedback.py, and the other demo_ modules)."""

import datetime
import json
import random
from collections import Counter

from models import (
    Audit,
    AuditorAway,
    AuditPlan,
    AuditTemplate,
    Case,
    CaseFlag,
    Event,
    Flag,
    PlannedAudit,
    ProgrammeMonth,
    ServiceArea,
    Team,
    User,
    UserRole,
    db,
)
from services import (
    annual_programme,
    audit_plan,
    dashboard_tallies,
    demo_actions,
    demo_audits,
    demo_feedback,
    demo_governance,
    demo_reports,
    demo_themes,
    retention,
)
from services.accounts import hash_password
from services.audits import default_period, months_before
from services.dates import uk_today
from services.working_days import audit_due_on

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - fictional demo accounts only
DOMAIN = "demo.example.org"
CASES_OPENED_BEFORE = datetime.date(2026, 10, 1)

TEAMS = {
    "Front Door and Assessment": ["Front Door Team", "Assessment Team North"],
    "Child in Need and Child Protection": ["Safeguarding Team East", "Safeguarding Team West"],
    "Children Looked After": ["Children in Care Team", "Care Leavers Team"],
    "Children with Disabilities": ["Disabled Children's Team", "Short Breaks Team"],
}

FLAGS = [
    "Neglect",
    "Domestic abuse",
    "Exploitation",
    "Step-up",
    "Disability",
    "Parental mental health",
    "Substance misuse",
]

FIRST_NAMES = [
    "Alex",
    "Bernie",
    "Casey",
    "Dana",
    "Ellis",
    "Frankie",
    "Gale",
    "Harper",
    "Indy",
    "Jordan",
    "Kit",
    "Logan",
    "Morgan",
    "Nico",
    "Oakley",
    "Parker",
    "Quinn",
    "Riley",
    "Sage",
    "Tatum",
    "Umber",
    "Vic",
    "Wren",
    "Yael",
]
SURNAMES = [
    "Ashdown",
    "Birchley",
    "Coldharbour",
    "Dunmere",
    "Elmstead",
    "Fernhill",
    "Greywell",
    "Hollins",
    "Ivybridge",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Meadowcroft",
    "Northwood",
    "Oakhurst",
    "Pennywell",
    "Quarry",
    "Rookwood",
    "Stonebridge",
    "Thornbury",
    "Underhill",
    "Vale",
    "Whitmore",
    "Yewdale",
]

# The accounts printed for people trying the service, one a role.
SIGN_INS = [
    ("QA officer", "qa.officer"),
    ("Auditor (a Service Delivery Manager)", "auditor"),
    ("Team manager (also an auditor)", "team.manager"),
    ("Service manager", "service.manager"),
    ("Practitioner (a social worker)", "practitioner"),
    ("Moderator", "moderator"),
    ("Senior leader", "senior.leader"),
]


def database_is_empty():
    return not (User.select().exists() or Case.select().exists() or Team.select().exists())


def is_demo_database():
    return User.by_email(f"qa.officer@{DOMAIN}") is not None


def sign_in_text():
    lines = ["Demo sign-ins (fictional people; every password is " + DEMO_PASSWORD + "):"]
    lines += [f"  {label:<40} {mailbox}@{DOMAIN}" for label, mailbox in SIGN_INS]
    return "\n".join(lines)


def _log(records):
    Event.insert_many(
        [
            {"action": "created", "record_type": type(r).__name__, "record_id": r.id, "fields": "demo data"}
            for r in records
        ]
    ).execute()


def load(today=None, seed=2026):
    """Fill an empty database: 4 service areas, 8 teams, 30 people, 300 cases, audits open now, a year of
    submitted ones, each month drawn for moderation and most of its moderations done."""
    rng = random.Random(seed)
    today = today or uk_today()
    password_hash = hash_password(DEMO_PASSWORD)
    names = iter(rng.sample([f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES], 60))
    with db.atomic():
        areas = [ServiceArea.create(name=name) for name in TEAMS]
        teams = [Team.create(name=name, service_area=area) for area in areas for name in TEAMS[area.name]]
        flags = [Flag.create(name=name) for name in FLAGS]

        people = []
        printed = {}

        def person(job_role, roles, team=None, mailbox=None):
            name = next(names)
            email = f"{mailbox or name.lower().replace(' ', '.')}@{DOMAIN}"
            user = User.create(name=name, email=email, job_role=job_role, team=team, password_hash=password_hash)
            UserRole.insert_many([{"user": user, "role": role} for role in roles]).execute()
            people.append(user)
            if mailbox:
                printed[mailbox] = user
            return user

        person("QA Officer", ["qa-officer"], mailbox="qa.officer")
        person("QA Officer", ["qa-officer", "moderator"])
        person("Service Manager", ["moderator", "auditor"], mailbox="moderator")
        person("Head of Service", ["senior-leader", "auditor"], mailbox="senior.leader")
        person("Chief Officer", ["senior-leader", "auditor"])
        person("Head of Service", ["senior-leader", "auditor", "moderator"])
        person("Director", ["senior-leader"])
        for index, team in enumerate(teams):
            manager = person("Team Manager", ["team-manager", "auditor"], team, "team.manager" if index == 0 else None)
            team.manager = manager
            team.save(only=[Team.manager])
        for index in range(len(areas)):
            person("Service Delivery Manager", ["auditor"], teams[2 * index], "auditor" if index == 0 else None)
        for job_role in ("IRO", "IRO", "IRO", "CP Chair", "CP Chair"):
            person(job_role, ["auditor"])
        for team in rng.sample(teams, 5):
            person("Practice Supervisor", ["auditor"], team)
        workers = [next(names) for _ in range(20)]

        cases = []
        for number in range(1, 301):
            # Opened before a fixed day, not before today, so that the cases are the same whenever the demo is
            # loaded, as the shipped export of them (demo/open-cases.csv) needs.
            opened = CASES_OPENED_BEFORE - datetime.timedelta(days=rng.randint(0, 6 * 365))
            worker = rng.choice(workers)
            cases.append(
                Case.create(
                    reference=f"DEMO-{number:04d}",
                    initials="".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2)),
                    birth_year=rng.randint(max(opened.year - 17, 2008), opened.year),
                    team=rng.choice(teams),
                    worker_name=worker,
                    worker_email=f"{worker.lower().replace(' ', '.')}@{DOMAIN}",
                    is_open=rng.random() > 0.1,
                    opened_on=opened,
                )
            )
        CaseFlag.insert_many(
            [{"case": case, "flag": flag} for case in cases for flag in flags if rng.random() < 0.15]
        ).execute()

        qa_officer = printed["qa.officer"]
        template = AuditTemplate.current()
        auditors = [user for user in people if user.has_role("auditor")]
        # The printed auditor and team manager have audits of their own to open.
        chosen = [printed["auditor"]] * 3 + [printed["team.manager"]] * 2
        audits = []
        for number, case in enumerate(rng.sample([case for case in cases if case.is_open], 24)):
            others = [user for user in auditors if user.team_id != case.team_id]
            auditor = (
                chosen[number]
                if number < len(chosen) and chosen[number].team_id != case.team_id
                else rng.choice(others)
            )
            allocated_on = today - datetime.timedelta(days=rng.randint(0, 40))
            start, end = default_period(allocated_on)
            audits.append(
                Audit.create(
                    case=case,
                    auditor=auditor,
                    allocated_by=qa_officer,
                    allocated_at=datetime.datetime.combine(allocated_on, datetime.time(9, 30)),
                    due_on=audit_due_on(allocated_on),
                    template=template,
                    period_start=start,
                    period_end=end,
                )
            )
        # One auditor grades noticeably more generously than the moderators (calibration shows it).
        generous = next(user for user in auditors if user.job_role == "Practice Supervisor")
        submitted, truth = demo_audits.submitted_audits(
            rng, cases, auditors, qa_officer, template, today, generous, printed
        )
        audits += submitted
        feedback = demo_feedback.iro_feedback(rng, [audit for audit in audits if audit.is_submitted])
        feedback += demo_feedback.family_feedback(rng, audits, today)
        _log(areas + teams + flags + people + cases + audits + feedback)
        heads = [user for user in people if user.job_role == "Head of Service"]
        for index, area in enumerate(areas):
            area.head_of_service = heads[index % len(heads)]
            area.save(only=[ServiceArea.head_of_service])
        demo_feedback.raise_immediate_responses(rng, audits, cases, printed, today)
        demo_audits.moderate_months(rng, today, qa_officer, truth, printed)
        demo_audits.reliability_exercise(cases, people, printed, template, today)
        _auditor_pool(people, today)
        _audit_plans(qa_officer, today)
        _annual_programme(flags, today)
        # Made last, so that nothing before draws a name or a number differently (the shipped export needs that).
        service_managers = [person("Service Manager", ["service-manager"], mailbox="service.manager")]
        service_managers.append(person("Service Manager", ["service-manager"]))
        person("Social Worker", ["practitioner"], mailbox="practitioner")
        demo_actions.load(printed, service_managers, teams, today)
        demo_themes.load(qa_officer, template, [audit for audit in audits if audit.is_submitted], today)
        demo_reports.load(qa_officer, printed["senior.leader"], today)
        governance = random.Random(f"{seed}:governance")  # noqa: S311 - seeded, repeatable demo data
        _governance(governance, teams, auditors, qa_officer, template, audits, today)
        # The records above are written straight into the tables, not through the services that keep the figures.
        dashboard_tallies.rebuild()


def _governance(rng, teams, auditors, qa_officer, template, audits, today):
    """Who has looked at the audits and their cases; closed cases dated, and two closed long ago, each audited a
    year before it closed: one past its time and given notice, for the Retention page to list and the periodic job
    to remove, and one on legal hold (services/demo_governance.py). From a generator of its own, so that nothing
    before it draws differently."""
    demo_governance.who_has_looked(rng, audits, qa_officer, datetime.datetime.combine(today, datetime.time()))
    demo_governance.date_closed_cases(rng, today)
    cases = demo_governance.long_closed(rng, teams, today)
    iros = [user for user in auditors if user.job_role == "IRO"]
    audits = [
        demo_audits.submitted_audit(
            rng, case, rng.choice(iros), qa_officer, template.ordered_domains,
            retention.years_before(case.closed_on, 1), None, "requires-improvement", today,
        )[0]
        for case in cases
    ]  # fmt: skip
    _log(cases + audits)
    demo_governance.hold(qa_officer, cases[1])
    demo_governance.give_notice(today)


def _auditor_pool(people, today):
    """The auditor pool shows each of its states: an IRO auditing two a month rather than the usual one (seed
    000 s.5.5, phase 2), and the Chief Officer away next month and the month after."""
    iro = next(user for user in people if user.job_role == "IRO")
    User.update(monthly_quota=2).where(User.id == iro.id).execute()
    chief = next(user for user in people if user.job_role == "Chief Officer")
    months = [months_before(today.replace(day=1), -count) for count in (1, 2)]
    AuditorAway.insert_many([{"user": chief, "month": month} for month in months]).execute()


def _audit_plans(qa_officer, today):
    """Each month's audit plan so far, confirmed, of the audits allocated in it (one of a case a month); next
    month is left for the demo QA officer to plan."""
    areas = dict(Team.select(Team.id, Team.service_area).tuples())
    by_month = {}
    for audit in Audit.select(Audit, Case).join(Case).where(Audit.exercise.is_null()).order_by(Audit.allocated_at):
        by_month.setdefault(audit.allocated_at.date().replace(day=1), {}).setdefault(audit.case_id, audit)
    for month, audits in sorted(by_month.items()):
        first = min(audit.allocated_at for audit in audits.values())
        plan = AuditPlan.create(
            month=month,
            seed=month.year * 100 + month.month,
            rule_version=audit_plan.RULE_VERSION,
            size=len(audits),
            window_months=12,
            audit_type="monthly",
            counts=json.dumps(
                {"left_out": {}, "strata": dict(Counter(str(areas[a.case.team_id]) for a in audits.values()))}
            ),
            drawn_by=qa_officer,
            drawn_at=first - datetime.timedelta(hours=2),
            confirmed_by=qa_officer,
            confirmed_at=first - datetime.timedelta(hours=1),
        )
        PlannedAudit.insert_many(
            [
                {
                    "plan": plan,
                    "case": case_id,
                    "service_area": areas[audit.case.team_id],
                    "auditor": audit.auditor_id,
                    "audit": audit,
                }
                for case_id, audit in audits.items()
            ]
        ).execute()


def _annual_programme(flags, today):
    """This year's programme, as Camden plans one (seed 003 s.5): monthly audits, a practice week, a front door
    month and a themed month on neglect."""
    year = annual_programme.year_of(today)
    neglect = next(flag for flag in flags if flag.name == "Neglect")
    plans = {
        5: ("themed", "Neglect deep dive", neglect, 12, ""),
        7: ("practice-week", "", None, 20, "Feedback forms from children and families"),
        9: ("front-door", "Front door decision making", None, 10, ""),
        11: ("practice-week", "", None, 20, "Feedback forms from children and families"),
        1: ("front-door", "Front door decision making", None, 10, ""),
        3: ("practice-week", "", None, None, "Feedback forms from children and families"),
    }
    rows = []
    for month in annual_programme.months_of(year):
        audit_type, theme, flag, proposed, other = plans.get(month.month, ("monthly", "", None, None, ""))
        rows.append(
            {
                "month": month,
                "audit_type": audit_type,
                "theme": theme,
                "flag": flag,
                "proposed": proposed,
                "other_activity": other,
            }
        )
    ProgrammeMonth.insert_many(rows).execute()

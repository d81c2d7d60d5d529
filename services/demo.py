"""Clearly fictional demo data: an imaginary council's teams, staff and children's cases."""

import datetime
import json
import random
from collections import Counter

from models import (
    Action,
    Audit,
    AuditorAway,
    AuditPlan,
    AuditTemplate,
    Case,
    CaseFlag,
    DomainJudgement,
    Event,
    FamilyFeedback,
    Flag,
    ImmediateResponse,
    IroFeedback,
    Moderation,
    ModerationDraw,
    Notice,
    PlannedAudit,
    ProgrammeMonth,
    ReliabilityExercise,
    ServiceArea,
    Team,
    User,
    UserRole,
    db,
    utcnow,
)
from services import (
    annual_programme,
    audit_plan,
    audit_records,
    dashboard_tallies,
    demo_actions,
    demo_governance,
    demo_reports,
    demo_themes,
    immediate_responses,
    moderation_draw,
    moderations,
    reliability,
    retention,
)
from services.accounts import hash_password
from services.audits import GRADE_ORDER, NEEDS_ACTIONS, default_period, months_before
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
        submitted, truth = _submitted_audits(rng, cases, auditors, qa_officer, template, today, generous, printed)
        audits += submitted
        feedback = _iro_feedback(rng, [audit for audit in audits if audit.is_submitted])
        feedback += _family_feedback(rng, audits, today)
        _log(areas + teams + flags + people + cases + audits + feedback)
        heads = [user for user in people if user.job_role == "Head of Service"]
        for index, area in enumerate(areas):
            area.head_of_service = heads[index % len(heads)]
            area.save(only=[ServiceArea.head_of_service])
        _immediate_responses(rng, audits, cases, printed, today)
        _moderation(rng, today, qa_officer, truth, printed)
        _reliability_exercise(cases, people, printed, template, today)
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
        _submitted_audit(
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


EVIDENCE = {
    "outstanding": "Every visit is recorded in a day, the child's words are quoted, and the plan changed as asked.",
    "good": "Visits are regular and recorded; the plan is reviewed on time and the family knows what it says.",
    "requires-improvement": "Visits happen, but the records say what was done, not what was learned about the child.",
    "inadequate": "There is no record of the child being seen alone for four months, and the plan is out of date.",
}
SO_WHAT = {
    "outstanding": "The child knows their worker, trusts them, and says things at home are better.",
    "good": "The child is safer and their school attendance has risen since the plan began.",
    "requires-improvement": "It is hard to tell whether the child's life is any better for the help given.",
    "inadequate": "The child may still be at risk, and nobody could tell from the record whether they are.",
}


IRO_NAMES = ["Pat Kestrel", "Morgan Wren", "Sam Linnet", "Alex Dunnock"]


def _iro_feedback(rng, submitted):
    """The IRO's or CP chair's feedback on about a third of the submitted audits, some given after."""
    feedback = []
    for audit in rng.sample(submitted, len(submitted) // 3):
        after = rng.random() < 0.3
        given_on = audit.submitted_at.date() + datetime.timedelta(days=3 if after else -4)
        feedback.append(
            IroFeedback.create(
                audit=audit,
                recorded_by=audit.auditor,
                name=rng.choice(IRO_NAMES),
                role=rng.choice(list(IroFeedback.ROLES)),
                given_on=given_on,
                plan_progress="The plan is on track, but its contingency section has not been updated since review.",
                grades_view="Agrees with the grades, and would add that the child's voice is stronger than it was.",
                after_submission=after,
            )
        )
    return feedback


FAMILY_FEEDBACK = [
    {
        "given_by": "mother",
        "how": "phone",
        "what_changed": "The children get to school every day now, and there is less shouting at home.",
        "listened_to": "Mostly. This worker rings back when she says she will.",
        "explained": "Yes, apart from the letters about the meetings, which my sister read to me.",
        "do_better": "Tell me sooner when a meeting is moved.",
        "helpfulness": 4,
    },
    {
        "given_by": "father",
        "gathered": False,
        "not_gathered_reason": "no-reply",
        "attempts": "Called three times on the number on the record, morning and evening, then sent a text "
        "and a letter asking him to call back. No reply.",
    },
    {
        "given_by": "child",
        "how": "in-person",
        "listened_to": "Sometimes. Not at the big meetings.",
        "child_views": "I like it when my worker comes because we go to the park and talk. I want to see my dad more.",
        "helpfulness": 3,
    },
    {
        "given_by": "family-member",
        "relationship": "Grandmother",
        "how": "in-person",
        "what_changed": "I know who to ring now if things go wrong at the weekend.",
        "do_better": "Ask me to the meetings: I have the children every Saturday.",
        "helpfulness": 5,
    },
]


def _family_feedback(rng, audits, today):
    """Feedback from families, two people each, on about a third of the submitted audits and on the first one
    still open (the printed auditor's): a mother, a father who could not be reached, a child, a grandmother."""
    submitted = [audit for audit in audits if audit.is_submitted]
    feedback = []
    for number, audit in enumerate([audits[0], *rng.sample(submitted, len(submitted) // 3)]):
        after = audit.is_submitted and rng.random() < 0.3
        given_on = today
        if audit.is_submitted:
            given_on = audit.submitted_at.date() + datetime.timedelta(days=3 if after else -5)
        for values in (FAMILY_FEEDBACK[number % 4], FAMILY_FEEDBACK[(number + 1) % 4]):
            feedback.append(
                FamilyFeedback.create(
                    audit=audit, recorded_by=audit.auditor, given_on=given_on, after_submission=after, **values
                )
            )
    return feedback


def _immediate_responses(rng, audits, cases, printed, today):
    """Immediate Responses in each state, through the service, so their events and notices are real: one
    for each submitted audit whose case had not been discussed in supervision (most closed, some only
    acknowledged, those too recent for a step not yet taken); one raised today on the printed team manager's
    team; one overdue and escalated. Each step, and its notices, dated when it was taken: never after now."""
    qa_officer, manager = printed["qa.officer"], printed["team.manager"]
    now = min(utcnow(), datetime.datetime.combine(today, datetime.time.max))

    def raised(case, audit, raiser, trigger, urgency, days_ago):
        on = today - datetime.timedelta(days=days_ago)
        values = {
            "trigger": trigger,
            "trigger_other": "",
            "found": DEMO_FOUND[trigger],
            "must_happen": DEMO_MUST_HAPPEN[trigger],
            "who_acts": case.team.manager,
            "urgency": urgency,
            "told_name": "",
            "told_role": "",
            "told_how": "",
            "told_on": None,
        }
        response = immediate_responses.raise_response(raiser, case, audit, values, on)
        at = min(datetime.datetime.combine(on, datetime.time(11, 20)), now)
        ImmediateResponse.update(raised_at=at).where(ImmediateResponse.id == response.id).execute()
        Notice.update(created_at=at).where(Notice.link == immediate_responses.link_to(response)).execute()
        response.raised_at = at
        return response

    def moved(response, step, actor, values, days_later):
        """Take `step` `days_later` than it was raised, if that day has come; returns whether it was taken."""
        at = response.raised_at + datetime.timedelta(days=days_later, hours=2)
        if at > now:
            return False
        demo_actions.dated(at, lambda: step(actor, response, response.version, values))
        column = (
            ImmediateResponse.acknowledged_at
            if step is immediate_responses.acknowledge
            else ImmediateResponse.closed_at
        )
        ImmediateResponse.update({column: at}).where(ImmediateResponse.id == response.id).execute()
        setattr(response, column.name, at)
        return True

    for number, audit in enumerate(a for a in audits if a.is_submitted and a.supervised_recently is False):
        days_ago = (today - audit.submitted_at.date()).days + 1
        response = raised(audit.case, audit, audit.auditor, "no-supervision", "5-days", days_ago)
        if moved(response, immediate_responses.acknowledge, audit.case.team.manager, DEMO_ACKNOWLEDGED, 2):
            if number % 3:
                moved(response, immediate_responses.close, qa_officer, DEMO_CLOSED, 9)
    managed = [case for case in cases if case.team.manager_id == manager.id and case.is_open]
    raised(managed[0], None, qa_officer, "safeguarding", "today", 0)
    late = raised(managed[1], None, qa_officer, "other", "1-day", 6)
    ImmediateResponse.update(trigger_other="A home visit found the children alone overnight").where(
        ImmediateResponse.id == late.id
    ).execute()
    demo_actions.dated(now, lambda: immediate_responses.escalate_overdue(today))
    ImmediateResponse.update(escalated_at=now).where(ImmediateResponse.escalated_at.is_null(False)).execute()


DEMO_FOUND = {
    "no-supervision": "The case has not been discussed in supervision since the spring; the plan has drifted.",
    "safeguarding": "The record shows a new bruise reported by school last week with no strategy discussion.",
    "other": "Found outside an audit: the record shows nobody has seen the children since the referral.",
}
DEMO_MUST_HAPPEN = {
    "no-supervision": "Supervision of this case within five working days, recorded on the child's file.",
    "safeguarding": "A strategy discussion today, and the child seen alone by their social worker.",
    "other": "A visit today, and the children seen alone.",
}
DEMO_ACKNOWLEDGED = {
    "response": "Agreed: supervision lapsed when the worker changed.",
    "action_taking": "Supervision is booked for Thursday and will be recorded on the file.",
}
DEMO_CLOSED = {"outcome": "Supervision took place and the plan was updated; the child is seen every two weeks."}


def _submitted_audits(rng, cases, auditors, qa_officer, template, today, generous, printed):
    """Audits submitted over the last twelve months and this one so far, about 15 a month (a few after their
    due date), each graded in every domain, with actions where the grade needs them. Each has a "true" grade
    for every domain, which its moderator will find: most auditors grade it, now and then a step out either
    way; `generous` grades a step better more often than not. Last month, the printed auditor's first audit is
    graded Good, so it is moderated (by the printed moderator). Returns the audits and their true grades."""
    domains = template.ordered_domains
    audits, truth = [], {}
    for months_ago in range(12, -1, -1):
        month_start = months_before(today.replace(day=1), months_ago)
        last_day = today if months_ago == 0 else months_before(month_start, -1)
        for number in range(6 if months_ago == 0 else rng.randint(13, 17)):
            submitted_on = month_start + datetime.timedelta(days=rng.randrange(max(1, (last_day - month_start).days)))
            case = rng.choice(cases)
            auditor = generous if rng.random() < 0.15 else rng.choice(auditors)
            true_overall = rng.choices(GRADE_ORDER, weights=[1, 5, 4, 1])[0]
            if months_ago == 1 and number == 0:
                auditor, true_overall = printed["auditor"], "good"
            if auditor.team_id == case.team_id:
                case = rng.choice([other for other in cases if other.team_id != auditor.team_id])
            audit, true_grades = _submitted_audit(
                rng, case, auditor, qa_officer, domains, submitted_on, generous, true_overall, today
            )
            truth[audit.id] = true_grades
            audits.append(audit)
    return audits, truth


def _step(grade, steps):
    return GRADE_ORDER[min(max(GRADE_ORDER.index(grade) + steps, 0), len(GRADE_ORDER) - 1)]


def _submitted_audit(rng, case, auditor, qa_officer, domains, submitted_on, generous, true_overall, today):
    # The weakest domain is the overall grade, as the guides ask; the others as good or a step better.
    true_grades = [true_overall] + [_step(true_overall, -rng.randint(0, 1)) for _ in domains[1:]]
    rng.shuffle(true_grades)

    def as_graded(grade):
        if auditor is generous and rng.random() < 0.9:
            return _step(grade, -1)
        return _step(grade, rng.choice([-1, 1])) if rng.random() < 0.12 else grade

    grades = [as_graded(grade) for grade in true_grades]
    if auditor is not generous and true_overall == "good":  # the printed auditor's Good audit stays Good
        grades = [grade if GRADE_ORDER.index(grade) <= 1 else "good" for grade in grades]
    overall = max(grades, key=GRADE_ORDER.index)
    late = rng.random() < 0.2
    due_on = submitted_on + datetime.timedelta(days=-rng.randint(4, 12) if late else rng.randint(0, 10))
    allocated_on = due_on - datetime.timedelta(days=28)
    start, end = default_period(allocated_on)
    audit = Audit.create(
        case=case,
        auditor=auditor,
        allocated_by=qa_officer,
        allocated_at=datetime.datetime.combine(allocated_on, datetime.time(9, 30)),
        due_on=due_on,
        template=domains[0].template_id,
        period_start=start,
        period_end=end,
        about_child=f"A child of {submitted_on.year - case.birth_year} known to the {case.team.name}.",
        discussion_on=submitted_on - datetime.timedelta(days=2),
        discussion_minutes=rng.choice([60, 75, 90]),
        practitioner_view="Agreed with most of the grades, and explained what the record leaves out.",
        practitioner_differently="Would record the child's own words at every visit.",
        immediate_concern=False,
        # Only recent audits found a lapse in supervision (each has its Immediate Response).
        supervised_recently=rng.random() < 0.8 if (today - submitted_on).days < 90 else True,
        overall_grade=overall,
        overall_rationale="The overall judgement follows the weakest domains, as the practice guide asks.",
        status="submitted",
        submitted_at=datetime.datetime.combine(submitted_on, datetime.time(16, 5)),
    )
    DomainJudgement.insert_many(
        [
            {"audit": audit, "domain": domain, "grade": grade, "evidence": EVIDENCE[grade], "so_what": SO_WHAT[grade]}
            for domain, grade in zip(domains, grades, strict=True)
        ]
    ).execute()
    if overall in NEEDS_ACTIONS:
        Action.create(
            audit=audit,
            what="Visit the child at school and record their own words about home, then update the plan with them",
            owner_name=case.worker_name,
            owner_role="Social Worker",
            due_on=submitted_on + datetime.timedelta(days=28),
            done_when="The child's words are on the record and the plan names what changes because of them",
        )
    return audit, dict(zip([domain.id for domain in domains], true_grades, strict=True))


def _moderation(rng, today, qa_officer, truth, printed):
    """Each of the last twelve months drawn through the service, and its moderations done as moderators do
    them (a few of last month's still to do, the printed auditor's among them, given to the printed moderator):
    each grade moderated to the audit's true grade. This month is left for the demo QA officer to draw."""
    this_month = today.replace(day=1)
    now = datetime.datetime.combine(today, datetime.time(9))
    month = months_before(this_month, 1)
    for _ in range(12):
        drawn_at = min(datetime.datetime.combine(months_before(month, -1), datetime.time(10)), now)
        moderation_draw.draw(qa_officer, month, 30, drawn_at, seed=rng.randrange(2**31 - 1))
        to_do = 0.5 if month == months_before(this_month, 1) else 0.05
        for moderation in Moderation.select().join(ModerationDraw).where(ModerationDraw.month == month):
            if moderation.audit.auditor_id == printed["auditor"].id and month == months_before(this_month, 1):
                moderations.reassign(qa_officer, moderation, printed["moderator"], moderation.version)
            elif moderation.moderator_id and rng.random() >= to_do:
                _moderate(rng, moderation, truth[moderation.audit_id], drawn_at, today)
        month = months_before(month, 1)


def _moderate(rng, moderation, true_grades, drawn_at, today):
    rows = moderations.domains(moderation)
    domain_values = [
        {
            "agrees": row.auditor_grade == true_grades[row.domain_id],
            "grade": None if row.auditor_grade == true_grades[row.domain_id] else true_grades[row.domain_id],
            "reason": "" if row.auditor_grade == true_grades[row.domain_id] else DEMO_DISAGREE,
        }
        for row in rows
    ]
    true_overall = max(true_grades.values(), key=GRADE_ORDER.index)
    agrees = moderation.auditor_grade == true_overall
    values = {
        "agrees": agrees,
        "grade": None if agrees else true_overall,
        "overall_reason": "" if agrees else DEMO_DISAGREE,
        "actions_addressed": rng.choice(list(Moderation.ACTIONS_ADDRESSED)),
        "actions_comment": "The visit happened; the plan has not yet been updated with what the child said.",
        "message": "A clear, careful audit. Quote the child's own words in the evidence wherever you can.",
    }
    moderator = moderation.moderator
    moderations.save(moderator, moderation, moderation.version, values, domain_values)
    moderations.submit(moderator, moderation, today)
    at = drawn_at + datetime.timedelta(days=rng.randint(3, 20), hours=rng.randint(0, 6))
    Moderation.update(submitted_at=min(at, datetime.datetime.combine(today, datetime.time(9)))).where(
        Moderation.id == moderation.id
    ).execute()


DEMO_DISAGREE = "The record shows less than the grade says: the child's voice is missing from the last two visits."


# Each participant's grades for the seven domains, then the overall judgement: close, but not the same.
EXERCISE_GRADES = [
    (["good", "good", "requires-improvement", "good", "requires-improvement", "good", "good"], "good"),
    (
        ["good", "requires-improvement", "requires-improvement", "good", "requires-improvement"]
        + ["requires-improvement"] * 2,
        "requires-improvement",
    ),
    (["outstanding", "good", "good", "good", "requires-improvement", "good", "good"], "good"),
]
EXERCISE_REASONS = {
    "good": "The child is safer and the plan is working, though the assessment and the multi-agency plan lag behind.",
    "requires-improvement": "Too much of the record says what was done rather than what changed for the child.",
}
EXERCISE_AGREED = (
    "Discussed together a week after the last audit was submitted (a fictional demo discussion).\n"
    "Assessment: agreed Requires Improvement to be Good. The assessment was on time, but did not use the child's "
    "own words, and the guidance asks for both.\n"
    "Multi-Agency Planning: agreed Requires Improvement to be Good. Meetings were held on time; we will grade this "
    "domain by what the plan changed for the child, not by whether meetings happened.\n"
    "Overall: agreed Good, as the child is safer, with the two domains above named in the reasons."
)


def _reliability_exercise(cases, people, printed, template, today):
    """A finished reliability exercise (seed 002 s.9), through the service: the printed auditor, the printed
    moderator and an IRO audited the same case six weeks ago with somewhat different grades, all submitted, and
    what the discussion agreed is recorded."""
    qa_officer = printed["qa.officer"]
    participants = [printed["auditor"], printed["moderator"], next(user for user in people if user.job_role == "IRO")]
    teams = {user.team_id for user in participants}
    case = next(case for case in cases if case.is_open and case.team_id not in teams)
    set_up_on = today - datetime.timedelta(days=42)
    exercise = reliability.set_up(
        qa_officer, case, template, [user.id for user in participants], audit_due_on(set_up_on), set_up_on
    )
    for days, (audit, (grades, overall)) in enumerate(
        zip(reliability.audits_of(exercise), EXERCISE_GRADES, strict=True)
    ):
        domains = [{"grade": grade, "evidence": EVIDENCE[grade], "so_what": SO_WHAT[grade]} for grade in grades]
        values = {"overall_grade": overall, "overall_rationale": EXERCISE_REASONS[overall]}
        audit_records.save_audit(audit.auditor, audit, audit.version, values, domains)
        audit_records.submit_audit(audit.auditor, audit, set_up_on, confirmed_gap=False)
        submitted_at = datetime.datetime.combine(set_up_on + datetime.timedelta(days=10 + 3 * days), datetime.time(15))
        Audit.update(submitted_at=submitted_at).where(Audit.id == audit.id).execute()
    reliability.record_agreed(qa_officer, exercise, exercise.version, EXERCISE_AGREED)
    set_up_at = datetime.datetime.combine(set_up_on, datetime.time(10))
    ReliabilityExercise.update(created_at=set_up_at).where(ReliabilityExercise.id == exercise.id).execute()
    Audit.update(allocated_at=set_up_at).where(Audit.exercise == exercise).execute()
    links = [f"/audits/{audit.id}" for audit in reliability.audits_of(exercise)]
    Notice.update(created_at=set_up_at, read_at=set_up_at).where(Notice.link.in_(links)).execute()

"""Demo data: a year of submitted audits graded against a "true" grade for each domain, each month drawn for
moderation with most of its moderations done, and a finished reliability exercise."""

import datetime

from models import Action, Audit, DomainJudgement, Moderation, ModerationDraw, Notice, ReliabilityExercise
from services import audit_records, moderation_draw, moderations, reliability
from services.audits import GRADE_ORDER, NEEDS_ACTIONS, default_period, months_before
from services.working_days import audit_due_on

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


def submitted_audits(rng, cases, auditors, qa_officer, template, today, generous, printed):
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
            audit, true_grades = submitted_audit(
                rng, case, auditor, qa_officer, domains, submitted_on, generous, true_overall, today
            )
            truth[audit.id] = true_grades
            audits.append(audit)
    return audits, truth


def _step(grade, steps):
    return GRADE_ORDER[min(max(GRADE_ORDER.index(grade) + steps, 0), len(GRADE_ORDER) - 1)]


def submitted_audit(rng, case, auditor, qa_officer, domains, submitted_on, generous, true_overall, today):
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


def moderate_months(rng, today, qa_officer, truth, printed):
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


def reliability_exercise(cases, people, printed, template, today):
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

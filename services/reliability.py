"""Reliability exercises (seed 002 s.9: "all Quality Assurance Officers completing an audit on the same case
record"): each person taking part audits the case through an audit of their own, and their grades are then set
side by side, measured for agreement, and discussed "so as to arrive at a common understanding".

An exercise's audits are not the programme's: the lists of audits, the case's audits and the moderation sample
leave them out (`Audit.exercise`)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from peewee import JOIN

from models import (
    LARGEST_INTEGER,
    Audit,
    Case,
    DomainJudgement,
    Event,
    ReliabilityExercise,
    Team,
    TemplateDomain,
    User,
    UserRole,
    db,
)
from services import drafts, notices, records
from services.audits import GRADE_ORDER, default_period
from services.dates import long_date, uk_today
from services.errors import RuleBroken

# Who may take part: people who audit, or who judge audits.
PARTICIPANT_ROLES = ("auditor", "qa-officer", "moderator")
FEWEST = 2
OVERALL = "Overall judgement"

CHOOSE_FROM_LIST = "Select the people taking part from the list"
TOO_FEW = "Select at least two people to take part"
DUE_IN_FUTURE = "The date the exercise is due must be in the future"

# Krippendorff's advice on what alpha to rely on (Content Analysis, 2004, s.11.4.4).
RELIABLE, TENTATIVE = 0.8, 0.667
# A domain's alpha pools exercises, each case one unit: over fewer cases than this it would say too little.
FEWEST_CASES = 5


# Setting one up.


def eligible():
    """The active people who may take part, by name, with their team."""
    may = UserRole.select(UserRole.user).where(UserRole.role.in_(PARTICIPANT_ROLES))
    return (
        User.select(User, Team)
        .join(Team, JOIN.LEFT_OUTER, on=(User.team == Team.id))
        .where(User.active & User.id.in_(may))
        .order_by(User.name, User.id)
    )


def participants_problem(wanted, people):
    """Why the people chosen (`wanted`: ids; `people`: those found, by id) cannot take part, or None."""
    if len(people) < len(wanted):
        return CHOOSE_FROM_LIST
    unable = [people[person_id].name for person_id in wanted if not may_take_part(people[person_id])]
    if unable:
        return f"{' and '.join(unable)} cannot take part: choose active auditors, QA officers or moderators"
    if len(wanted) < FEWEST:
        return TOO_FEW
    return None


def may_take_part(person):
    return person.active and person.has_role(*PARTICIPANT_ROLES)


def set_up(actor, case, template, participant_ids, due_on, today=None):
    """Set up an exercise on `case`: an audit of it for each participant on `template`, due on `due_on`, in one
    transaction with their events, each participant told. Returns the exercise, or RuleBroken."""
    today = today or uk_today()
    wanted = list(dict.fromkeys(participant_ids))
    start, end = default_period(today)
    with db.atomic():
        storable = [person_id for person_id in wanted if 0 < person_id <= LARGEST_INTEGER]
        people = {person.id: person for person in User.select().where(User.id.in_(storable))} if storable else {}
        problems = [("participants", participants_problem(wanted, people))]
        problems.append(("due_on", DUE_IN_FUTURE if due_on <= today else None))
        if any(message for _, message in problems):
            raise RuleBroken(problems=[(field, message) for field, message in problems if message])
        people = [people[person_id] for person_id in wanted]
        exercise = ReliabilityExercise.create(case=case, template=template, set_by=actor, due_on=due_on)
        Event.record(actor, "created", exercise, ["case", "template", "due_on", "participants"])
        for person in people:
            audit = Audit.create(
                case=case,
                auditor=person,
                allocated_by=actor,
                due_on=due_on,
                template=template,
                period_start=start,
                period_end=end,
                exercise=exercise,
            )
            Event.record(actor, "created", audit, ["case", "auditor", "due_on", "template", "period", "exercise"])
            tell(actor, audit, others=len(people) - 1)
    return exercise


def tell(actor, audit, others):
    """Tell a participant of their audit in the exercise: no child's details beyond the case reference, as it is
    emailed."""
    reference = audit.case.reference
    notices.notify(
        [audit.auditor],
        f"Reliability exercise: audit case {reference}",
        f"{actor.name} has asked you to audit case {reference} as part of a reliability exercise, with "
        f"{notices.count(others, 'other')}, by {long_date(audit.due_on)}. Nobody taking part sees "
        "the others' answers until they have submitted their own.",
        f"/audits/{audit.id}",
    )


# Finding them.


def detailed():
    """Exercises with their case and who set them up."""
    SetBy = User.alias()
    return (
        ReliabilityExercise.select(ReliabilityExercise, Case, SetBy)
        .join(Case)
        .switch(ReliabilityExercise)
        .join(SetBy, on=(ReliabilityExercise.set_by == SetBy.id))
    )


def newest_first():
    """Every exercise, newest first (services/pagination.py pages it; `taking_part` gives each its audits)."""
    return detailed().order_by(ReliabilityExercise.created_at.desc(), ReliabilityExercise.id.desc())


def counted():
    return ReliabilityExercise.select(ReliabilityExercise.id)


def taking_part():
    """The audits of the exercises on a page, prefetched with them: who takes part and whether they submitted."""
    return Audit.select(Audit.id, Audit.exercise, Audit.status)


def audits_of(exercise):
    """The exercise's audits, by their auditor's name, with the auditor."""
    return list(
        Audit.select(Audit, User)
        .join(User, on=(Audit.auditor == User.id))
        .where(Audit.exercise == exercise)
        .order_by(User.name, Audit.id)
    )


def own_audit(exercise, user):
    """`user`'s audit in the exercise (or the exercise's id), if they take part."""
    return Audit.get_or_none((Audit.exercise == exercise) & (Audit.auditor == user.id))


def for_participant(user, limit=10):
    """The exercises `user` takes part in, newest first, each through their own audit (with its case)."""
    return list(
        Audit.select(Audit, Case)
        .join(Case)
        .where((Audit.auditor == user.id) & Audit.exercise.is_null(False))
        .order_by(Audit.allocated_at.desc(), Audit.id.desc())
        .limit(limit)
    )


# Who may see what.


def may_see_answers(user, exercise_id):
    """Whether `user` may see the answers given in the exercise: a participant once they have submitted their own,
    anyone else who may see it (a QA officer) at once."""
    own = own_audit(exercise_id, user)
    return own.is_submitted if own else user.has_role("qa-officer")


def may_record_agreed(user, exercise):
    return user.has_role("qa-officer") and may_see_answers(user, exercise.id)


# The results.


@dataclass
class Comparison:
    """Everyone's grade for one domain, or for the overall judgement, and how far they differ."""

    name: str
    grades: list  # each submitted participant's grade code (None if not graded), in the order of `Results.audits`

    @property
    def given(self):
        return [grade for grade in self.grades if grade]

    @property
    def most_common(self):
        """The grade most often given: several when tied, best first."""
        counts = Counter(self.given)
        top = max(counts.values(), default=0)
        return sorted((grade for grade, count in counts.items() if count == top), key=GRADE_ORDER.index)

    @property
    def best(self):
        return min(self.given, key=GRADE_ORDER.index, default=None)

    @property
    def worst(self):
        return max(self.given, key=GRADE_ORDER.index, default=None)

    @property
    def steps(self):
        """How many grades apart the best and the worst grade given are."""
        return GRADE_ORDER.index(self.worst) - GRADE_ORDER.index(self.best) if self.given else 0


class Alpha(NamedTuple):
    """Krippendorff's alpha, or None with the reason it cannot be worked out."""

    value: float | None
    reason: str = ""

    @property
    def reading(self):
        """What the value means, in Krippendorff's own terms."""
        if self.value is None:
            return self.reason
        if self.value >= RELIABLE:
            return "They agree closely enough to rely on (0.8 or more)."
        if self.value >= TENTATIVE:
            return "They agree well enough for tentative conclusions only (between 0.667 and 0.8)."
        return "They do not agree well enough to rely on (below 0.667)."


@dataclass
class DomainAlpha:
    """A domain's (or the overall judgement's) alpha over the cases of every exercise on the template."""

    name: str
    cases: int  # those graded by two or more people
    alpha: Alpha


@dataclass
class Results:
    audits: list  # the submitted participants' audits, with their auditor
    waiting: list  # those still to submit
    comparisons: list  # a Comparison for each domain, then the overall judgement
    alpha: Alpha
    by_domain: list  # a DomainAlpha for each domain, then the overall judgement


def results(exercise):
    """The grades of everyone who has submitted, side by side, and how far they agree."""
    audits = audits_of(exercise)
    submitted = [audit for audit in audits if audit.is_submitted]
    domains = list(
        TemplateDomain.select().where(TemplateDomain.template == exercise.template_id).order_by(TemplateDomain.position)
    )
    graded = {}
    if submitted:
        judgements = DomainJudgement.select(DomainJudgement.audit, DomainJudgement.domain, DomainJudgement.grade)
        for judgement in judgements.where(DomainJudgement.audit.in_([audit.id for audit in submitted])):
            graded[(judgement.audit_id, judgement.domain_id)] = judgement.grade
    comparisons = [Comparison(domain.name, [graded.get((a.id, domain.id)) for a in submitted]) for domain in domains]
    comparisons.append(Comparison(OVERALL, [audit.overall_grade for audit in submitted]))
    if len(submitted) < FEWEST:
        alpha = Alpha(None, "Agreement can be measured once at least two people have submitted their audits.")
    else:
        ranks = [
            (unit, audit.id, GRADE_ORDER.index(grade))
            for unit, comparison in enumerate(comparisons)
            for audit, grade in zip(submitted, comparison.grades, strict=True)
            if grade
        ]
        alpha = ordinal_alpha(ranks)
    waiting = [audit for audit in audits if not audit.is_submitted]
    grades = other_exercises_grades(exercise)
    for part, comparison in zip([*(domain.id for domain in domains), None], comparisons, strict=True):
        grades[(exercise.id, part)] = [grade for grade in comparison.grades if grade]
    by_domain = [
        domain_alpha(comparison.name, [given for (_, of), given in grades.items() if of == part])
        for part, comparison in zip([*(domain.id for domain in domains), None], comparisons, strict=True)
    ]
    return Results(submitted, waiting, comparisons, alpha, by_domain)


def other_exercises_grades(exercise):
    """{(exercise id, domain id, or None for the overall judgement): the grades given} of the other exercises on
    the same template that everyone has submitted: one still under way is left out, so that nobody learns from
    these figures what is being answered there (two queries)."""
    others = ReliabilityExercise.select(ReliabilityExercise.id).where(
        (ReliabilityExercise.template == exercise.template_id) & (ReliabilityExercise.id != exercise.id)
    )
    unfinished = Audit.select(Audit.exercise).where(Audit.exercise.in_(others) & Audit.status.not_in(Audit.DONE))
    finished = Audit.exercise.in_(others) & Audit.exercise.not_in(unfinished)
    grades = defaultdict(list)
    for exercise_id, grade in Audit.select(Audit.exercise, Audit.overall_grade).where(finished).tuples():
        grades[(exercise_id, None)].append(grade)
    judgements = DomainJudgement.select(Audit.exercise, DomainJudgement.domain, DomainJudgement.grade).join(Audit)
    for exercise_id, domain_id, grade in judgements.where(finished).tuples():
        grades[(exercise_id, domain_id)].append(grade)
    return grades


def domain_alpha(name, cases):
    """Alpha for one domain over `cases` (each a list of the grades given in one exercise): each case is one
    unit, so alpha needs several. Within one exercise a domain is a single unit, on which alpha is 0 whatever
    the spread, as the expected disagreement is worked out from that unit's own grades."""
    pairable = [[grade for grade in case if grade in GRADE_ORDER] for case in cases]
    pairable = [case for case in pairable if len(case) >= FEWEST]
    if len(pairable) < FEWEST_CASES:
        alpha = Alpha(
            None,
            f"Not worked out: {len(pairable)} case{'' if len(pairable) == 1 else 's'} graded by two or more "
            f"people so far, and it takes at least {FEWEST_CASES}.",
        )
    elif len({grade for case in pairable for grade in case}) == 1:
        alpha = Alpha(None, "Not worked out: everyone gave the same grade in every case, so there is no spread.")
    else:
        triples = [
            (unit, coder, GRADE_ORDER.index(g)) for unit, case in enumerate(pairable) for coder, g in enumerate(case)
        ]
        alpha = ordinal_alpha(triples)
    return DomainAlpha(name, len(pairable), alpha)


def ordinal_alpha(data):
    """Krippendorff's alpha for ordinal data, by the coincidence matrix (Krippendorff, "Computing Krippendorff's
    Alpha-Reliability", 2011), from (unit, coder, value) triples: here a domain or the overall judgement, a
    participant, and a grade's rank, best first. A value of None is a missing one. Units with fewer than two
    values cannot be paired and are left out. Returns an Alpha."""
    by_unit = defaultdict(list)
    for unit, _coder, value in data:
        if value is not None:
            by_unit[unit].append(value)
    pairable = [values for values in by_unit.values() if len(values) >= 2]
    if not pairable:
        return Alpha(None, "No domain was graded by two or more people, so there is nothing to compare.")
    values = sorted({value for unit_values in pairable for value in unit_values})
    if len(values) < 2:
        return Alpha(None, "Everyone gave the same grade throughout, so agreement is complete but cannot be measured.")
    position = {value: index for index, value in enumerate(values)}
    size = len(values)
    # o[c][k]: how often values c and k are paired within a unit, each unit's pairs weighted 1 / (its values - 1).
    coincidences = [[0.0] * size for _ in range(size)]
    for unit_values in pairable:
        counts = Counter(position[value] for value in unit_values)
        for c, count_c in counts.items():
            for k, count_k in counts.items():
                pairs = count_c * (count_k - 1) if c == k else count_c * count_k
                coincidences[c][k] += pairs / (len(unit_values) - 1)
    totals = [sum(row) for row in coincidences]  # n_c
    pairable_values = sum(totals)  # n

    def distance(c, k):
        """The ordinal metric: the values between c and k, counted by how often they were given, squared."""
        low, high = min(c, k), max(c, k)
        return (sum(totals[low : high + 1]) - (totals[c] + totals[k]) / 2) ** 2

    pairs = [(c, k) for c in range(size) for k in range(size)]
    observed = sum(coincidences[c][k] * distance(c, k) for c, k in pairs)
    expected = sum(totals[c] * totals[k] * distance(c, k) for c, k in pairs)
    return Alpha(1 - (pairable_values - 1) * observed / expected)


# What the discussion agreed.


def agreed_draft_field(exercise_id):
    """The draft of the form recording what the discussion agreed (services/drafts.py)."""
    return f"reliability-exercise-{exercise_id}-agreed"


def keep_agreed_draft(user, exercise_id, form):
    """Keep what was typed on the form recording what the discussion agreed, if `user` may record it."""
    exercise = ReliabilityExercise.get_or_none(ReliabilityExercise.id == exercise_id)
    if exercise is not None and may_record_agreed(user, exercise):
        drafts.keep(user, agreed_draft_field(exercise_id), form, about=exercise)


def record_agreed(actor, exercise, expected_version, agreed):
    """Record what the discussion agreed, if nobody changed it since `expected_version` (else records.Stale)."""
    with db.atomic():
        drafts.forget(actor, agreed_draft_field(exercise.id))
        return records.update(actor, exercise, expected_version, agreed=agreed)

"""The monthly moderation draw (seed 001 s.5): every audit submitted in the month and graded Good or
Outstanding, then audits drawn at random from the other grades until the sample is the month's percentage
of its audits, rounded up; and moderators assigned, spread evenly, never to their own audit or their team's.

The draw is reproducible: `sample` is a pure function of the audits drawn from, the recorded seed and the
rule's version, so `ModerationDraw.population`, `seed` and `rule_version` give the same sample again."""

import datetime
import json
import math
import random
import secrets
from collections import Counter
from dataclasses import dataclass

from peewee import IntegrityError, fn

from models import (
    GRADES,
    LARGEST_INTEGER,
    Audit,
    Case,
    DomainJudgement,
    DomainModeration,
    Event,
    Moderation,
    ModerationDraw,
    Team,
    User,
    db,
)
from services import moderations, notices, sharing
from services.dates import UK_TIME, long_date, month_name, uk_today
from services.errors import RuleBroken

# Changed whenever `sample` or `assign` would pick differently from the same inputs.
RULE_VERSION = 1
ALWAYS_SAMPLED = ("outstanding", "good")  # "always including every audit graded Good" (seed 001 s.5)


def first_of(day):
    return day.replace(day=1)


def month_bounds(month):
    """The month's first and last moments in the UK, as the UTC times the database keeps."""
    following = (month + datetime.timedelta(days=32)).replace(day=1)

    def utc(day):
        midnight = datetime.datetime(day.year, day.month, day.day, tzinfo=UK_TIME)
        return midnight.astimezone(datetime.UTC).replace(tzinfo=None)

    return utc(month), utc(following)


def end_of_month(day):
    return first_of(day + datetime.timedelta(days=32 - day.day)) - datetime.timedelta(days=1)


def months_after(month, count):
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def due_on(month, drawn_on, months):
    """When the moderations of a month's draw are due: the end of the `months`th month after the month moderated
    (MODERATION_DUE_MONTHS); for audits drawn late, after that date, the same allowance from the month drawn in."""
    due = end_of_month(months_after(month, months))
    return due if drawn_on <= due else end_of_month(months_after(drawn_on, months))


# The rule itself: pure functions, checked with hypothesis (tests/test_moderation_draw.py).


def target_size(month_size, percentage):
    """How many of a month's audits the sample holds at least: the percentage, rounded up."""
    return math.ceil(month_size * percentage / 100)


def sample(candidates, seed, percentage, month_size=None, already=0, rule_version=RULE_VERSION):
    """Which of `candidates` (audit id, overall grade) to moderate: every one graded Good or Outstanding,
    then others at random until the sample reaches the percentage of `month_size` audits (all candidates,
    unless some of the month's were drawn before: `already` of them). Returns {audit id: why}."""
    if rule_version != RULE_VERSION:
        raise ValueError(f"Only rule version {RULE_VERSION} is known")
    month_size = len(candidates) if month_size is None else month_size
    ordered = sorted(candidates)
    picked = {audit_id: "good-or-outstanding" for audit_id, grade in ordered if grade in ALWAYS_SAMPLED}
    others = [audit_id for audit_id, grade in ordered if grade not in ALWAYS_SAMPLED]
    wanted = max(0, target_size(month_size, percentage) - already - len(picked))
    # Reproducible on purpose: the seed is recorded and shown, so nothing about it is secret.
    rng = random.Random(f"moderation-draw:{rule_version}:{seed}")  # noqa: S311
    for audit_id in rng.sample(others, min(wanted, len(others))):
        picked[audit_id] = "random"
    return picked


def assign(audits, moderators, load, seed):
    """A moderator for each of `audits` ((audit id, ids of people who may not moderate it)), from
    `moderators` (ids), spread evenly given how many each has already (`load`), by services/sharing.py.
    Returns {audit id: moderator id, or None where nobody may take it}."""
    return sharing.share(audits, moderators, load, seed, f"moderation-assign:{RULE_VERSION}")


# The month's audits and its draws, from the database.


def submitted_in(month):
    """The condition for the audits of the programme (not of reliability exercises) submitted in the month."""
    start, end = month_bounds(month)
    return (Audit.submitted_at >= start) & (Audit.submitted_at < end) & Audit.exercise.is_null()


def population(month):
    """The audits of the programme submitted in the month, with what the draw and assignment need:
    (audit id, overall grade, auditor id, the case's team manager id), by id (one query)."""
    return list(
        Audit.select(Audit.id, Audit.overall_grade, Audit.auditor, Team.manager)
        .join(Case)
        .join(Team)
        .where(submitted_in(month))
        .order_by(Audit.id)
        .tuples()
    )


def draws(month):
    return list(ModerationDraw.select().where(ModerationDraw.month == month).order_by(ModerationDraw.round))


def moderators():
    """The ids of the active people holding the moderator role."""
    return [user_id for user_id, _ in User.names("moderator")]


def month_load(month):
    """How many of the month's moderations each moderator has already."""
    rows = (
        Moderation.select(Moderation.moderator, fn.COUNT(Moderation.id))
        .join(ModerationDraw)
        .where((ModerationDraw.month == month) & Moderation.moderator.is_null(False))
        .group_by(Moderation.moderator)
        .tuples()
    )
    return dict(rows)


def draw(actor, month, percentage, now, seed=None, due_months=1):
    """Draw the month's sample: the first draw, or (when the month has been drawn) again for the audits
    submitted into it since, by the month's own percentage and rule, never removing an audit already drawn;
    its moderations are due `due_months` months after the month (see `due_on`). One transaction with its
    events and the notices to the moderators. `now` is a UTC time as the database keeps them. Returns the
    ModerationDraw, or RuleBroken saying why not."""
    month = first_of(month)
    if month > first_of(uk_today(now)):
        raise RuleBroken(f"{month_name(month)} has not started yet. Choose this month or an earlier one.", "month")
    seed = secrets.randbelow(LARGEST_INTEGER) if seed is None else seed
    with db.atomic():
        earlier = draws(month)
        if earlier:  # the month's sample is completed by the rule it was drawn by
            percentage = earlier[0].percentage
            if earlier[0].rule_version != RULE_VERSION:
                raise RuleBroken(f"{month_name(month)} was drawn by a rule this version cannot apply.", "month")
        audits = population(month)
        # Late audits are those no earlier draw of the month drew from.
        considered = {audit_id for earlier_draw in earlier for audit_id in json.loads(earlier_draw.population)}
        candidates = [row for row in audits if row[0] not in considered]
        already = Moderation.select().join(ModerationDraw).where(ModerationDraw.month == month).count()
        if not candidates:
            if earlier:
                message = f"No audits have been submitted into {month_name(month)} since it was drawn."
            else:
                message = f"No audits were submitted in {month_name(month)}, so there is nothing to draw."
            raise RuleBroken(message, "month")
        picks = sample([(row[0], row[1]) for row in candidates], seed, percentage, len(audits), already)
        try:
            with db.atomic():  # a savepoint: another QA officer may have drawn the month at the same moment
                the_draw = ModerationDraw.create(
                    month=month,
                    round=len(earlier) + 1,
                    seed=seed,
                    rule_version=RULE_VERSION,
                    percentage=percentage,
                    population=json.dumps([row[0] for row in candidates]),
                    drawn_by=actor,
                    drawn_at=now,
                    due_on=due_on(month, uk_today(now), due_months),
                )
        except IntegrityError as error:
            raise RuleBroken(f"{month_name(month)} was drawn by someone else at the same moment.", "month") from error
        Event.record(actor, "created", the_draw, ["month", "round", "seed", "rule_version", "percentage", "due_on"])
        excluded = {row[0]: {row[2], row[3]} for row in candidates}
        chosen = assign([(a, excluded[a]) for a in sorted(picks)], moderators(), month_load(month), seed)
        moderations = _create_moderations(actor, the_draw, picks, chosen)
        _tell_moderators(moderations, month)
    return the_draw


def _create_moderations(actor, the_draw, picks, chosen):
    """A moderation of each audit picked, with the auditor's grades as they are, and its events."""
    grades = dict(Audit.select(Audit.id, Audit.overall_grade).where(Audit.id.in_(list(picks))).tuples())
    moderations = []
    for audit_id in sorted(picks):
        moderation = Moderation.create(
            audit=audit_id,
            draw=the_draw,
            chosen_because=picks[audit_id],
            moderator=chosen[audit_id],
            auditor_grade=grades[audit_id],
            due_on=the_draw.due_on,
        )
        Event.record(actor, "created", moderation, ["audit", "draw", "chosen_because", "moderator", "due_on"])
        moderations.append(moderation)
    judgements = DomainJudgement.select(DomainJudgement.audit, DomainJudgement.domain, DomainJudgement.grade).where(
        DomainJudgement.audit.in_(list(picks))
    )
    by_audit = {moderation.audit_id: moderation.id for moderation in moderations}
    rows = [
        {"moderation": by_audit[audit_id], "domain": domain_id, "auditor_grade": grade}
        for audit_id, domain_id, grade in judgements.tuples()
    ]
    if rows:
        DomainModeration.insert_many(rows).execute()
    return moderations


def _tell_moderators(moderations, month):
    """One notice to each moderator given audits to moderate."""
    counts = Counter(moderation.moderator_id for moderation in moderations if moderation.moderator_id)
    for moderator in User.select().where(User.id.in_(list(counts))):
        count = counts[moderator.id]
        notices.notify(
            [moderator],
            f"{notices.count(count, 'audit')} to moderate for {month_name(month)}",
            f"You have been given {notices.count(count, 'audit')} of {month_name(month)} to moderate, "
            f"due by {long_date(moderations[0].due_on)}. Open your moderations in the service to start.",
            "/moderations",
        )


@dataclass
class MonthSummary:
    """What the draw page shows of a month: its audits and the sample, by grade, and its draws."""

    month: datetime.date
    population: dict  # grade code: count of the month's audits
    sampled: dict  # grade code: count drawn
    draws: list
    not_yet_drawn: int  # audits submitted into the month and not considered by any draw yet
    target: int
    percentage: int
    moderated: int = 0  # how many of the sample have been moderated

    @property
    def due_on(self):
        """When the month's moderations are due (the latest, if audits drawn late are due later)."""
        return max(draw.due_on for draw in self.draws) if self.draws else None

    @property
    def total(self):
        return sum(self.population.values())

    @property
    def sample_size(self):
        return sum(self.sampled.values())

    @property
    def always_sampled(self):
        return sum(self.population.get(grade, 0) for grade in ALWAYS_SAMPLED)

    @property
    def larger_than_target(self):
        """True when Good and Outstanding alone take the sample past the percentage."""
        return self.always_sampled > self.target

    def rows(self):
        return [
            (code, label, self.population.get(code, 0), self.sampled.get(code, 0)) for code, label in GRADES.items()
        ]


def summary(month, percentage):
    """The month's audits and sample by grade, and how many are moderated (two grouped queries), and its draws."""
    month = first_of(month)
    by_grade = dict(
        Audit.select(Audit.overall_grade, fn.COUNT(Audit.id))
        .where(submitted_in(month))
        .group_by(Audit.overall_grade)
        .tuples()
    )
    sampled, moderated = Counter(), 0
    for grade, status, count in (
        Moderation.select(Moderation.auditor_grade, Moderation.status, fn.COUNT(Moderation.id))
        .join(ModerationDraw)
        .where(ModerationDraw.month == month)
        .group_by(Moderation.auditor_grade, Moderation.status)
        .tuples()
    ):
        sampled[grade] += count
        moderated += count if status == "submitted" else 0
    month_draws = draws(month)
    considered = sum(len(json.loads(d.population)) for d in month_draws)
    total = sum(by_grade.values())
    percentage = month_draws[0].percentage if month_draws else percentage
    return MonthSummary(
        month,
        by_grade,
        sampled,
        month_draws,
        total - considered if month_draws else 0,
        target_size(total, percentage),
        percentage,
        moderated,
    )


def sampled(month):
    """The month's moderations, with the audit, case, auditor and moderator each shows (one query), in the order
    drawn: read in that order from the index of each draw's moderations."""
    return moderations.detailed().where(of_month(month)).order_by(Moderation.draw, Moderation.id)


def counted_sample(month):
    """The moderations `sampled` finds, on the moderation table alone: what a count needs."""
    return Moderation.select(Moderation.id).where(of_month(month))


def of_month(month):
    """The condition for the moderations of the month's draws."""
    return Moderation.draw.in_(ModerationDraw.select(ModerationDraw.id).where(ModerationDraw.month == first_of(month)))

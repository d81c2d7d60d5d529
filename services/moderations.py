"""A moderation (seed 001 s.5): the moderator agrees or disagrees with each of the audit's grades, says whether
its actions have been addressed, may set further actions, and writes to the auditor; saved as they go, like
the audit, and submitted once, when the audit becomes Moderated and the auditor is told."""

from dataclasses import dataclass

from peewee import JOIN

from models import (
    GRADES,
    Audit,
    Case,
    DomainJudgement,
    DomainModeration,
    Draft,
    Event,
    Moderation,
    ModerationDraw,
    StaleRecord,
    Team,
    TemplateDomain,
    User,
    db,
    utcnow,
)
from services import (
    action_reviews,
    calibration_tallies,
    dashboard_tallies,
    drafts,
    notices,
    records,
    team_actions,
    team_audits,
)
from services.audits import Problem, action_problems
from services.dates import uk_today
from services.errors import RuleBroken
from services.records import Stale

DOMAIN_FIELDS = ("agrees", "grade", "reason")
DRAFT_FIELD = "moderation"  # the moderator's draft of the moderation form, kept on the audit
SUBMITTED = "This moderation has been submitted, so it can no longer be changed."
STARTED = "This moderation has been started, so its moderator can no longer be changed."
SUBMITTED_MODERATOR = "This moderation has been submitted, so its moderator can no longer be changed."


def detailed(columns=None):
    """Moderations with what a moderation's page shows: the audit, its case and team, the auditor, the
    moderator and the draw (one query); only the `columns(Auditor, Moderator)` of them, if given (a list's)."""
    Auditor, Moderator = User.alias(), User.alias()
    chosen = (
        columns(Auditor, Moderator) if columns else (Moderation, ModerationDraw, Audit, Case, Team, Auditor, Moderator)
    )
    return (
        Moderation.select(*chosen)
        .join(ModerationDraw)
        .switch(Moderation)
        .join(Audit)
        .join(Case)
        .join(Team)
        .switch(Audit)
        .join(Auditor, on=(Audit.auditor == Auditor.id), attr="auditor")
        .switch(Moderation)
        .join(Moderator, JOIN.LEFT_OUTER, on=(Moderation.moderator == Moderator.id), attr="moderator")
    )


def _of_moderator(user, done):
    # Written as the partial index's condition is, so that the database sees the index holds these rows.
    status = (Moderation.status == "submitted") if done else (Moderation.status != "submitted")
    return (Moderation.moderator == user.id) & status


def for_moderator(user, done=False):
    """The moderations given to `user` still to do, soonest due first (an index holds those alone: migration
    0015); or those done, latest first."""
    if done:
        order = (Moderation.submitted_at.desc(), Moderation.id.desc())
    else:
        order = (Moderation.due_on, Moderation.id)
    return listing().where(_of_moderator(user, done)).order_by(*order)


def listing():
    """Moderations with only what a moderator's lists show: the month drawn, the case's reference and the
    auditor, not the audit's texts or the draw's population, which grow with a council's size."""
    Auditor = User.alias()
    return (
        Moderation.select(
            *(Moderation.id, Moderation.status, Moderation.auditor_grade, Moderation.grade, Moderation.due_on),
            *(Moderation.submitted_at, ModerationDraw.id, ModerationDraw.month, Audit.id, Case.id, Case.reference),
            *(Auditor.id, Auditor.name),
        )
        .join(ModerationDraw)
        .switch(Moderation)
        .join(Audit)
        .join(Case)
        .switch(Audit)
        .join(Auditor, on=(Audit.auditor == Auditor.id), attr="auditor")
    )


def counted_for(user, done=False):
    """The moderations `for_moderator` finds, on the moderation table alone: what a count needs."""
    return Moderation.select(Moderation.id).where(_of_moderator(user, done))


def to_do(user):
    """How many moderations given to `user` are not yet submitted."""
    return counted_for(user).count()


def of_audit(audit):
    """The audit's moderation, submitted, if it has one: what its auditor and QA officers see."""
    return detailed().where((Moderation.audit == audit.id) & (Moderation.status == "submitted")).first()


def domains(moderation):
    """Each domain of the audit's template, in order, with the moderator's view of its grade and the auditor's
    judgement (evidence and "so what") beside it (one query)."""
    on_judgement = (DomainJudgement.audit == moderation.audit_id) & (DomainJudgement.domain == TemplateDomain.id)
    # Named, the audit's template lets its domains be read in order from their index, rather than sorted.
    template = Audit.select(Audit.template).where(Audit.id == moderation.audit_id)
    rows = (
        DomainModeration.select(DomainModeration, TemplateDomain, DomainJudgement)
        .join(TemplateDomain)
        .join(DomainJudgement, JOIN.LEFT_OUTER, on=on_judgement, attr="judgement")
        .where((DomainModeration.moderation == moderation.id) & (TemplateDomain.template == template))
        .order_by(TemplateDomain.position)
    )
    found = list(rows)
    for row in found:
        if getattr(row.domain, "judgement", None) is None or row.domain.judgement.id is None:
            row.domain.judgement = DomainJudgement(evidence="", so_what="", grade=row.auditor_grade)
    return found


@dataclass
class Outcome:
    """A submitted moderation as the audit shows it: when and by whom, the overall judgement and how many
    domain grades changed, and each domain's final grade beside the auditor's."""

    moderation: Moderation
    rows: list  # as `domains` gives them

    @property
    def moderated_on(self):
        return uk_today(self.moderation.submitted_at)

    @property
    def moderator_name(self):
        return self.moderation.moderator.name if self.moderation.moderator else "a moderator"

    @property
    def overall_changed(self):
        return self.moderation.grade != self.moderation.auditor_grade

    @property
    def domains_changed(self):
        return sum(1 for row in self.rows if row.grade != row.auditor_grade)

    def of_domain(self, domain_id):
        """The domain's row (its final grade, `grade`, and the auditor's), or None if it was not moderated."""
        return next((row for row in self.rows if row.domain_id == domain_id), None)


def outcome_of(audit):
    """The outcome of the audit's moderation, once it is moderated (None before)."""
    moderation = of_audit(audit) if audit.status == "moderated" else None
    return Outcome(moderation, domains(moderation)) if moderation else None


def is_moderator(user, moderation):
    return moderation.moderator_id == user.id


def moderates(user, audit):
    """Whether `user` is the moderator of the audit's moderation: they read the audit whole."""
    mine = (Moderation.audit == audit.id) & (Moderation.moderator == user.id)
    return user.has_role("moderator") and Moderation.select().where(mine).exists()


def refuse_if_submitted(moderation):
    """Refuse a change to a submitted moderation, as it is in the database now (the update that changes
    nothing locks its row until the change is written, as for an audit)."""
    records.refuse_unless_open(moderation, Moderation.status != "submitted", SUBMITTED)


def keep_draft(user, moderation_id, field, form):
    """Keep what the moderator typed on the moderation (`field` "moderation") or one of its actions
    ("action-new", "action-7") but could not save, while it is theirs and not submitted."""
    moderation = Moderation.get_or_none(Moderation.id == moderation_id)
    if moderation is not None and is_moderator(user, moderation) and not moderation.is_submitted:
        drafts.keep(user, field, form, about=moderation, audit=moderation.audit_id)


def save(actor, moderation, expected_version, values, domain_values):
    """Save the moderation as it is so far, in one transaction, if nobody saved it since `expected_version`."""
    with db.atomic():
        refuse_if_submitted(moderation)
        names = records.save_with_rows(
            actor,
            moderation,
            expected_version,
            values,
            domains(moderation),
            domain_values,
            DOMAIN_FIELDS,
            started=("assigned", "in-progress"),
        )
        drafts.forget(actor, DRAFT_FIELD, moderation.audit_id)
    return names


def differences(moderation, rows, values, domain_values):
    """Where what the moderator sent differs from what is saved now: (form field id, saved, theirs)."""
    return records.row_differences(moderation, rows, values, domain_values, DOMAIN_FIELDS)


def _view_problems(field, name, agrees, grade, auditor_grade, reason):
    """What a grade's answer lacks: agree or not, and where not, another grade and why."""
    if agrees is None:
        return [Problem(f"{field}agrees", f"Select yes if you agree with the grade for {name}, or no")]
    if agrees:
        return []
    found = []
    if not grade:
        found.append(Problem(f"{field}grade", f"Select the moderated grade for {name}"))
    elif grade == auditor_grade:
        found.append(
            Problem(
                f"{field}grade",
                f"The moderated grade for {name} is the auditor's grade ({GRADES[grade]}): "
                "select yes to agree, or choose another grade",
            )
        )
    if not reason.strip():
        found.append(Problem(f"{field}reason", f"Enter why you disagree with the grade for {name}"))
    return found


def submit_problems(moderation, rows, further_actions, today):
    """Everything that stops the moderation being submitted, in the order of the form."""
    found = []
    for index, row in enumerate(rows):
        found += _view_problems(
            f"domains-{index}-", row.domain.name, row.agrees, row.grade, row.auditor_grade, row.reason
        )
    found += _view_problems(
        "",
        "the overall judgement",
        moderation.agrees,
        moderation.grade,
        moderation.auditor_grade,
        moderation.overall_reason,
    )
    if not moderation.actions_addressed:
        found.append(Problem("actions_addressed", "Select whether the actions from the audit have been addressed"))
    return found + action_problems(further_actions, today)


def submit(actor, moderation, today, rules=team_actions.DEFAULT_RULES):
    """Submit a saved moderation: the audit becomes Moderated, its final grades are the moderated ones (and
    added to calibration's tallies), the auditor is told and its further actions are sent to the team (under the
    council's `rules`), in one transaction; or RuleBroken with every problem, each tied to its field."""
    now = utcnow()
    final = moderation.auditor_grade if moderation.agrees else moderation.grade
    try:
        with dashboard_tallies.kept(Audit.id == moderation.audit_id):
            # Checked inside the transaction, the moderation's row locked: nothing can be added meanwhile.
            refuse_if_submitted(moderation)
            rows = domains(moderation)
            problems = submit_problems(moderation, rows, moderation.audit.ordered_actions("moderation"), today)
            if problems:
                raise RuleBroken(problems=[(problem.field, problem.message) for problem in problems])
            moderation.save_version(
                moderation.version,
                {Moderation.status: "submitted", Moderation.submitted_at: now, Moderation.grade: final},
            )
            # Where the moderator agrees, the final grade is the auditor's.
            DomainModeration.update(grade=DomainModeration.auditor_grade).where(
                (DomainModeration.moderation == moderation.id) & DomainModeration.agrees
            ).execute()
            Audit.update(status="moderated").where(Audit.id == moderation.audit_id).execute()
            calibration_tallies.add(moderation.id)
            Draft.delete().where(
                (Draft.audit == moderation.audit_id)
                & (Draft.user == actor)
                & ((Draft.field == DRAFT_FIELD) | Draft.field.startswith("action-"))
            ).execute()
            Event.record(actor, "submitted", moderation, ["status", "submitted_at", "grade"])
            Event.record(actor, "moderated", moderation.audit, ["status"])
            _tell_auditor(moderation, rows)
            if team_actions.send_to_team(actor, moderation.audit, "moderation", rules, today):
                action_reviews.schedule(moderation.audit, uk_today(moderation.audit.submitted_at))
            team_audits.tell_practitioner(moderation.audit, "moderated")
    except StaleRecord as error:
        raise Stale(Moderation.get_by_id(moderation.id).version) from error
    moderation.status, moderation.submitted_at, moderation.grade = "submitted", now, final
    return moderation


def _tell_auditor(moderation, rows):
    audit = moderation.audit
    changed = sum(1 for row in rows if row.agrees is False) + (moderation.agrees is False)
    outcome = (
        "The moderator agreed with every grade."
        if not changed
        else f"The moderator changed {notices.count(changed, 'grade')}."
    )
    notices.notify(
        [audit.auditor],
        f"Your audit of case {audit.case.reference} has been moderated",
        f"{moderation.moderator.name} has moderated your audit of case {audit.case.reference}. {outcome} "
        "Open the audit in the service to see the moderated grades, the comments and any further actions.",
        f"/audits/{audit.id}#moderation",
    )


def may_moderate(user, moderation):
    """Whether `user` may take this moderation: an active moderator who is neither its auditor nor the
    manager of the case's team (seed 001 s.5: an independent view)."""
    return (
        user.active
        and user.has_role("moderator")
        and user.id != moderation.audit.auditor_id
        and user.id != moderation.audit.case.team.manager_id
    )


def moderator_choices(moderation):
    """(id, name) of everyone who may take this moderation."""
    excluded = {moderation.audit.auditor_id, moderation.audit.case.team.manager_id}
    return [(user_id, name) for user_id, name in User.names("moderator") if user_id not in excluded]


def reassign(actor, moderation, moderator, expected_version):
    """Give a moderation not yet started to another moderator, in one transaction with its event; the new
    moderator is told, and the one it is taken from."""
    if not may_moderate(moderator, moderation):
        raise RuleBroken(
            f"{moderator.name} cannot moderate this audit: choose a moderator who did not audit it "
            "and does not manage the case's team",
            "moderator",
        )
    if moderation.moderator_id == moderator.id:
        return moderation
    previous, reference = moderation.moderator, moderation.audit.case.reference
    with db.atomic():
        # Only while nobody has started it: a first save or further action moves it on (see `started`).
        try:
            moderation.save_version(
                expected_version, {Moderation.moderator: moderator.id}, only_if=Moderation.status == "assigned"
            )
        except StaleRecord as error:
            now = Moderation.get_by_id(moderation.id)
            if now.status != "assigned":
                raise RuleBroken(SUBMITTED_MODERATOR if now.status == "submitted" else STARTED) from error
            raise Stale(now.version) from error
        Event.record(actor, "changed", moderation, ["moderator"])
        notices.notify(
            [moderator],
            f"An audit of case {reference} to moderate",
            f"{actor.name} has given you the audit of case {reference} to moderate.",
            f"/moderations/{moderation.id}",
        )
        notices.notify(
            [previous],
            f"The audit of case {reference} is no longer yours to moderate",
            f"{actor.name} has given the moderation of the audit of case {reference} to {moderator.name}.",
            "/moderations",
        )
    moderation.moderator = moderator
    return moderation


def started(moderation):
    """Refuse a change to a submitted moderation; otherwise mark it started, as a further action set on it
    starts it as much as a save does (a QA officer can no longer give it to someone else)."""
    refuse_if_submitted(moderation)
    Moderation.update(status="in-progress").where(
        (Moderation.id == moderation.id) & (Moderation.status == "assigned")
    ).execute()

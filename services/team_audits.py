"""The audit reaches the team (PRODUCT.md, workflow 6; seed 003 s.2 and s.4: audits done "with, not to" social
workers): once an audit is submitted, the practitioner the case is allocated to is told, reads it (the grades, the
evidence, the so what, the actions and the moderation's outcome, never its working) and records their reflection,
which the auditor and the team manager read. The case's team manager and service manager read it too.

A case's allocated worker is linked to their account (Case.worker) where an active practitioner has the case's worker
email, as cases are imported and accounts are saved; a QA officer may choose it on the case's page."""

from peewee import JOIN, chunked, fn

from models import Audit, Case, Reflection, Team, User, UserRole, db, utcnow
from services import drafts, notices, records
from services.errors import RuleBroken

PRACTITIONER = "practitioner"
DRAFT_FIELD = "reflection"
NOT_YOURS = "Only the practitioner the case is allocated to can record a reflection on its audit."


def practitioner_with(email):
    """The active practitioner's account with this email (any case), or None: a subquery's condition."""
    return (
        User.select(User.id)
        .join(UserRole)
        .where((UserRole.role == PRACTITIONER) & User.active & (fn.LOWER(User.email) == fn.LOWER(email)))
        .limit(1)
    )


def link_workers(case_ids):
    """Link each of these cases to its allocated worker's account, by the case's worker email (none if no account
    matches), as an import leaves them."""
    for batch in chunked(case_ids, 500):
        Case.update(worker=practitioner_with(Case.worker_email)).where(Case.id.in_(batch)).execute()


def link_cases_of(user_id, email):
    """Link the cases allocated to `email` with no account linked yet to the practitioner `user_id` (an account
    created, or given the role, after the cases were imported)."""
    unlinked = Case.worker.is_null() & (fn.LOWER(Case.worker_email) == email.lower())
    Case.update(worker=user_id).where(unlinked).execute()


def practitioners():
    """(id, "name (email)") of every active practitioner, by name: the case page's choices."""
    return [(user.id, f"{user.name} ({user.email})") for user in User.with_role(PRACTITIONER)]


# Who reads which audit.


def readable():
    """The condition that an audit is one the team may read: submitted (and perhaps moderated since), of the programme.
    In the terms of the index of the programme's audits by case, which a practitioner's are read from."""
    return Audit.submitted_at.is_null(False) & Audit.exercise.is_null()


def may_read(user, audit):
    """Whether `user` reads the submitted audit as its team does: the practitioner the case is allocated to, or
    the team manager or service manager of the case's team now."""
    if not audit.is_submitted or audit.exercise_id is not None:
        return False
    case, team = audit.case, audit.case.team
    return (
        (user.has_role(PRACTITIONER) and case.worker_id == user.id)
        or (user.has_role("team-manager") and team.manager_id == user.id)
        or (user.has_role("service-manager") and team.service_manager_id == user.id)
    )


def is_practitioner_of(user, audit):
    return user.has_role(PRACTITIONER) and audit.case.worker_id == user.id


def detailed():
    """Audits with their case, its team and the auditor."""
    Auditor = User.alias()
    return (
        Audit.select(Audit, Case, Team, Auditor)
        .join(Case)
        .join(Team)
        .switch(Audit)
        .join(Auditor, on=(Audit.auditor == Auditor.id))
    )


def cases_of(user):
    """The ids of the cases allocated to `user` (from the index of cases by worker): a practitioner's caseload, so that
    its audits are read from each case, not found among every audit submitted."""
    return [case_id for (case_id,) in Case.select(Case.id).where(Case.worker == user.id).tuples()]


def of_my_cases(user):
    """The submitted audits of the cases allocated to `user`, newest first, each with whether they have reflected
    on it: a practitioner's caseload's, so few enough to work out whole (ordered here, not by sorting a table)."""
    audits = (
        Audit.select(Audit.id, Audit.submitted_at, Audit.status, Audit.overall_grade, Case.id, Case.reference)
        .join(Case)
        .switch(Audit)
        .join(Reflection, JOIN.LEFT_OUTER, on=(Reflection.audit == Audit.id), attr="reflection")
        .select_extend(Reflection.id)
        .where(Audit.case.in_(cases_of(user)) & readable())
    )
    return sorted(audits, key=lambda audit: (audit.submitted_at, audit.id), reverse=True)


def to_reflect_on(user):
    """How many submitted audits of `user`'s cases they have not reflected on."""
    unreflected = Reflection.select(Reflection.id).where(Reflection.audit == Audit.id)
    audits = Audit.select(Audit.id).where(Audit.case.in_(cases_of(user)) & readable() & ~fn.EXISTS(unreflected))
    return audits.count()


# Telling the practitioner, and their reflection.


def tell_practitioner(audit, what):
    """Tell the practitioner the case is allocated to that its audit was `what` ("submitted", "moderated"), in the
    caller's transaction."""
    case = Case.select(Case.reference, Case.worker).where(Case.id == audit.case_id).get()
    if case.worker_id is None:
        return
    worker = User.get_by_id(case.worker_id)
    if what == "submitted":
        body = (
            f"The audit of your case {case.reference} has been submitted. Read what the auditor found, the grades and "
            "the actions, and record your reflection: what you take from it and anything you see differently."
        )
    else:
        body = f"The audit of your case {case.reference} has been moderated. Read its final grades in the service."
    notices.notify([worker], f"Audit of your case {case.reference} {what}", body, link_to(audit))


def link_to(audit):
    return f"/team-audits/{audit.id}"


def reflection_of(audit):
    return Reflection.get_or_none(Reflection.audit == audit.id)


def keep_draft(user, audit_id, form):
    """Keep what was typed on the reflection, if `user` may record it."""
    audit = detailed().where(Audit.id == audit_id).first()
    if audit is not None and audit.is_submitted and is_practitioner_of(user, audit):
        drafts.keep(user, DRAFT_FIELD, form, about=audit, audit=audit)


def reflect(actor, audit, reflection, expected_version, values):
    """Save the practitioner's reflection (a new one, or `reflection` changed on `expected_version`) and tell the
    auditor and the team manager, in one transaction. Returns the reflection."""
    if not is_practitioner_of(actor, audit):
        raise RuleBroken(NOT_YOURS)
    with db.atomic():
        drafts.forget(actor, DRAFT_FIELD, audit)
        if reflection is None:
            reflection = records.create(actor, Reflection, audit=audit, practitioner=actor, **values)
            what = "recorded their reflection"
        elif all(getattr(reflection, name) == value for name, value in values.items()):
            return reflection  # nothing changed: nobody need be told
        else:
            records.update(actor, reflection, expected_version, saved_at=utcnow(), **values)
            what = "changed their reflection"
        reference = audit.case.reference
        manager = Team.get_by_id(audit.case.team_id).manager
        notices.notify(
            [audit.auditor], f"Reflection on your audit of case {reference}",
            f"{actor.name}, the practitioner, {what} on your audit of case {reference}.",
            f"/audits/{audit.id}#reflection",
        )  # fmt: skip
        notices.notify(
            [manager], f"Reflection on the audit of case {reference}",
            f"{actor.name}, the practitioner, {what} on the audit of case {reference}.",
            link_to(audit),
        )  # fmt: skip
    return reflection

"""Passwords, signing in, and changes to user accounts."""

import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models import Event, FailedSignIn, User, UserRole, db, utcnow
from services import records, team_audits
from services.errors import RuleBroken

MIN_PASSWORD_LENGTH = 12
MAX_FAILED_SIGN_INS = 5
LOCKOUT = datetime.timedelta(minutes=15)

_hasher = PasswordHasher()
# Checked against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


def hash_password(password):
    return _hasher.hash(password)


def password_matches(password_hash, password):
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def sign_in(email, password, now=None):
    """The user with this email and password, or RuleBroken saying why not.

    Five failures for one email address within 15 minutes lock it for the rest
    of that time, whether or not an account has that address."""
    now = now or utcnow()
    email = email.strip().lower()
    if FailedSignIn.count_since(email, now - LOCKOUT) >= MAX_FAILED_SIGN_INS:
        raise RuleBroken(
            "There have been too many failed attempts to sign in with this email address. "
            "Wait 15 minutes, then try again.",
            field="email",
        )
    user = User.by_email(email)
    # Always verified, against a dummy hash when there is no account, so the time a refusal
    # takes does not tell which email addresses have accounts.
    matches = password_matches(user.password_hash if user else None, password)
    if user is None or not matches or not user.active:
        with db.atomic():
            FailedSignIn.create(email=email, at=now)
            if user is not None:
                Event.record(None, "sign-in failed", user)
        raise RuleBroken("Enter a correct email address and password", field="email")
    with db.atomic():
        FailedSignIn.delete().where(FailedSignIn.email == email).execute()
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
            user.save(only=[User.password_hash])
        Event.record(user, "signed in", user)
    return user


def sign_out(user):
    with db.atomic():
        user.end_sessions()
        Event.record(user, "signed out", user)


def _role_links(roles, values):
    """Save the user's roles in the same transaction as the user; an active practitioner's account is linked to the
    cases allocated to their email that have none linked yet."""

    def links(user):
        changed = user.set_roles(roles)
        if "practitioner" in roles and values.get("active", user.active):
            team_audits.link_cases_of(user.id, values["email"])
        return ["roles"] if changed else []

    return links


def create_user(actor, roles, password=None, **values):
    values["email"] = values["email"].strip().lower()
    return records.create(
        actor,
        User,
        links=_role_links(roles, values),
        password_hash=hash_password(password) if password else None,
        **values,
    )


def update_user(actor, user, expected_version, roles, password=None, **values):
    """Save changes to an account. Disabling it, or setting a new password, ends its sessions at once.

    Nobody can take away the last active QA officer: someone must be able to manage the service."""
    values["email"] = values["email"].strip().lower()
    if password:
        values["password_hash"] = hash_password(password)
    stays_qa = values.get("active", user.active) and "qa-officer" in roles
    if user.has_role("qa-officer") and user.active and not stays_qa and not _other_active_qa_officers(user):
        field = "roles" if "qa-officer" not in roles else "active"
        raise RuleBroken(f"{user.name} is the only active QA officer, so they must stay one", field=field)
    ends_sessions = bool(password) or (user.active and not values.get("active", True))
    save_roles = _role_links(roles, values)

    def links(saved):
        changed = save_roles(saved)
        if ends_sessions:
            saved.end_sessions()
        return changed

    return records.update(actor, user, expected_version, links=links, **values)


def _other_active_qa_officers(user):
    return (
        User.select()
        .join(UserRole)
        .where((UserRole.role == "qa-officer") & User.active & (User.id != user.id))
        .exists()
    )


def change_own_password(user, current_password, new_password, now=None):
    """Change a password, given the current one; wrong guesses count towards the sign-in lockout."""
    now = now or utcnow()
    if FailedSignIn.count_since(user.email, now - LOCKOUT) >= MAX_FAILED_SIGN_INS:
        raise RuleBroken(
            "There have been too many wrong passwords. Wait 15 minutes, then try again.", "current_password"
        )
    if not password_matches(user.password_hash, current_password):
        FailedSignIn.create(email=user.email, at=now)
        raise RuleBroken("Your current password is not correct", field="current_password")
    with db.atomic():
        user.password_hash = hash_password(new_password)
        user.save(only=[User.password_hash])
        user.end_sessions()
        Event.record(user, "changed", user, ["password_hash"])
    return user

"""Signing in with the council's own account: who a sign-in from the council's sign-in service (OpenID Connect) or
from its trusted proxy (Windows sign-in) is, and every refusal written to the event log.

Roles stay in the service: only people a QA officer has already added, and who are active, may sign in."""

from models import Event, User, db


class Refused(Exception):
    """A sign-in the service will not take, with the message for the person (the event log has the reason)."""


NOT_ADDED = (
    "Your council account is not set up for this service. Ask your QA team to add you, with the email address "
    "your council account uses."
)
NOT_ACTIVE = "Your account for this service has been closed. If you need it for your work, ask your QA team."
LINKED_ELSEWHERE = (
    "The account for this email address is linked to a different council account. Ask your QA team to check "
    "your account."
)
NOT_VERIFIED = (
    "The council's sign-in service says the email address of your council account has not been confirmed, so it "
    "cannot be matched to an account here. Ask your IT service desk."
)
NOT_TRUSTED = "This service does not accept Windows sign-in from where your request came. Ask your IT service desk."
UNREACHABLE = (
    "The council's sign-in service did not answer, so you have not been signed in. Try again in a few minutes."
)
NOT_CONFIRMED = (
    "The council's sign-in service did not confirm who you are, so you have not been signed in. Try again; if it "
    "happens again, tell your IT service desk the time it happened."
)


def refusal(reason, message, user=None):
    """Write a refused sign-in to the event log (by nobody, about the account if there is one), and return it to
    raise or show. `reason` is cut to fit the log's column."""
    with db.atomic():
        Event.create(
            user=None, action=f"sign-in refused: {reason}"[:255], record_type="User", record_id=user and user.id
        )
    return Refused(message)


def signed_in(user, how, link=None):
    """Write the sign-in, and link the account to the provider's (issuer, subject) first if given, together."""
    with db.atomic():
        if link:
            User.update(sso_issuer=link[0], sso_subject=link[1]).where(User.id == user.id).execute()
            Event.record(user, "linked to a council account", user, ["sso_subject"])
        Event.record(user, f"signed in ({how})", user)
    return user


def identify(issuer, subject, email, email_verified=None):
    """The account a verified identity from the council's sign-in service signs in as.

    The first sign-in finds the account by email, case-insensitively, and links it to the provider's id for the
    person (`subject`); from then on the id decides, so that a person whose email at the provider becomes another
    account's cannot sign in as that account. An email the provider says it has not verified (`email_verified`
    false, as Google Workspace says of one; Entra ID does not say) is never matched: anyone could have typed it."""
    user = User.get_or_none((User.sso_issuer == issuer) & (User.sso_subject == subject))
    if user is None:
        user = User.by_email(email or "")
        if user is None:
            raise refusal("not a user of the service", NOT_ADDED)
        if user.sso_subject is not None:
            raise refusal("linked to another council account", LINKED_ELSEWHERE, user)
        if email_verified is False:
            raise refusal("email not verified by the council's sign-in service", NOT_VERIFIED, user)
    if not user.active:
        raise refusal("account closed", NOT_ACTIVE, user)
    return signed_in(user, "council account", link=None if user.sso_subject else (issuer, subject))


def trusted(name):
    """The account of the person the council's trusted proxy says has signed in to Windows (their email, or the user
    principal name that is the same)."""
    user = User.by_email(name)
    if user is None:
        raise refusal("not a user of the service (Windows sign-in)", NOT_ADDED)
    if not user.active:
        raise refusal("account closed (Windows sign-in)", NOT_ACTIVE, user)
    return signed_in(user, "Windows sign-in")

"""Who may see what: sign-in, role checks on every view, and record lookups."""

import time
from functools import wraps
from urllib.parse import urlparse

from flask import abort, current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user
from werkzeug.datastructures import MultiDict

from models import LARGEST_INTEGER, ROLES, User
from services import access_log, audit_lists, audit_records, moderations, reliability, sso

login_manager = LoginManager()
login_manager.session_protection = None  # sessions end by token (models.User.session_token)

ANY_ROLE = tuple(ROLES)


@login_manager.user_loader
def load_user(session_id):
    return User.from_session_id(session_id)


def public(view):
    """Mark a view as open to anyone: the only kind that needs no sign-in."""
    view.public = True
    return view


def ask_to_sign_in(message="Sign in to continue"):
    """Send the person to sign in, and back to this page after. An htmx request is told
    to load the sign-in page whole, returning to the page it came from."""
    htmx_request = request.headers.get("HX-Request") == "true"
    if request.method == "GET" and not htmx_request:
        back_to = request.full_path.rstrip("?")
    else:
        back_to = urlparse(request.referrer).path if request.referrer else None
    flash(message, "information")
    url = url_for("auth.sign_in", next=back_to)
    if htmx_request:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


def roles_required(*roles):
    """Let a signed-in user through only if they hold one of `roles` (any signed-in user if none are named)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return ask_to_sign_in()
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles or ANY_ROLE
        return wrapped

    return decorator


signed_in = roles_required()


def safe_next(target):
    """Only a path on this site: never send someone on to another host after signing in."""
    if not target:
        return url_for("pages.home")
    parsed = urlparse(target)
    unsafe = parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//")
    if unsafe or "\\" in target or any(ord(character) < 32 for character in target):
        return url_for("pages.home")
    return target


def begin_session(user):
    """Sign `user` in with a new session, whose clock for both session limits starts now (blueprints/web.py)."""
    session.clear()
    login_user(user)
    session.permanent = True
    session["signed_in_at"] = session["last_seen"] = time.time()


def refused_sign_in(refusal):
    """The plain page for a sign-in the service will not take (services/sso.py), saying why."""
    return render_template("auth/refused.html", message=str(refusal)), 403


def sign_in_from_proxy():
    """With Windows sign-in through the council's proxy (TRUSTED_HEADER): sign in the person the proxy names, unless
    they are signed in already. Only a request from one of TRUSTED_PROXIES may name anyone; from anywhere else the
    header is refused, as someone trying to pass for another."""
    config = current_app.config
    header = config["TRUSTED_HEADER"]
    name = (request.environ.get(header) if header == "REMOTE_USER" else request.headers.get(header)) or ""
    if not name.strip():
        return None
    try:
        if request.remote_addr not in config["TRUSTED_PROXIES"]:
            raise sso.refusal(f"{header} sent from an address that is not a trusted proxy", sso.NOT_TRUSTED)
        if current_user.is_authenticated and current_user.email == name.strip().lower():
            return None
        begin_session(sso.trusted(name))
    except sso.Refused as refusal:
        return refused_sign_in(refusal)
    return None


def endpoint_is_public(endpoint):
    view = current_app.view_functions.get(endpoint)
    return endpoint == "static" or getattr(view, "public", False)


def require_sign_in():
    """Run before every request: anything not marked public needs a signed-in user (whom the council's proxy may
    vouch for)."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    if current_app.config["TRUSTED_HEADER"] and (refusal := sign_in_from_proxy()):
        return refusal
    if endpoint_is_public(request.endpoint):
        return None
    if not current_user.is_authenticated:
        return ask_to_sign_in()
    return None


def get_or_404(records, record_id, looks=True):
    """The record of a model (or of a query, with what it joins) with this id, or Not found. The first child's record
    a request loads is the one it looks at (web.record_access writes it), unless `looks` is False: a page about the
    record, not of it."""
    if not 0 < record_id <= LARGEST_INTEGER:  # no record has such an id, and the database cannot compare a larger one
        abort(404)
    query = records.select() if isinstance(records, type) else records
    record = query.where(query.model.id == record_id).first()
    if record is None:
        abort(404)
    if looks and "looked_at" not in g:
        g.looked_at = access_log.looked_at(record)
    return record


def looking_at_list(record_type):
    """Note that the request sends a list of many children's records of `record_type` (a CSV file, say)."""
    g.looked_at = access_log.Looked(record_type)


def restored(audit, field):
    """Form data to put back on a form opened again, if what was typed in it (`field` of `audit`:
    "action-new", "iro-feedback-7"; or of no audit, with `audit` None) was kept as a draft because it
    could not be saved (see keeps_drafts)."""
    draft = audit_records.pending_draft(audit, current_user, field) if request.method == "GET" else None
    return {"formdata": MultiDict(draft)} if draft else {}


def keeps_drafts(keep, redisplay=None):
    """Mark a view whose posts are kept as a draft, by `keep(user, view_args, form)`, when they
    arrive after the session timed out, and shown again unsaved by `redisplay(**view_args)` when
    their form token is no longer valid (blueprints/web.py), so the text is not lost."""

    def decorator(view):
        view.keep_draft = keep
        view.redisplay = redisplay
        return view

    return decorator


def load_audit(audit_id, change=False, submitted_too=False):
    """The audit, if the signed-in person may see it (its auditor, a QA officer, a senior leader, or its moderator) or
    change it (its auditor, until it is submitted; with `submitted_too` the caller says why not, keeping what was
    typed)."""
    audit = get_or_404(audit_lists.detailed(), audit_id)
    readers = ("qa-officer", "senior-leader")
    reader = any(current_user.has_role(role) for role in readers) or moderations.moderates(current_user, audit)
    if audit.auditor_id != current_user.id and (change or not reader):
        abort(403, "Only the auditor it is allocated to can open this audit.")
    # Seed 002 s.9: in a reliability exercise each judgement is the person's own, so someone taking part sees
    # the others' answers only once they have submitted theirs.
    if audit.exercise_id and audit.auditor_id != current_user.id:
        if not reliability.may_see_answers(current_user, audit.exercise_id):
            abort(
                403,
                "You are taking part in this reliability exercise: you can see the others' answers once you "
                "have submitted your own audit.",
            )
    if change and not audit.is_open and not submitted_too:
        abort(403, f"This audit has been {audit.status_label.lower()}, so it can no longer be changed.")
    return audit

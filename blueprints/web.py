"""What every request and every page shares: sessions, headers, filters, layout helpers."""

import datetime
import io
import time
from urllib.parse import urlencode

from flask import current_app, flash, g, make_response, redirect, render_template, request, send_file, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_htmx import HTMX
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from blueprints.access import ask_to_sign_in, require_sign_in
from forms.fields import DateInputField
from forms.widgets import govuk, revealed
from models import GRADES, LARGEST_INTEGER, db
from services import access_log, notices
from services.dates import UK_TIME, long_datetime
from services.dates import long_date as uk_date
from services.errors import RuleBroken
from services.pagination import Position
from services.records import Stale

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

htmx = HTMX()
csrf = CSRFProtect()

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def open_connection():
    db.connect(reuse_if_open=True)


def close_connection(exception=None):
    if not db.is_closed():
        db.close()


class SessionInterface(SecureCookieSessionInterface):
    """Sessions in a signed cookie that the browser keeps only until the session's absolute
    lifetime ends, rather than for a lifetime from each request."""

    def get_expiration_time(self, app, session):
        if session.permanent and "signed_in_at" in session:
            started = datetime.datetime.fromtimestamp(session["signed_in_at"], datetime.UTC)
            return started + datetime.timedelta(hours=app.config["SESSION_MAX_HOURS"])
        return super().get_expiration_time(app, session)


# How often a request moves the session's "last seen" time on: a session may idle out up to this
# much sooner than its limit says, and most answers need not sign and send the session cookie again.
LAST_SEEN_STEP = 60  # seconds


def enforce_session_limits():
    """Sign out a session idle too long, or older than its absolute lifetime, before anything
    else looks at the request. What was being posted, with a valid form token, to a view marked
    @keeps_drafts is kept first, to be put back after signing in."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    config = current_app.config
    started, last_seen = session.get("signed_in_at", 0), session.get("last_seen", 0)
    within_lifetime = now - started <= config["SESSION_MAX_HOURS"] * 3600
    if now - last_seen > config["SESSION_IDLE_MINUTES"] * 60 or not within_lifetime:
        user = current_user._get_current_object()
        keep = getattr(current_app.view_functions.get(request.endpoint), "keep_draft", None)
        # Only within the session's lifetime: an older cookie replayed cannot leave a draft.
        if keep and request.method == "POST" and within_lifetime and form_token_is_valid():
            keep(user, request.view_args, request.form)
        logout_user()
        session.clear()
        return ask_to_sign_in(
            "You were signed out to protect the records, because the session timed out. Sign in again to go on."
        )
    if now - last_seen >= LAST_SEEN_STEP:
        session["last_seen"] = now  # a changed session is signed and sent again as a cookie
    return None


def form_token_is_valid():
    """True if the request carries a valid form token (or the check is off, as in most tests)."""
    try:
        check_form_token()
    except CSRFError:
        return False
    return True


def check_form_token():
    """Refuse a post without a valid form token (CSRF). It runs after the session limits, so
    that a refusal, which may show the page again (csrf_refused), never reaches an expired session."""
    if current_app.config["WTF_CSRF_ENABLED"]:
        csrf.protect(apply_exemptions=True)


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if current_app.config["SESSION_COOKIE_SECURE"]:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.endpoint != "static":
        # Pages hold children's records: never keep them in a browser or proxy cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def record_access(response):
    """Run after every request: write who was sent the child's record (or list) it looked at (blueprints/access.py,
    get_or_404), as a page, a file, or a part of a page that htmx swapped in: whatever a request asks for, what it
    is sent is written."""
    looked = g.get("looked_at")
    if looked and request.method == "GET" and response.status_code == 200:
        path = request.full_path.rstrip("?")
        access_log.write(current_user._get_current_object(), looked, response.mimetype, path, g.get("sent_part", False))
    return response


def register_request_hooks(app):
    app.before_request(open_connection)
    # In this order: the session limits come before anything else that reads the request.
    app.before_request(enforce_session_limits)
    app.before_request(check_form_token)
    app.before_request(require_sign_in)
    app.after_request(add_security_headers)
    app.after_request(record_access)
    app.teardown_request(close_connection)
    app.register_error_handler(
        403, lambda error: error_page(403, "You do not have access to this page", own_description(error))
    )
    app.register_error_handler(404, lambda error: error_page(404, "Page not found"))
    app.register_error_handler(400, lambda error: error_page(400, "Sorry, there is a problem with that request"))
    app.register_error_handler(CSRFError, csrf_refused)
    app.register_error_handler(405, lambda error: error_page(405, "Sorry, that page cannot be used like that"))
    app.register_error_handler(500, lambda error: error_page(500, "Sorry, there is a problem with the service"))


def error_page(status, title, detail=None):
    return render_template("error.html", status=status, title=title, detail=detail), status


def own_description(error):
    """The reason given with abort(403, reason), not Werkzeug's stock sentence."""
    return error.description if error.description != type(error).description else None


def csrf_refused(error):
    """A post whose form token is no longer valid (the person signed in again in another tab, say).
    A view marked @keeps_drafts shows the page again with what was typed, saving nothing;
    anything else gets the 400 page."""
    redisplay = getattr(current_app.view_functions.get(request.endpoint), "redisplay", None)
    if redisplay and current_user.is_authenticated:
        try:
            response = redisplay(**request.view_args)
        except HTTPException:
            pass  # not this person's to see: the plain refusal below
        else:
            response.status_code = 400
            return response
    return error_page(400, "Sorry, there is a problem with that request")


def swaps_part():
    """True for an htmx request that swaps part of a page in: not a boosted link or form, nor a history restore."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def part_of_page(template):
    """A template that is a part of a page, noted as sent so (record_access writes it so)."""
    g.sent_part = True
    return template


def render(template, partial=None, **context):
    """The whole page, or only the `partial` template for an htmx request that swaps part of it."""
    swap = partial and swaps_part()
    response = make_response(render_template(part_of_page(partial) if swap else template, **context))
    response.vary.add("HX-Request")
    return response


def render_list(fragment, **context):
    """A searchable list page, or only its results (`fragment`) for an htmx search."""
    return render("list_page.html", "_list_results.html", fragment=fragment, search=search_text(), **context)


def all_fields(form):
    """Every field of a form, those inside lists of subforms (such as an audit's domains) included."""
    for field in form:
        if hasattr(field, "entries"):
            for entry in field.entries:
                yield from all_fields(entry.form) if hasattr(entry, "form") else [entry]
        elif hasattr(field, "form") and field.type == "FormField":
            yield from all_fields(field.form)
        else:
            yield field


def labelled(form, found):
    """Differences between a form and its record as saved ((field id, saved, typed), see
    services.records.differences), each with its field's name as a person reads it, with its domain
    where it belongs to one ("Evidence for Assessment")."""
    labels = {field.id: getattr(field, "name_in_messages", field.label.text) for field in all_fields(form)}
    return [(labels.get(field_id, field_id), saved, yours) for field_id, saved, yours in found]


def show_problems(form, error):
    """Put a service's refusal (RuleBroken) beside the fields it is about, or above the form,
    linked from the error summary to the part of the page it names."""
    fields = {field.id: field for field in all_fields(form)}
    for field_id, message in error.problems:
        if field_id in fields:
            fields[field_id].errors = [*fields[field_id].errors, message]
        else:
            form.form_errors.append(message)
            form.error_anchors = getattr(form, "error_anchors", {}) | {message: field_id or "main-content"}
    if isinstance(error, Stale) and "version" in form:
        # Saving again now replaces the other change knowingly, after this warning.
        form.version.data = error.current_version


def saved(form, save):
    """Run `save()` for a valid form and return what it saved; on a refusal,
    show why on the form and return None."""
    try:
        return save()
    except RuleBroken as error:
        show_problems(form, error)
        return None


def form_page(form, save, done, saved_message, template="record_form.html", **context):
    """Every add and edit page: a valid form is saved, then a 303 to `done(record)`;
    otherwise the form again, with its errors (in the shared record_form.html unless told)."""
    if form.validate_on_submit() and (record := saved(form, save)):
        flash(saved_message)
        return redirect(done(record), 303)
    return render_template(template, form=form, **context)


def download(content, name, mimetype):
    """A file made by the service (a Word document, a CSV file) to save, as `name`."""
    return send_file(io.BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=name)


PAGE_ARGS = ("page", "after", "before", "last")


def filter_args():
    """The current list's search and filters, from its query string, without its page's place."""
    return {name: value for name, value in request.args.items() if name not in PAGE_ARGS}


def page_position():
    """Where in a list the page asked for is, from the query string its links make (services/pagination.py)."""

    def whole_number(name):
        number = request.args.get(name, type=int)
        return number if number is not None and 0 < number <= LARGEST_INTEGER else None

    return Position(
        number=whole_number("page") or 1,
        after=whole_number("after"),
        before=whole_number("before"),
        last=request.args.get("last") == "1",
    )


def search_text():
    return request.args.get("q", "").strip()[:100]


def pagination_params(page):
    """GOV.UK pagination for `page` of the current list, keeping its search and filters."""

    kept = filter_args()

    def url(number):
        position = page.position_of(number)
        if position is None:  # this page
            return request.full_path.rstrip("?")
        reached = {"page": number, "after": position.after, "before": position.before, "last": position.last and 1}
        # The query string is encoded, never passed to url_for as options (such as _external).
        return (
            url_for(request.endpoint, **(request.view_args or {}))
            + "?"
            + urlencode(kept | {name: value for name, value in reached.items() if value})
        )

    items = [
        {"ellipsis": True} if n is None else {"number": n, "href": url(n), "current": n == page.number}
        for n in page.window()
    ]
    return {
        "items": items,
        "previous": {"href": url(page.number - 1)} if page.number > 1 else None,
        "next": {"href": url(page.number + 1)} if page.number < page.pages else None,
    }


def now_uk_time():
    """The time now in the UK, like 14:32."""
    return f"{datetime.datetime.now(UK_TIME):%H:%M}"


def typed(text):
    """Typed text, escaped, in an element that keeps its line breaks: a component's `html` parameter. Not the
    component's own cell (`classes`), whose template puts whitespace around the text, which would show."""
    return Markup('<span class="app-preserve">{}</span>').format(text)


NAVIGATION = [
    ("Home", "pages.home", None),
    ("My audits", "audits.mine", ("auditor",)),
    ("My moderations", "moderations.mine", ("moderator",)),
    ("Audits of your cases", "team_audits.index", ("practitioner",)),
    ("Immediate Responses", "immediate_responses.index", ("qa-officer", "team-manager", "auditor")),
    ("Team actions", "team_actions.index", ("team-manager", "service-manager", "qa-officer")),
    ("Four-month review", "action_reviews.index", ("team-manager", "service-manager", "qa-officer")),
    ("Cases", "cases.index", ("qa-officer",)),
    ("Audits", "audits.index", ("qa-officer", "senior-leader")),
    ("Audit plan", "programme.plan", ("qa-officer",)),
    ("Moderation sample", "moderations.sample", ("qa-officer",)),
    ("Reliability exercises", "reliability.index", ("qa-officer",)),
    ("Dashboard", "dashboard.index", ("qa-officer", "senior-leader")),
    ("Calibration", "calibration.index", ("qa-officer", "moderator", "senior-leader")),
    ("Reports", "reports.index", ("qa-officer", "senior-leader")),
    ("Teams", "admin.teams", ("qa-officer",)),
    ("Learning themes", "admin.learning_themes", ("qa-officer",)),
    ("Users", "admin.users", ("qa-officer",)),
    ("Event log", "admin.events", ("qa-officer",)),
    ("Notices", "notices.index", None),
]


def unread_notices():
    """How many of the signed-in person's notices are unread, counted once a request: every page shows it."""
    if "unread_notices" not in g:
        g.unread_notices = notices.unread_count(current_user)
    return g.unread_notices


def navigation():
    """Service navigation items for the signed-in user's roles."""
    if not current_user.is_authenticated:
        return []
    current_blueprint = request.blueprint
    items = []
    for text, endpoint, roles in NAVIGATION:
        if roles and not current_user.has_role(*roles):
            continue
        url = url_for(endpoint)
        if endpoint == "notices.index" and unread_notices():
            text = f"{text} ({unread_notices()} unread)"
        item = {"text": text, "href": url}
        if request.path == url:
            item["current"] = True
        elif endpoint.split(".")[0] == current_blueprint and request.path.startswith(url) and url != "/":
            item["active"] = True
        items.append(item)
    return items


def error_list(form):
    """The error summary's items: each field's first error, linked to the field."""
    items = []
    for field in all_fields(form):
        if field.errors:
            # A date input's first box is its day; the field's own id names no element.
            target = f"{field.id}-day" if isinstance(field, DateInputField) else field.id
            items.append({"text": field.errors[0], "href": f"#{target}"})
    anchors = getattr(form, "error_anchors", {})
    items += [{"text": message, "href": f"#{anchors.get(message, 'main-content')}"} for message in form.form_errors]
    return items


def register_template_helpers(app):
    app.add_template_filter(uk_date, "uk_date")
    app.add_template_filter(long_datetime, "uk_datetime")
    app.add_template_filter(typed)
    app.add_template_filter(notices.count, "plural")  # 1 audit, 2 audits
    app.add_template_global(navigation)
    app.add_template_global(error_list)
    app.add_template_global(pagination_params)
    app.add_template_global(govuk)
    app.add_template_global(revealed)

    app.add_template_global(now_uk_time)
    app.add_template_global(GRADES, "grades")
    app.add_template_global(zip)

    @app.context_processor
    def service_details():
        return {
            "council_name": app.config["COUNCIL_NAME"],
            "service_name": app.config["SERVICE_NAME"],
            "htmx": htmx,
        }

"""The case file audit tool: create_app() puts the pieces together."""

import datetime
import os
import secrets

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from blueprints import (
    action_reviews,
    actions,
    admin,
    allocation,
    audits,
    auth,
    calibration,
    case_import,
    cases,
    commands,
    dashboard,
    earlier_actions,
    feedback,
    immediate_responses,
    learning_themes,
    list_downloads,
    moderations,
    notices,
    pages,
    programme,
    reliability,
    reports,
    retention,
    sso,
    team_actions,
    team_audits,
)
from blueprints.access import login_manager
from blueprints.web import SessionInterface, csrf, htmx, register_request_hooks, register_template_helpers
from models import db
from services.database import open_database
from services.retention import Policy
from services.team_actions import Rules


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, mode=0o700, exist_ok=True)  # the database and the secret key live here
    configure(app, test_config)

    db.initialize(open_database(app.config["DATABASE_URL"]))

    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(os.path.join(app.root_path, "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    sso.init_app(app)
    WTFormsHelpers(app)

    register_request_hooks(app)
    register_template_helpers(app)
    list_downloads.register_template_helpers(app)
    blueprints = [
        pages,
        auth,
        sso,
        admin,
        cases,
        audits,
        actions,
        earlier_actions,
        team_actions,
        team_audits,
        action_reviews,
        feedback,
        immediate_responses,
        moderations,
        reliability,
        programme,
        case_import,
        allocation,
        calibration,
        dashboard,
        reports,
        learning_themes,
        retention,
        notices,
        commands,
    ]
    for blueprint in (module.bp for module in blueprints):
        app.register_blueprint(blueprint)
    return app


def configure(app, test_config):
    """Settings from environment variables, or from `test_config` in tests."""
    environ = os.environ
    app.config.from_mapping(
        APP_ENV=environ.get("APP_ENV", "production"),
        SECRET_KEY=environ.get("SECRET_KEY"),
        DATABASE_URL=environ.get("DATABASE_URL", "sqlite:///" + os.path.join(app.instance_path, "caseaudit.db")),
        COUNCIL_NAME=environ.get("COUNCIL_NAME", "Example Council"),
        SERVICE_NAME="Case file audit",
        SESSION_IDLE_MINUTES=int(environ.get("SESSION_IDLE_MINUTES", "30")),
        SESSION_MAX_HOURS=int(environ.get("SESSION_MAX_HOURS", "12")),
        # Notices are emailed by `run-jobs` (services/notices.py); without a server they are in the service only.
        MAIL_SERVER=environ.get("MAIL_SERVER", ""),
        MAIL_PORT=int(environ.get("MAIL_PORT", "25")),
        MAIL_USE_TLS=environ.get("MAIL_USE_TLS", "0") == "1",  # STARTTLS
        MAIL_USERNAME=environ.get("MAIL_USERNAME", ""),
        MAIL_PASSWORD=environ.get("MAIL_PASSWORD", ""),
        MAIL_FROM=environ.get("MAIL_FROM", ""),
        # Where the service is, such as https://audit.council.gov.uk: emails link to it.
        SERVICE_URL=environ.get("SERVICE_URL", ""),
        # The share of each month's audits moderated (seed 001 s.5), every Good or Outstanding one among them.
        MODERATION_PERCENTAGE=int(environ.get("MODERATION_PERCENTAGE", "30")),
        # A month's moderations are due at the end of this many months after it (1: by the end of the next month).
        MODERATION_DUE_MONTHS=int(environ.get("MODERATION_DUE_MONTHS", "1")),
        # The month's audit plan leaves out cases audited or allocated in this many months before it (seed 000
        # s.4.4: 12; seed 003 s.4: 6 to 8); a QA officer may choose otherwise for a month.
        # The largest request, an uploaded open-case list above all: a larger one gets a page saying so.
        MAX_CONTENT_LENGTH=int(environ.get("UPLOAD_LIMIT_MB", "10")) * 1024 * 1024,
        AUDIT_PLAN_WINDOW_MONTHS=int(environ.get("AUDIT_PLAN_WINDOW_MONTHS", "12")),
        # Chasing open audits (services/chasing.py): the auditor is reminded this many working days before the due
        # date, on it, and every OVERDUE_REMINDER_DAYS while overdue; the QA officers are sent the overdue audits by
        # team once a week, on OVERDUE_LIST_DAY (0 Monday to 6 Sunday).
        REMINDER_WORKING_DAYS_BEFORE=int(environ.get("REMINDER_WORKING_DAYS_BEFORE", "3")),
        OVERDUE_REMINDER_DAYS=int(environ.get("OVERDUE_REMINDER_DAYS", "7")),
        OVERDUE_LIST_DAY=int(environ.get("OVERDUE_LIST_DAY", "0")),
        # Actions sent to a team (services/team_actions.py): the time from the team manager receiving one to signing
        # it off, "14 days" (seed 000 s.7.4) or in working days, "25 working days" (seed 002 s.10); and whether a
        # service manager then authorises each one signed off (seed 002 s.11).
        ACTION_DEADLINE=environ.get("ACTION_DEADLINE", "14 days"),
        ACTIONS_NEED_AUTHORISATION=environ.get("ACTIONS_NEED_AUTHORISATION", "1") == "1",
        # Signing in (README, "For your IT and information governance teams"). With the council's sign-in service
        # (OpenID Connect: Microsoft Entra ID, Google Workspace), its discovery document and this service's client
        # there; the claim of the ID token that carries the person's email address.
        OIDC_METADATA_URL=environ.get("OIDC_METADATA_URL", ""),
        OIDC_CLIENT_ID=environ.get("OIDC_CLIENT_ID", ""),
        OIDC_CLIENT_SECRET=environ.get("OIDC_CLIENT_SECRET", ""),
        OIDC_EMAIL_CLAIM=environ.get("OIDC_EMAIL_CLAIM", "email"),
        # With Windows sign-in through IIS or a reverse proxy: the header naming the person (or REMOTE_USER, set by
        # the server), taken only from these addresses of the proxy.
        TRUSTED_HEADER=environ.get("TRUSTED_HEADER", ""),
        TRUSTED_PROXIES=[
            address.strip() for address in environ.get("TRUSTED_PROXIES", "").split(",") if address.strip()
        ],
        # Passwords kept by this service: turned off ("0") once the council's sign-in works.
        PASSWORD_SIGN_IN=environ.get("PASSWORD_SIGN_IN", "1") == "1",
        # Retention (services/retention.py): a closed case's records are kept this many years after it closed; the
        # event log and the record of who has looked this many years from each row; at least 1 each.
        RECORD_RETENTION_YEARS=int(environ.get("RECORD_RETENTION_YEARS", "6")),
        LOG_RETENTION_YEARS=int(environ.get("LOG_RETENTION_YEARS", "6")),
        RETENTION_NOTICE_DAYS=int(environ.get("RETENTION_NOTICE_DAYS", "30")),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="caseaudit_session",
        WTF_CSRF_TIME_LIMIT=None,
        # The form token is checked after the session limits (blueprints/web.py), not before them.
        WTF_CSRF_CHECK_DEFAULT=False,
    )
    development = (test_config or {}).get("APP_ENV", app.config["APP_ENV"]) == "development"
    # Secure cookies unless in development or the council serves plain HTTP on its intranet.
    app.config["SESSION_COOKIE_SECURE"] = environ.get("SESSION_COOKIE_SECURE", "0" if development else "1") == "1"
    if test_config:
        app.config.from_mapping(test_config)
    Rules.of(app.config)  # a deadline written wrongly stops the app starting, saying how to write it
    check_sign_in(app.config)
    Policy.of(app.config)  # as Rules: kept for less than a year, the app will not start, saying why
    # No session cookie is taken once it is older than a session may last (see also SessionInterface).
    app.config["PERMANENT_SESSION_LIFETIME"] = datetime.timedelta(hours=app.config["SESSION_MAX_HOURS"])
    if not app.config["SECRET_KEY"]:
        if not development:
            raise RuntimeError("Set SECRET_KEY: the app will not start in production without one.")
        app.config["SECRET_KEY"] = development_secret_key(app.instance_path)


def check_sign_in(config):
    """Stop the app starting with sign-in settings that would let nobody in, or anybody."""
    if config["OIDC_METADATA_URL"] and not (config["OIDC_CLIENT_ID"] and config["OIDC_CLIENT_SECRET"]):
        raise RuntimeError("Set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: the service's client at the sign-in service.")
    if config["TRUSTED_HEADER"] and not config["TRUSTED_PROXIES"]:
        raise RuntimeError("Set TRUSTED_PROXIES: the addresses of the proxy that sets TRUSTED_HEADER.")
    if not (config["PASSWORD_SIGN_IN"] or config["OIDC_METADATA_URL"] or config["TRUSTED_HEADER"]):
        raise RuntimeError("With PASSWORD_SIGN_IN=0, set OIDC_METADATA_URL or TRUSTED_HEADER: nobody could sign in.")


def development_secret_key(instance_path):
    """A key made once and kept in the instance folder, so `make run` keeps sessions across restarts."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as key_file:
            key_file.write(secrets.token_hex(32))
    with open(path) as key_file:
        return key_file.read().strip()

"""Signing in with the council's own account through OpenID Connect, the protocol of Microsoft Entra ID and Google
Workspace: the authorisation code flow with PKCE, its state and nonce checked and the ID token's signature, issuer,
audience and expiry verified by Authlib."""

import requests
from authlib.integrations.flask_client import OAuth, OAuthError
from flask import Blueprint, abort, current_app, redirect, request, session, url_for
from joserfc.errors import JoseError

from blueprints.access import begin_session, public, refused_sign_in, safe_next
from services import sso

bp = Blueprint("sso", __name__)

# How long the service waits for the council's sign-in service to answer, in seconds.
PROVIDER_TIMEOUT = 10


def init_app(app):
    """Register the council's sign-in service, if OIDC_METADATA_URL names one."""
    config = app.config
    if config["OIDC_METADATA_URL"]:
        app.extensions["sso"] = OAuth(app).register(
            "council",
            server_metadata_url=config["OIDC_METADATA_URL"],
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )


def council_service():
    """The council's sign-in service, or Not found where none is set up."""
    client = current_app.extensions.get("sso")
    if client is None:
        abort(404)
    return client


@bp.get("/sign-in/council-account")
@public
def start():
    """Go to the council's sign-in service, to come back here signed in."""
    client = council_service()
    session["sso_next"] = safe_next(request.args.get("next"))
    try:
        return client.authorize_redirect(url_for(".finish", _external=True), timeout=PROVIDER_TIMEOUT)
    except requests.RequestException as error:
        return refused(sso.UNREACHABLE, error)


@bp.get("/sign-in/council-account/return")
@public
def finish():
    """Back from the council's sign-in service: signed in, or a page saying why not."""
    client = council_service()
    try:
        token = client.authorize_access_token(timeout=PROVIDER_TIMEOUT)
    except requests.RequestException as error:
        return refused(sso.UNREACHABLE, error)
    except (OAuthError, JoseError) as error:
        return refused(sso.NOT_CONFIRMED, error)
    claims = token.get("userinfo")
    if not claims:
        return refused(sso.NOT_CONFIRMED, "no ID token")
    try:
        email = claims.get(current_app.config["OIDC_EMAIL_CLAIM"])
        user = sso.identify(claims["iss"], claims["sub"], email, claims.get("email_verified"))
    except sso.Refused as refusal:
        return refused_sign_in(refusal)
    next_url = session.get("sso_next")
    begin_session(user)
    return redirect(safe_next(next_url), 303)


def refused(message, error):
    """Refuse a sign-in whose answer from the council's sign-in service did not check, logging what failed."""
    return refused_sign_in(sso.refusal(f"council sign-in did not check ({error})", message))

"""Signing in and out, and changing one's own password."""

from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from blueprints.access import ANY_ROLE, public, roles_required
from blueprints.web import show_problems, start_session
from forms.auth import ChangePasswordForm, SignInForm
from services import accounts
from services.errors import RuleBroken

bp = Blueprint("auth", __name__)


def safe_next(target):
    """Only a path on this site: never send someone on to another host after signing in."""
    parsed = urlparse(target or "")
    if not target or parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.home")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    """Sign in with an email address and password."""
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_in(form.email.data, form.password.data)
        except RuleBroken as error:
            show_problems(form, error)
        else:
            session.clear()
            login_user(user)
            start_session()
            return redirect(safe_next(request.args.get("next")), 303)
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@roles_required(*ANY_ROLE)
def sign_out():
    """Sign out, ending every session of this account."""
    accounts.sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out", "information")
    return redirect(url_for("auth.sign_in"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@roles_required(*ANY_ROLE)
def change_password():
    """Change your own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(current_user, form.current_password.data, form.new_password.data)
        except RuleBroken as error:
            show_problems(form, error)
        else:
            logout_user()
            session.clear()
            flash("Your password has been changed. Sign in with your new password.")
            return redirect(url_for("auth.sign_in"), 303)
    return render_template("auth/change_password.html", form=form)

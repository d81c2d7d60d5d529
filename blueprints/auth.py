"""Signing in and out, and changing one's own password."""

from urllib.parse import urlparse

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from blueprints.access import public, signed_in
from blueprints.web import saved, start_session
from forms.auth import ChangePasswordForm, SignInForm
from services import accounts

bp = Blueprint("auth", __name__)


def safe_next(target):
    """Only a path on this site: never send someone on to another host after signing in."""
    if not target:
        return url_for("pages.home")
    parsed = urlparse(target)
    unsafe = parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//")
    if unsafe or "\\" in target or any(ord(character) < 32 for character in target):
        return url_for("pages.home")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    """Sign in with an email address and password."""
    form = SignInForm()
    if form.validate_on_submit() and (
        user := saved(form, lambda: accounts.sign_in(form.email.data, form.password.data))
    ):
        session.clear()
        login_user(user)
        start_session()
        return redirect(safe_next(request.args.get("next")), 303)
    return render_template("auth/sign_in.html", form=form)


@bp.post("/sign-out")
@signed_in
def sign_out():
    """Sign out, ending every session of this account."""
    accounts.sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out", "information")
    return redirect(url_for("auth.sign_in"), 303)


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change your own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit() and saved(
        form, lambda: accounts.change_own_password(current_user, form.current_password.data, form.new_password.data)
    ):
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.")
        return redirect(url_for("auth.sign_in"), 303)
    return render_template("auth/change_password.html", form=form)

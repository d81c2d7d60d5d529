"""Signing in and out, your account, and changing one's own password."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from blueprints.access import begin_session, public, safe_next, signed_in
from blueprints.web import saved
from forms.auth import ChangePasswordForm, SignInForm
from services import access_log, accounts

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    """Sign in with an email address and password, or with the council's own account."""
    if current_user.is_authenticated:  # the council's proxy has signed them in already (Windows sign-in)
        return redirect(safe_next(request.args.get("next")), 303)
    form = SignInForm() if current_app.config["PASSWORD_SIGN_IN"] else None
    if (
        form
        and form.validate_on_submit()
        and (user := saved(form, lambda: accounts.sign_in(form.email.data, form.password.data)))
    ):
        begin_session(user)
        return redirect(safe_next(request.args.get("next")), 303)
    return render_template("auth/sign_in.html", form=form, council_account="sso" in current_app.extensions)


@bp.post("/sign-out")
@signed_in
def sign_out():
    """Sign out, ending every session of this account."""
    accounts.sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out", "information")
    return redirect(url_for("auth.sign_in"), 303)


@bp.get("/account")
@signed_in
def account():
    """Your account: who the service knows you as, how you sign in, and the children's records you looked at last."""
    return render_template(
        "auth/account.html",
        passwords=current_app.config["PASSWORD_SIGN_IN"],
        views=access_log.of_user(current_user),
        describe=access_log.description,
    )


@bp.route("/account/password", methods=["GET", "POST"])
@signed_in
def change_password():
    """Change your own password."""
    if not current_app.config["PASSWORD_SIGN_IN"]:
        abort(404)
    form = ChangePasswordForm()
    if form.validate_on_submit() and saved(
        form, lambda: accounts.change_own_password(current_user, form.current_password.data, form.new_password.data)
    ):
        logout_user()
        session.clear()
        flash("Your password has been changed. Sign in with your new password.")
        return redirect(url_for("auth.sign_in"), 303)
    return render_template("auth/change_password.html", form=form)

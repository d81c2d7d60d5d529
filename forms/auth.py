"""Signing in and changing one's own password."""

from flask_wtf import FlaskForm
from wtforms.validators import EqualTo, InputRequired, Length

from forms.fields import PasswordField, SubmitButton, TextField
from services.accounts import MIN_PASSWORD_LENGTH

MAX_PASSWORD_LENGTH = 200


def new_password_validators(label):
    return [
        Length(
            min=MIN_PASSWORD_LENGTH,
            max=MAX_PASSWORD_LENGTH,
            message=f"{label} must be between {MIN_PASSWORD_LENGTH} and {MAX_PASSWORD_LENGTH} characters",
        )
    ]


class SignInForm(FlaskForm):
    email = TextField("Email address", "Enter your email address", max_length=254)
    password = PasswordField(
        "Password",
        validators=[
            InputRequired("Enter your password"),
            Length(max=MAX_PASSWORD_LENGTH, message="Enter a correct email address and password"),
        ],
    )
    submit = SubmitButton("Sign in")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[InputRequired("Enter your current password"), Length(max=MAX_PASSWORD_LENGTH)]
    )
    new_password = PasswordField(
        "New password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few words you will remember make a strong password.",
        validators=[InputRequired("Enter a new password"), *new_password_validators("New password")],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[
            InputRequired("Enter the new password again"),
            EqualTo("new_password", message="The passwords do not match. Enter the same new password twice"),
        ],
    )
    submit = SubmitButton("Change password")

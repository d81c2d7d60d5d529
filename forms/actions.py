"""Confirming that an action should be removed."""

from flask_wtf import FlaskForm

from forms.fields import SubmitButton


class RemoveActionForm(FlaskForm):
    submit = SubmitButton("Yes, remove this action")

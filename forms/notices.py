"""Notices: the one form, marking them all read."""

from flask_wtf import FlaskForm

from forms.fields import SubmitButton


class ReadAllForm(FlaskForm):
    submit = SubmitButton("Mark all as read")

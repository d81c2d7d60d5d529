"""The home page and the pages about the service itself."""

import datetime

from flask import Blueprint, render_template
from flask_login import current_user

from blueprints.access import public, signed_in
from services import immediate_responses

bp = Blueprint("pages", __name__)


@bp.get("/")
@signed_in
def home():
    """What waits for the signed-in person, and what they can do, by role."""
    waiting = immediate_responses.waiting_for(current_user, datetime.date.today())
    return render_template("pages/home.html", waiting=waiting)


@bp.get("/accessibility")
@public
def accessibility():
    """The accessibility statement."""
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
@public
def privacy():
    """The privacy notice."""
    return render_template("pages/privacy.html")

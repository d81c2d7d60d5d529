"""The home page and the pages about the service itself."""

from flask import Blueprint, render_template

from blueprints.access import public, signed_in

bp = Blueprint("pages", __name__)


@bp.get("/")
@signed_in
def home():
    """What the signed-in person can do, by role."""
    return render_template("pages/home.html")


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

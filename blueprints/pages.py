"""The home page and the pages about the service itself."""

from flask import Blueprint, render_template
from flask_login import current_user

from blueprints.access import public, signed_in
from services import (
    action_reviews,
    allocation,
    audit_lists,
    immediate_responses,
    moderations,
    reliability,
    team_action_lists,
    team_audits,
)
from services.dates import uk_today

bp = Blueprint("pages", __name__)


@bp.get("/")
@signed_in
def home():
    """What waits for the signed-in person, and what they can do, by role."""
    today = uk_today()
    waiting = immediate_responses.waiting_for(current_user, today)
    audits = audit_lists.waiting_for(current_user, today) if current_user.has_role("auditor") else None
    exercises = reliability.for_participant(current_user)
    to_moderate = moderations.to_do(current_user) if current_user.has_role("moderator") else 0
    deferments = allocation.counted_deferments_asked().count() if current_user.has_role("qa-officer") else 0
    actions = team_action_lists.waiting_for(current_user, today)
    reviews = action_reviews.counted(current_user, today=today).count() if current_user.has_role("qa-officer") else 0
    to_reflect = team_audits.to_reflect_on(current_user) if current_user.has_role("practitioner") else 0
    return render_template(
        "pages/home.html",
        waiting=waiting,
        audits=audits,
        exercises=exercises,
        to_moderate=to_moderate,
        deferments=deferments,
        actions=actions,
        reviews=reviews,
        to_reflect=to_reflect,
        today=today,
    )


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

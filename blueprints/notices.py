"""Notices: each person's own list of the notices sent to them, one notice, and marking them all read."""

from flask import Blueprint, current_app, flash, redirect, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from blueprints.access import get_or_404, signed_in
from blueprints.web import page_position, render, unread_notices
from forms.notices import ReadAllForm
from models import ImmediateResponse, utcnow
from services import immediate_responses, notices
from services.pagination import paginate

bp = Blueprint("notices", __name__)


@bp.get("/notices")
@signed_in
def index():
    """The signed-in person's notices, newest first, the unread ones marked."""
    page = paginate(notices.for_recipient(current_user), page_position(), count=notices.counted(current_user))
    return render("notices/index.html", page=page, form=ReadAllForm(), unread=unread_notices(), title="Notices")


@bp.get("/notices/<int:notice_id>")
@signed_in
def show(notice_id):
    """One of the signed-in person's notices, marked read as it is opened."""
    notice = get_or_404(notices.own(current_user), notice_id)
    notices.mark_read(notice, utcnow())
    return render("notices/show.html", notice=notice, link_text=notices.link_text(notice.link), since=since(notice))


def since(notice):
    """What has become since of the Immediate Response a notice is about, if the signed-in person may see it."""
    try:
        endpoint, args = current_app.url_map.bind("").match(notice.link)
    except HTTPException:  # a link to no page
        return None
    if endpoint != "immediate_responses.show":
        return None
    response = immediate_responses.detailed().where(ImmediateResponse.id == args["response_id"]).first()
    if response is None or not immediate_responses.can_see(current_user, response):
        return None
    return immediate_responses.since(response, notice.created_at)


@bp.post("/notices/read-all")
@signed_in
def read_all():
    """Mark every one of the signed-in person's notices read."""
    if ReadAllForm().validate_on_submit():
        marked = notices.mark_all_read(current_user._get_current_object(), utcnow())  # the User: the event names it
        flash(f"Marked {notices.count(marked)} as read" if marked else "There were no unread notices")
    return redirect(url_for("notices.index"), 303)

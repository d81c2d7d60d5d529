"""Notices: each person's own list of the notices sent to them, one notice, and marking them all read."""

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from blueprints.access import get_or_404, signed_in
from blueprints.web import page_position, render, unread_notices
from forms.notices import ReadAllForm
from models import utcnow
from services import notices
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
    return render("notices/show.html", notice=notice, link_text=notices.link_text(notice.link))


@bp.post("/notices/read-all")
@signed_in
def read_all():
    """Mark every one of the signed-in person's notices read."""
    if ReadAllForm().validate_on_submit():
        marked = notices.mark_all_read(current_user._get_current_object(), utcnow())  # the User: the event names it
        flash(f"Marked {notices.count(marked)} as read" if marked else "There were no unread notices")
    return redirect(url_for("notices.index"), 303)

"""The four-month review of audits' actions (services/action_reviews.py): the list of audits due for review, each
action's state, recording the review, the workbook by team, and sending each team manager their team's part."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, looking_at_list, restored, roles_required
from blueprints.web import download, page_position, render, saved
from forms.team_actions import ActionReviewFilterForm, ReviewForm, SendReviewsForm
from services import action_reviews, team_action_lists
from services.dates import uk_today
from services.pagination import paginate
from services.spreadsheets import XLSX

bp = Blueprint("action_reviews", __name__)

READERS = ("qa-officer", "team-manager", "service-manager")


def filtered():
    form = ActionReviewFilterForm(
        request.args,
        teams=team_action_lists.team_choices(current_user),
        every_team=current_user.has_role("qa-officer"),
    )
    return form, form.filters() | {"today": uk_today()}


@bp.get("/action-reviews")
@roles_required(*READERS)
def index():
    """The audits whose actions are due for their four-month review (or reviewed), each action's state, by team."""
    form, filters = filtered()
    count = action_reviews.counted(current_user, **filters)
    page = paginate(action_reviews.listing(current_user, **filters), page_position(), count=count)
    action_reviews.with_actions(page.items)
    return render(
        "action_reviews/index.html",
        "action_reviews/_table.html",
        page=page,
        form=form,
        send_form=SendReviewsForm(),
        today=filters["today"],
        title="Four-month review of actions",
    )


@bp.get("/action-reviews.xlsx")
@roles_required(*READERS)
def workbook():
    """The list as it is filtered, as an Excel workbook: one row for each action, a sheet for each team."""
    _, filters = filtered()
    looking_at_list("ActionReview")
    content = action_reviews.workbook(current_user, **filters)
    return download(content, f"four-month-review-{filters['today']:%Y-%m-%d}.xlsx", XLSX)


@bp.post("/action-reviews/send")
@roles_required("qa-officer")
def send():
    """Send each team manager their team's part of the reviews due, through the outbox."""
    form = SendReviewsForm()
    if form.validate_on_submit():
        sent = action_reviews.send_to_team_managers(current_user, uk_today())
        flash(f"Sent to {sent} team manager{'s' * (sent != 1)}" if sent else "No team manager had reviews due")
    return redirect(url_for("action_reviews.index"), 303)


def load_review(review_id):
    review = get_or_404(action_reviews.detailed(), review_id)
    if not action_reviews.may_see(current_user, review):
        abort(403, "Only the QA team, and the team's manager and service manager, can see this review.")
    return review


@bp.route("/action-reviews/<int:review_id>", methods=["GET", "POST"])
@roles_required(*READERS)
@keeps_drafts(lambda user, args, form: action_reviews.keep_draft(user, args["review_id"], form))
def show(review_id):
    """An audit's actions four months on: whether each was fulfilled, completed and authorised; a QA officer records
    the review with a comment."""
    review = load_review(review_id)
    records = current_user.has_role("qa-officer")
    if request.method == "POST" and not records:
        abort(403, "Only a QA officer records the review.")
    form = ReviewForm(record=review, **restored(None, action_reviews.draft_field(review.id))) if records else None
    if (
        form
        and form.validate_on_submit()
        and saved(form, lambda: action_reviews.record(current_user, review, form.version.data, form.comment.data))
    ):
        flash(f"Review of the audit of case {review.audit.case.reference} recorded")
        return redirect(url_for("action_reviews.index"), 303)
    if review.is_reviewed and request.method == "GET":
        form = None  # made once
    return render(
        "action_reviews/show.html",
        **({"form": form} if form else {}),
        review=review,
        actions=action_reviews.actions_of(review),
        today=uk_today(),
        title=f"Four-month review of the actions of case {review.audit.case.reference}",
    )

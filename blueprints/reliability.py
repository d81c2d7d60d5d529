"""Reliability exercises (seed 002 s.9): a QA officer sets one up on a case, everyone taking part audits it on the
audit page, and the results set their grades side by side, with what the discussion afterwards agreed."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, restored, roles_required
from blueprints.web import labelled, page_position, show_problems
from forms.reliability import AgreedForm, SetUpForm
from models import AuditTemplate, Case, ReliabilityExercise
from services import records, reliability
from services.dates import uk_today
from services.errors import RuleBroken
from services.pagination import paginate
from services.records import Stale
from services.working_days import audit_due_on

bp = Blueprint("reliability", __name__)


@bp.get("/reliability-exercises")
@roles_required("qa-officer")
def index():
    """Every reliability exercise, newest first, with how many of those taking part have submitted."""
    page = paginate(
        reliability.newest_first(), page_position(), related=(reliability.taking_part(),), count=reliability.counted()
    )
    return render_template("reliability/index.html", page=page)


@bp.route("/cases/<int:case_id>/reliability-exercises/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new(case_id):
    """Choose who takes part in an exercise on this case, and when it is due."""
    case = get_or_404(Case, case_id)
    today = uk_today()
    form = SetUpForm(people=reliability.eligible(), today=today, due_on=audit_due_on(today))
    if form.validate_on_submit():
        try:
            exercise = reliability.set_up(
                current_user, case, AuditTemplate.current(), form.participants.data, form.due_on.data, today
            )
        except RuleBroken as error:
            show_problems(form, error)
        else:
            flash(f"Reliability exercise set up: everyone taking part has been told to audit case {case.reference}")
            return redirect(url_for("reliability.show", exercise_id=exercise.id), 303)
    return render_template("reliability/new.html", form=form, case=case)


def keep_agreed_draft(user, args, form):
    reliability.keep_agreed_draft(user, args["exercise_id"], form)


def load_exercise(exercise_id):
    """The exercise and the signed-in person's audit in it (None if they do not take part), if they may open it."""
    exercise = get_or_404(reliability.detailed(), exercise_id)
    own = reliability.own_audit(exercise, current_user)
    if own is None and not current_user.has_role("qa-officer"):
        abort(403, "Only QA officers and the people taking part can see a reliability exercise.")
    return exercise, own


@bp.route("/reliability-exercises/<int:exercise_id>", methods=["GET", "POST"])
@roles_required(*reliability.PARTICIPANT_ROLES)
@keeps_drafts(keep_agreed_draft)
def show(exercise_id):
    """The exercise's results, once the signed-in person may see them, and what the discussion agreed."""
    exercise, own = load_exercise(exercise_id)
    if not reliability.may_see_answers(current_user, exercise.id):
        if request.method == "POST":
            abort(403, "You can see the others' answers, and record what was agreed, once you submit your own audit.")
        return render_template("reliability/waiting.html", exercise=exercise, own=own)
    can_record = reliability.may_record_agreed(current_user, exercise)
    if request.method == "POST" and not can_record:
        abort(403, "Only a QA officer can record what the discussion agreed.")
    kept = restored(None, reliability.agreed_draft_field(exercise.id))
    form = AgreedForm(record=exercise, **kept)
    conflict = []
    if form.validate_on_submit() and (conflict := save_agreed(form, exercise)) is None:
        flash("What the discussion agreed has been saved")
        return redirect(url_for("reliability.show", exercise_id=exercise.id), 303)
    context = {"results": reliability.results(exercise), "own": own, "can_record": can_record, "restored": bool(kept)}
    return render_template("reliability/show.html", exercise=exercise, form=form, conflict=conflict, **context)


def save_agreed(form, exercise):
    """Save what the discussion agreed: None once saved; else where it differs from what someone else saved
    meanwhile ((label, saved, typed)), shown beside the form with the refusal."""
    try:
        reliability.record_agreed(current_user, exercise, form.version.data, form.agreed.data)
    except Stale as error:
        show_problems(form, error)
        saved_now = ReliabilityExercise.get_by_id(exercise.id).agreed
        return labelled(form, records.differences({"agreed": saved_now}, {"agreed": form.agreed.data}))
    return None

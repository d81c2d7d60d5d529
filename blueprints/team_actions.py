"""Actions reach the team: the team actions list, each action's page with its timeline, and each step of its progress
(services/team_actions.py)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, keeps_drafts, restored, roles_required
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import page_position, render, saved
from forms.team_actions import TeamActionFilterForm, step_form
from services import action_progress, team_action_lists, team_actions
from services.dates import uk_today
from services.pagination import paginate
from services.team_actions import STEPS

bp = Blueprint("team_actions", __name__)

WORKING_ROLES = ("team-manager", "service-manager", "qa-officer")


@bp.get("/team-actions")
@roles_required(*WORKING_ROLES)
def index():
    """The actions of the signed-in person's teams (every team's, for a QA officer), what needs attention first, by
    team and state."""
    form = filter_form()
    today = uk_today()
    filters = form.filters() | {"today": today}
    count = team_action_lists.counted(current_user, **filters)
    page = paginate(team_action_lists.listing(current_user, **filters), page_position(), count=count)
    return render(
        "team_actions/index.html", "team_actions/_table.html", page=page, form=form, today=today, title="Team actions"
    )


@bp.get(f"/team-actions.<any{SPREADSHEETS}:spreadsheet>")
@roles_required(*WORKING_ROLES)
def export(spreadsheet):
    """Every action the list's filters find, of those the signed-in person may see, as a CSV file or an Excel
    workbook."""
    found = team_action_lists.listing(current_user, **filter_form().filters(), today=uk_today()).iterator()
    rows = (team_action_lists.export_row(action) for action in found)
    return list_download(spreadsheet, "team-actions", "Action", team_action_lists.EXPORT_HEADER, rows)


def filter_form():
    """The list's filters from the query string: the teams the signed-in person may choose from."""
    teams, every_team = team_action_lists.team_choices(current_user), current_user.has_role("qa-officer")
    return TeamActionFilterForm(request.args, teams=teams, every_team=every_team)


def load_action(action_id):
    action = get_or_404(team_actions.detailed(), action_id)
    if not team_actions.may_see(current_user, action):
        abort(403, "Only the QA team, the team's manager and service manager, and the auditor can see this action.")
    return action


def action_context(action):
    """What the action's page and each step's page show of it."""
    return {
        "action": action,
        "timeline": action_progress.timeline(action),
        "today": uk_today(),
        "rules": team_actions.Rules.of(current_app.config),
    }


@bp.get("/team-actions/<int:team_action_id>")
@roles_required(*WORKING_ROLES, "auditor")
def show(team_action_id):
    """One action: what must happen, where it has got to, its timeline, and the steps the signed-in person may take."""
    action = load_action(team_action_id)
    steps = [(step, step_url(action.id, kind)) for kind, step in team_actions.steps_for(current_user, action).items()]
    return render("team_actions/show.html", steps=steps, **action_context(action))


# Each role's steps have a route of their own, so that its decorator names who takes them.
STEP_ROUTES = {
    "team-manager": ("team_actions.record_step", "step"),
    "service-manager": ("team_actions.decide", "decision"),
    "qa-officer": ("team_actions.resolve", "resolution"),
}


def step_url(action_id, kind):
    endpoint, name = STEP_ROUTES[STEPS[kind].by]
    return url_for(endpoint, team_action_id=action_id, **{name: kind})


def step_page(action_id, kind):
    """Take step `kind` of the action, if the signed-in person may: its form under the action and its timeline."""
    action, step = load_action(action_id), STEPS[kind]
    if not team_actions.may_take(current_user, action, step):
        abort(403, team_actions.not_theirs(step))
    title = f"{step.button}: the action on case {action.audit.case.reference}"
    reason = team_actions.not_now(step, action)
    if reason and request.method == "GET":
        return render("team_actions/not_now.html", reason=reason, title=title, **action_context(action))
    form = step_form(kind)(step=step, action=action, **restored(None, team_actions.draft_field(action.id, kind)))
    rules, today = team_actions.Rules.of(current_app.config), uk_today()
    if form.validate_on_submit() and saved(
        form, lambda: team_actions.take(current_user, action, kind, form.version.data, form.values(), rules, today)
    ):
        flash(f"{step.label}: saved")
        return redirect(url_for("team_actions.show", team_action_id=action.id), 303)
    if request.method == "POST":
        action = load_action(action_id)  # as it is now, with any step taken meanwhile beside what was typed
    return render_template("team_actions/step.html", form=form, step=step, title=title, **action_context(action))


def steps_of(role):
    """The URL part choosing one of the steps `role` takes."""
    return f"any({', '.join(f'{kind!r}' for kind, step in STEPS.items() if step.by == role)})"


keeps_step_drafts = keeps_drafts(
    lambda user, args, form: team_actions.keep_draft(
        user, args["team_action_id"], args.get("step") or args.get("decision") or args.get("resolution"), form
    )
)


@bp.route(f"/team-actions/<int:team_action_id>/<{steps_of('team-manager')}:step>", methods=["GET", "POST"])
@roles_required("team-manager")
@keeps_step_drafts
def record_step(team_action_id, step):
    """The team manager records the action discussed, done, signed off, not achievable, or disputed."""
    return step_page(team_action_id, step)


@bp.route(f"/team-actions/<int:team_action_id>/<{steps_of('service-manager')}:decision>", methods=["GET", "POST"])
@roles_required("service-manager")
@keeps_step_drafts
def decide(team_action_id, decision):
    """The service manager authorises the action signed off, or authorises a Management Decision or sends it back."""
    return step_page(team_action_id, decision)


@bp.route(f"/team-actions/<int:team_action_id>/<{steps_of('qa-officer')}:resolution>", methods=["GET", "POST"])
@roles_required("qa-officer")
@keeps_step_drafts
def resolve(team_action_id, resolution):
    """A QA officer resolves a dispute: the action stands, or it is withdrawn."""
    return step_page(team_action_id, resolution)

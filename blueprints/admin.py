"""QA officers' reference data: service areas, teams, flags, users, the event log, and the notices sent."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from blueprints.access import get_or_404, roles_required
from blueprints.list_downloads import SPREADSHEETS, list_download
from blueprints.web import form_page, page_position, render_list, search_text
from forms.admin import FlagForm, LearningThemeForm, ServiceAreaForm, TeamForm, TemplateChoiceForm, UserForm
from forms.events import EventFilterForm
from forms.lists import NoticeFilterForm
from models import AuditTemplate, Flag, LearningTheme, ServiceArea, Team, User, UserRole
from services import accounts, event_log, notice_lists, records
from services import audit_templates as audit_templates_service
from services import teams as teams_service
from services.pagination import paginate

bp = Blueprint("admin", __name__, url_prefix="/admin")

USER_FIELDS = ("name", "email", "job_role", "team", "active")


def edit_page(form, record, noun, list_endpoint, save):
    """Every add and edit page here, returning to the list once saved."""
    return form_page(
        form,
        save,
        done=lambda saved_record: url_for(list_endpoint),
        saved_message=f"{noun.capitalize()} {'added' if record is None else 'saved'}",
        record=record,
        title=f"Add a {noun}" if record is None else f"Change {noun}",
        caption=record.name if record else None,
        back_url=url_for(list_endpoint),
    )


def named(model, text):
    """All records of `model` (which has a `name`) whose name contains `text`."""
    query = model.ordered()
    return query.where(model.name.contains(text)) if text else query


AREA_FIELDS = ("name", "head_of_service")
TEAM_FIELDS = ("name", "service_area", "manager", "service_manager")
THEME_FIELDS = ("name", "description")


@bp.get("/service-areas")
@roles_required("qa-officer")
def service_areas():
    """Service areas, searchable, a page at a time."""
    return render_list(
        "admin/_service_areas.html",
        title="Service areas",
        add_url=url_for("admin.new_service_area"),
        add_text="Add a service area",
        search_label="Search service areas by name",
        page=paginate(named(ServiceArea, search_text()), page_position()),
    )


@bp.route("/service-areas/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new_service_area():
    """Add a service area."""
    form = ServiceAreaForm()
    return edit_page(
        form,
        None,
        "service area",
        "admin.service_areas",
        lambda: records.create(current_user, ServiceArea, **form.values(*AREA_FIELDS)),
    )


@bp.route("/service-areas/<int:area_id>/edit", methods=["GET", "POST"])
@roles_required("qa-officer")
def edit_service_area(area_id):
    """Change a service area's name or its Head of Service."""
    area = get_or_404(ServiceArea, area_id)
    form = ServiceAreaForm(record=area)
    return edit_page(
        form,
        area,
        "service area",
        "admin.service_areas",
        lambda: records.update(current_user, area, form.version.data, **form.values(*AREA_FIELDS)),
    )


@bp.get("/teams")
@roles_required("qa-officer")
def teams():
    """Teams with their service area and manager, searchable, a page at a time."""
    return render_list(
        "admin/_teams.html",
        title="Teams",
        add_url=url_for("admin.new_team"),
        add_text="Add a team",
        search_label="Search teams by team or service area",
        page=paginate(Team.search(search_text()), page_position()),
    )


@bp.route("/teams/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new_team():
    """Add a team."""
    form = TeamForm()
    return edit_page(
        form,
        None,
        "team",
        "admin.teams",
        lambda: records.create(current_user, Team, **form.values(*TEAM_FIELDS)),
    )


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@roles_required("qa-officer")
def edit_team(team_id):
    """Change a team."""
    team = get_or_404(Team, team_id)
    form = TeamForm(record=team)
    return edit_page(
        form,
        team,
        "team",
        "admin.teams",
        lambda: teams_service.change(current_user, team, form.version.data, form.values(*TEAM_FIELDS)),
    )


@bp.get("/flags")
@roles_required("qa-officer")
def flags():
    """The flags cases can carry, searchable, a page at a time."""
    return render_list(
        "admin/_flags.html",
        title="Flags",
        add_url=url_for("admin.new_flag"),
        add_text="Add a flag",
        search_label="Search flags by name",
        page=paginate(named(Flag, search_text()), page_position()),
    )


@bp.route("/flags/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new_flag():
    """Add a flag."""
    form = FlagForm()
    return edit_page(
        form, None, "flag", "admin.flags", lambda: records.create(current_user, Flag, **form.values("name"))
    )


@bp.route("/flags/<int:flag_id>/edit", methods=["GET", "POST"])
@roles_required("qa-officer")
def edit_flag(flag_id):
    """Change a flag's name."""
    flag = get_or_404(Flag, flag_id)
    form = FlagForm(record=flag)
    return edit_page(
        form,
        flag,
        "flag",
        "admin.flags",
        lambda: records.update(current_user, flag, form.version.data, **form.values("name")),
    )


@bp.get("/learning-themes")
@roles_required("qa-officer")
def learning_themes():
    """The themes of practice audits' findings are tagged with, and months take as their learning focus."""
    return render_list(
        "admin/_learning_themes.html",
        title="Learning themes",
        add_url=url_for("admin.new_learning_theme"),
        add_text="Add a theme",
        search_label="Search themes by name",
        page=paginate(named(LearningTheme, search_text()), page_position()),
    )


@bp.route("/learning-themes/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new_learning_theme():
    """Add a learning theme."""
    form = LearningThemeForm()
    return edit_page(
        form,
        None,
        "learning theme",
        "admin.learning_themes",
        lambda: records.create(current_user, LearningTheme, **form.values(*THEME_FIELDS)),
    )


@bp.route("/learning-themes/<int:theme_id>/edit", methods=["GET", "POST"])
@roles_required("qa-officer")
def edit_learning_theme(theme_id):
    """Change a learning theme."""
    theme = get_or_404(LearningTheme, theme_id)
    form = LearningThemeForm(record=theme)
    return edit_page(
        form,
        theme,
        "learning theme",
        "admin.learning_themes",
        lambda: records.update(current_user, theme, form.version.data, **form.values(*THEME_FIELDS)),
    )


@bp.get("/users")
@roles_required("qa-officer")
def users():
    """Everyone with an account, searchable, a page at a time."""
    return render_list(
        "admin/_users.html",
        title="Users",
        add_url=url_for("admin.new_user"),
        add_text="Add a user",
        search_label="Search users by name or email address",
        page=paginate(User.search(search_text()), page_position(), related=[UserRole.select()]),
    )


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("qa-officer")
def new_user():
    """Add a user."""
    form = UserForm()
    return edit_page(
        form,
        None,
        "user",
        "admin.users",
        lambda: accounts.create_user(current_user, form.roles.data, form.new_password(), **form.values(*USER_FIELDS)),
    )


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required("qa-officer")
def edit_user(user_id):
    """Change a user's details, roles or password, or stop them signing in."""
    user = get_or_404(User, user_id)
    form = UserForm(record=user)
    return edit_page(
        form,
        user,
        "user",
        "admin.users",
        lambda: accounts.update_user(
            current_user,
            user,
            form.version.data,
            form.roles.data,
            form.new_password(),
            **form.values(*USER_FIELDS),
            **form.council_account(),
        ),
    )


@bp.get("/event-log")
@roles_required("qa-officer")
def events():
    """Who did what to which record, newest first; filtered by record or user."""
    form = EventFilterForm(request.args)
    filters = form.filters()
    page = paginate(event_log.search(**filters), page_position(), count=event_log.total(**filters))
    return render_template("admin/events.html", page=page, form=form, title="Event log")


@bp.get(f"/event-log.<any{SPREADSHEETS}:spreadsheet>")
@roles_required("qa-officer")
def export_events(spreadsheet):
    """Every event the log's filters find, as a CSV file or an Excel workbook."""
    events = event_log.search(**EventFilterForm(request.args).filters()).iterator()
    rows = (event_log.export_row(event) for event in events)
    return list_download(spreadsheet, "event-log", "Event", event_log.EXPORT_HEADER, rows)


@bp.get("/notices-sent")
@roles_required("qa-officer")
def notices_sent():
    """Every notice the service has sent, newest first: whether its recipient read it, and whether it was emailed or
    why not; by email status, days written and recipient."""
    form = NoticeFilterForm(request.args)
    filters = form.filters()
    return render_list(
        "admin/_notices_sent.html",
        title="Notices sent",
        description="Every notice sent to someone in the service, and whether it was emailed. A notice names no child "
        "beyond the case reference.",
        form=form,
        page=paginate(notice_lists.listing(**filters), page_position(), count=notice_lists.counted(**filters)),
        download=("admin.export_notices_sent", "notices"),
    )


@bp.get(f"/notices-sent.<any{SPREADSHEETS}:spreadsheet>")
@roles_required("qa-officer")
def export_notices_sent(spreadsheet):
    """Every notice sent that the list's filters find, as a CSV file or an Excel workbook."""
    found = notice_lists.listing(**NoticeFilterForm(request.args).filters()).iterator()
    rows = (notice_lists.export_row(notice) for notice in found)
    return list_download(spreadsheet, "notices-sent", "Notice", notice_lists.EXPORT_HEADER, rows)


@bp.route("/audit-templates", methods=["GET", "POST"])
@roles_required("qa-officer")
def audit_templates():
    """The audit templates and their domains; choose the one new audits use."""
    form = TemplateChoiceForm(template=AuditTemplate.current().id)
    return form_page(
        form,
        lambda: audit_templates_service.choose(current_user, form.template.data),
        done=lambda template: url_for("admin.audit_templates"),
        saved_message="New audits will use the chosen template",
        template="admin/audit_templates.html",
        templates=[(t, t.ordered_domains) for t in AuditTemplate.ordered()],
        title="Audit templates",
    )

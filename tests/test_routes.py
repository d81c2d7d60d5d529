"""Rules over every route, derived from app.url_map, so a new route is checked without editing a list."""

import datetime
import re

import pytest
from markupsafe import escape
from peewee import fn

from blueprints import long_forms
from models import (
    ROLES,
    AccessRecord,
    Action,
    ActionReview,
    AllocationChange,
    Audit,
    Case,
    CaseImport,
    Event,
    Flag,
    ImmediateResponse,
    LearningTheme,
    Moderation,
    Notice,
    PlannedAudit,
    ReliabilityExercise,
    ServiceAction,
    ServiceArea,
    Team,
    User,
)
from services import access_log
from tests.conftest import sign_in_client

PUBLIC = {"auth.sign_in", "sso.start", "sso.finish", "pages.accessibility", "pages.privacy"}

# The URL parameters that name a child's record, and what of: a page with one is a view of that child's records.
CHILD_RECORDS = {
    "case_id": Case,
    "audit_id": Audit,
    "team_audit_id": Audit,
    "response_id": ImmediateResponse,
    "moderation_id": Moderation,
    "exercise_id": ReliabilityExercise,
    "team_action_id": Action,
    "review_id": ActionReview,
    "change_id": AllocationChange,
    "planned_id": PlannedAudit,
}
# The lists a person can download whole, many children's records in one file: each is recorded once, without a case.
LIST_DOWNLOADS = {
    "audits.export",
    "cases.export",
    "immediate_responses.export",
    "moderations.export",
    "feedback.export_family",
    "team_actions.export",
    "action_reviews.workbook",
    "admin.export_events",
    "admin.export_notices_sent",
    "reports.action_plan_file",
}


@pytest.fixture
def ids(make_ids):
    return make_ids()


def routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def url_for_rule(rule, ids):
    missing = [name for name in rule.arguments if name not in ids]
    assert not missing, f"{rule.endpoint}: the route walk has no test record for {missing}; add one to the ids fixture"
    return rule.build({name: ids[name] for name in rule.arguments})[1]


def test_every_view_declares_who_may_use_it(app):
    for rule in routes(app):
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "public", False) or getattr(view, "allowed_roles", None)
        assert declared, f"{rule.endpoint} has neither @public nor @roles_required"
        assert getattr(view, "public", False) == (rule.endpoint in PUBLIC), f"{rule.endpoint}: public list differs"


def test_every_path_is_kebab_case_with_typed_parameters(app):
    for rule in routes(app):
        static_parts = re.sub(r"<[^>]+>", "", rule.rule)
        assert static_parts == static_parts.lower() and "_" not in static_parts, f"{rule.rule} is not kebab-case"
        for converter in re.findall(r"<([^>]+)>", rule.rule):
            assert ":" in converter, f"{rule.rule}: parameter {converter} has no type"


def test_every_view_has_a_docstring(app):
    for rule in routes(app):
        assert app.view_functions[rule.endpoint].__doc__, f"{rule.endpoint} has no docstring"


def public_status(endpoint, signed_in):
    """What a page open to anyone answers: signing in with a council account is Not found where none is set up
    (test_sso.py), and someone signed in already is sent on from the sign-in page."""
    if endpoint.startswith("sso."):
        return 404
    return 303 if signed_in and endpoint == "auth.sign_in" else 200


def test_anonymous_users_are_sent_to_sign_in_from_every_private_route(app, client, ids):
    for rule in routes(app):
        url = url_for_rule(rule, ids)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method)
            if rule.endpoint in PUBLIC:
                assert response.status_code == public_status(rule.endpoint, signed_in=False), f"{method} {url}"
            else:
                assert response.status_code == 302, f"{method} {url} gave {response.status_code}"
                assert response.headers["Location"].startswith("/sign-in"), f"{method} {url}"


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_gets_exactly_the_pages_it_may_see(app, client, login_as, make_ids, role):
    # Records that belong to someone (an audit) belong to the user walking the routes.
    ids = make_ids(auditor=login_as(role))
    for rule in routes(app):
        if "GET" not in rule.methods:
            continue
        view = app.view_functions[rule.endpoint]
        url = url_for_rule(rule, ids)
        response = client.get(url)
        if rule.endpoint in PUBLIC:
            expected = public_status(rule.endpoint, signed_in=True)
        else:
            expected = 200 if role in view.allowed_roles else 403
        assert response.status_code == expected, f"{role} GET {url}: {response.status_code}"


def test_a_practitioner_opens_nothing_of_anyone_else_s(app, client, login_as, make_ids, make_audit, make_case):
    """With real ids of records that are not theirs (another practitioner's case's submitted audit and its actions, an
    audit not yet submitted, a moderation, the Word documents), a practitioner is refused every page but their own
    lists; and of their own case, an audit not yet submitted, or a reliability exercise's, is refused too."""
    ids = make_ids()
    other = Case.get_by_id(Action.get_by_id(ids["team_action_id"]).audit.case_id)
    assert other.worker_id is not None, "the audit's case is another practitioner's"
    me = login_as("practitioner")
    # Their own lists and account: the Immediate Responses they are named on, say (none here).
    own = {"/", "/notices", "/team-audits", "/immediate-responses", "/accessibility", "/privacy", "/sign-in"}
    own.add("/immediate-responses.csv")  # the list of those they are named on, as a file
    own.update({"/account", "/account/password"})
    opened = []
    for rule in routes(app):
        if "GET" in rule.methods:
            url = url_for_rule(rule, ids)
            status = client.get(url).status_code
            if status not in (403, 404) and url not in own:
                opened.append(f"{url}: {status}")
    assert not opened, "\n".join(opened)
    mine = make_case(worker=me)
    submitted = make_audit(case=mine, status="submitted", submitted_at=datetime.datetime.now())
    assert client.get(f"/team-audits/{submitted.id}").status_code == 200
    assert client.get(f"/team-audits/{make_audit(case=mine).id}").status_code == 403, "not yet submitted"


def record_names(ids):
    """What a page about the record each URL parameter names must say in its title: the case's reference for
    anything about a case (its audits, their actions, feedback and moderation, an Immediate Response, an
    exercise), else the record's own name."""
    reference = Case.get_by_id(ids["case_id"]).reference
    names = dict.fromkeys(
        [
            "case_id",
            "audit_id",
            "action_id",
            "earlier_action_id",
            "further_action_id",
            "iro_feedback_id",
            "family_feedback_id",
            "response_id",
            "moderation_id",
            "exercise_id",
            "planned_id",
            "change_id",
        ],
        reference,
    )
    team_action = Action.get_by_id(ids["team_action_id"])
    return names | {
        "team_action_id": team_action.audit.case.reference,
        "team_audit_id": team_action.audit.case.reference,
        "review_id": team_action.audit.case.reference,
        "user_id": User.get_by_id(ids["user_id"]).name,
        "team_id": Team.get_by_id(ids["team_id"]).name,
        "area_id": ServiceArea.get_by_id(ids["area_id"]).name,
        "flag_id": Flag.get_by_id(ids["flag_id"]).name,
        "theme_id": LearningTheme.get_by_id(ids["theme_id"]).name,
        "report_id": "January to June 2026",
        "service_action_id": ServiceAction.get_by_id(ids["service_action_id"]).title,
        "notice_id": Notice.get_by_id(ids["notice_id"]).subject,
        "import_id": CaseImport.get_by_id(ids["import_id"]).file_name,
    }


def test_every_page_about_a_record_names_it_in_its_title(app, client, login_as, make_ids):
    ids = make_ids(auditor=login_as(*ROLES))
    names = record_names(ids)
    unnamed = []
    for rule in routes(app):
        about = [names[argument] for argument in rule.arguments if argument in names]
        if "GET" not in rule.methods or not about:
            continue
        url = url_for_rule(rule, ids)
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue  # a download, or a page that sends people elsewhere
        title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.S).group(1)
        unnamed += [f"{url}: {title.strip()!r} does not name {name!r}" for name in about if name not in title]
    assert not unnamed, "\n".join(unnamed)


def first_child_record(rule):
    """The first parameter of the route's path that names a child's record, if any."""
    named = [name for name in re.findall(r"<(?:[^:>]+:)?(\w+)>", rule.rule) if name in CHILD_RECORDS]
    return named[0] if named else None


def test_every_page_and_download_of_a_child_s_record_is_recorded_once(app, client, login_as, make_ids):
    """Walking every GET route with real ids, as someone who may open them all: each page or file of a child's
    record writes one record of who looked, naming its case; each list downloaded whole writes one without a case;
    nothing else writes one, not even the list of who has looked at a case, which shows the case's reference alone."""
    user = login_as(*ROLES)
    ids = make_ids(auditor=user)
    for rule in routes(app):
        if "GET" not in rule.methods or rule.endpoint in PUBLIC:
            continue
        before = AccessRecord.select(fn.MAX(AccessRecord.id)).scalar() or 0
        url = url_for_rule(rule, ids)
        response = client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        written = [
            (access.user_id, access.case_id, access.path)
            for access in AccessRecord.select().where(AccessRecord.id > before)
        ]
        if (name := first_child_record(rule)) and rule.endpoint != "cases.who_has_looked":
            case_id = access_log.case_of(CHILD_RECORDS[name].get_by_id(ids[name]))
            assert written == [(user.id, case_id, url)], f"GET {url} wrote {written}"
        elif rule.endpoint in LIST_DOWNLOADS:
            assert written == [(user.id, None, url)], f"GET {url} wrote {written}"
        else:
            assert written == [], f"GET {url} is not a child's record, but wrote {written}"


def test_a_refusal_or_a_change_is_not_recorded(client, login_as, make_ids, make_audit):
    user = login_as("auditor")
    ids = make_ids(auditor=user)
    others = make_audit()
    assert client.get(f"/audits/{others.id}").status_code == 403
    assert client.get("/audits/2000000000").status_code == 404
    assert client.post(f"/audits/{ids['audit_id']}/actions/new", data={}).status_code in (200, 400)
    assert AccessRecord.select().count() == 0
    assert client.get(f"/audits/{ids['audit_id']}/actions/new").status_code == 200
    assert AccessRecord.select().count() == 1


def test_asking_as_htmx_does_not_keep_a_look_out_of_the_record(client, login_as, make_ids):
    """An htmx header on a request is the asker's to set: a page or file sent whole is written as one, and a part of
    a page as a part."""
    user = login_as("auditor")
    audit_id = make_ids(auditor=user)["audit_id"]
    as_htmx = {"HX-Request": "true"}
    for path in (f"/audits/{audit_id}", f"/audits/{audit_id}/record.docx", f"/audits/{audit_id}/actions/new"):
        assert client.get(path, headers=as_htmx).status_code == 200
    kinds = [access.kind for access in AccessRecord.select().order_by(AccessRecord.id)]
    assert kinds == ["page", "Word document", "part of a page"]


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_every_post_route_refuses_a_request_without_a_csrf_token(app, client, login_as, ids):
    login_as(*ROLES)
    events_before = Event.select().count()
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods:
            url = url_for_rule(rule, ids)
            response = client.post(url, data={"name": "Changed"})
            assert response.status_code == 400, f"POST {url} without a token gave {response.status_code}"
            # Or, on a long form the person may write, the form again with what was posted, saved nowhere.
            refused = ("Sorry, there is a problem with that request", escape(long_forms.SIGNED_IN_AGAIN))
            assert any(text in response.get_data(as_text=True) for text in refused), f"POST {url}"
    assert Event.select().count() == events_before


BIG = "9" * 20
NUMBERS = ["version", "discussion_minutes", "birth_year", "record_id", "auditor", "team", "manager", "service_area"]
DATES = ["due_on", "opened_on", "period_start", "period_end", "discussion_on"]


def test_no_page_fails_on_numbers_too_large_to_store_in_its_address(app, client, login_as, make_ids):
    """A 20-digit number in every query parameter that parses one is refused or ignored, never a 500."""
    user = login_as(*ROLES)
    ids = make_ids(auditor=user)
    for rule in routes(app):
        if "GET" in rule.methods:
            url = url_for_rule(rule, ids)
            response = client.get(url, query_string={"page": BIG, "record_id": BIG, "team": BIG, "auditor": BIG})
            expected = public_status(rule.endpoint, signed_in=True) if rule.endpoint in PUBLIC else 200
            assert response.status_code == expected, f"GET {url}: {response.status_code}"


@pytest.mark.parametrize("part", [0, 1, 2], ids=["day", "month", "year"])
def test_no_form_fails_on_numbers_too_large_to_store(app, client, login_as, make_ids, part):
    """A 20-digit number in every field that parses one, and in each part of every date, is refused
    with a message (in testing an unhandled error would raise here), never a 500."""
    user = login_as(*ROLES)
    ids = make_ids(auditor=user)
    date = ["1", "2", "2026"]
    date[part] = BIG
    posted = {name: BIG for name in NUMBERS} | {name: date for name in DATES}
    for rule in routes(app):
        if "POST" in rule.methods:
            url = url_for_rule(rule, ids)
            sign_in_client(client, User.get_by_id(user.id))  # signing out, or a new password, ended the last one
            response = client.post(url, data=posted)
            assert response.status_code in (200, 303, 400, 403), f"POST {url}: {response.status_code}"


@pytest.mark.parametrize(
    "url, message",
    [
        ("/cases/{case_id}/edit", "This page is out of date"),
        ("/audits/{audit_id}", "This page is out of date"),
        ("/audits/{audit_id}/actions/{action_id}/edit", "This page is out of date"),
        ("/admin/users/{user_id}/edit", "This page is out of date"),
        ("/admin/teams/{team_id}/edit", "This page is out of date"),
        ("/admin/flags/{flag_id}/edit", "This page is out of date"),
        ("/admin/service-areas/{area_id}/edit", "This page is out of date"),
    ],
)
def test_an_oversized_version_is_refused_with_a_message(client, login_as, make_ids, url, message):
    user = login_as(*ROLES)
    response = client.post(url.format(**make_ids(auditor=user)), data={"version": BIG})
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url, field, message",
    [
        ("/cases/{case_id}/allocate-audit", "due_on", "Due date must be a real date"),
        ("/cases/{case_id}/edit", "opened_on", "Date the case was opened must be a real date"),
        ("/audits/{audit_id}", "period_start", "Start of the period audited must be a real date"),
        ("/audits/{audit_id}", "discussion_on", "Date of the discussion must be a real date"),
        ("/audits/{audit_id}/actions/new", "due_on", "must be a real date"),
    ],
)
def test_an_oversized_day_month_or_year_is_a_message_beside_the_date(client, login_as, make_ids, url, field, message):
    user = login_as(*ROLES)
    url = url.format(**make_ids(auditor=user))
    for parts in ([BIG, "1", "2026"], ["1", BIG, "2026"], ["1", "1", BIG]):
        response = client.post(url, data={field: parts})
        assert message in response.get_data(as_text=True), parts


@pytest.mark.parametrize(
    "url, data, message",
    [
        ("/audits/{audit_id}", {"discussion_minutes": BIG}, "Enter a length between 1 and 600 minutes"),
        ("/cases/{case_id}/edit", {"birth_year": BIG}, "Year of birth must be a year in numbers"),
        ("/cases/{case_id}/allocate-audit", {"auditor": BIG}, "Select the auditor from the list"),
    ],
)
def test_other_oversized_numbers_are_a_message_beside_the_field(client, login_as, make_ids, url, data, message):
    user = login_as(*ROLES)
    response = client.post(url.format(**make_ids(auditor=user)), data=data)
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("digits", [11, 5000])
def test_an_oversized_record_number_filter_is_a_message(client, login_as, digits):
    login_as("qa-officer")
    response = client.get("/admin/event-log", query_string={"record_id": "9" * digits})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Record number must be " in body

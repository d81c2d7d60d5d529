"""Signing in with a council account, end to end against a real OpenID Connect provider on loopback, and with Windows
sign-in through a trusted proxy."""

import html
import time

import pytest

from app import create_app
from models import Event, User, db
from services import sso
from tests.conftest import PASSWORD, make_app, time_out
from tests.sso_provider import CLIENT_ID, Provider


@pytest.fixture(scope="module")
def provider():
    provider = Provider()
    yield provider
    provider.stop()


@pytest.fixture
def app(blank_database, tmp_path, provider, request):
    """The app signing in with the loopback provider; `@pytest.mark.app_config` adds settings."""
    marker = request.node.get_closest_marker("app_config")
    provider.reset()
    app = make_app(blank_database, tmp_path, **provider.settings(**(marker.kwargs if marker else {})))
    yield app
    db.close_all()


def sign_in_with_council_account(client, provider, subject, next_url=None):
    """Press "Sign in with your council account", agree at the provider as `subject`, and come back."""
    started = client.get("/sign-in/council-account", query_string={"next": next_url} if next_url else None)
    assert started.status_code == 302 and started.headers["Location"].startswith(provider.url)
    assert "code_challenge_method=S256" in started.headers["Location"], "PKCE"
    return client.get(provider.authorise(started.headers["Location"], subject))


def refusals():
    return [
        event.action for event in Event.select().where(Event.action.startswith("sign-in refused")).order_by(Event.id)
    ]


def signed_in_as(client):
    home = client.get("/")
    return home.status_code == 200 and home.get_data(as_text=True)


def test_a_person_the_qa_team_added_signs_in_and_is_linked_to_their_council_account(
    client, provider, make_user, get_page
):
    user = make_user(name="Sam Sso", email="sam.sso@example.gov.uk")
    provider.set_user("sam-at-provider", email="Sam.SSO@Example.gov.uk")  # matched whatever its case
    page = get_page("/sign-in")
    assert "Sign in with your council account" in page.get_data(as_text=True)
    response = sign_in_with_council_account(client, provider, "sam-at-provider", next_url="/my-audits")
    assert response.status_code == 303 and response.headers["Location"] == "/my-audits"
    assert "Signed in as Sam Sso" in signed_in_as(client)
    linked = User.get_by_id(user.id)
    assert (linked.sso_issuer, linked.sso_subject) == (provider.url, "sam-at-provider")
    actions = [event.action for event in Event.select().where(Event.record_id == user.id).order_by(Event.id)]
    assert actions[-2:] == ["linked to a council account", "signed in (council account)"]
    assert "Council account</dt>" in get_page("/account").get_data(as_text=True)


def refused_page(response, message):
    text = html.unescape(response.get_data(as_text=True))
    return response.status_code == 403 and "You have not been signed in" in text and message.split(".")[0] in text


def test_someone_the_qa_team_has_not_added_is_refused_with_a_plain_page(client, provider):
    response = sign_in_with_council_account(client, provider, "stranger@example.gov.uk")
    assert refused_page(response, sso.NOT_ADDED)
    assert refusals() == ["sign-in refused: not a user of the service"]
    assert client.get("/").status_code == 302


def test_an_email_the_provider_has_not_verified_is_not_matched_to_an_account(client, provider, make_user):
    user = make_user(email="unverified@example.gov.uk")
    provider.set_user("someone-new", email="unverified@example.gov.uk", email_verified=False)
    response = sign_in_with_council_account(client, provider, "someone-new")
    assert refused_page(response, sso.NOT_VERIFIED)
    assert refusals() == ["sign-in refused: email not verified by the council's sign-in service"]
    assert User.get_by_id(user.id).sso_subject is None and client.get("/").status_code == 302
    provider.set_user("someone-new", email="unverified@example.gov.uk", email_verified=True)
    assert sign_in_with_council_account(client, provider, "someone-new").status_code == 303, "once verified"


def test_a_closed_account_is_refused(client, provider, make_user):
    user = make_user(email="closed@example.gov.uk", active=False)
    response = sign_in_with_council_account(client, provider, "closed@example.gov.uk")
    assert refused_page(response, sso.NOT_ACTIVE)
    assert Event.get(Event.action == "sign-in refused: account closed").record_id == user.id
    assert User.get_by_id(user.id).sso_subject is None, "a closed account is not linked"


@pytest.mark.parametrize(
    "misbehaviour, failure",
    [
        # For a token issued to another service, Authlib finds first that it names that service as the one it was
        # issued to (the authorised party).
        ({"claims": lambda claims: claims | {"aud": "another-service", "azp": "another-service"}}, "'azp'"),
        ({"claims": lambda claims: claims | {"iss": "https://impostor.example.com"}}, "iss"),
        ({"claims": lambda claims: claims | {"exp": int(time.time()) - 3600}}, "expired"),
        ({"forge": True}, "signature"),
    ],
    ids=["wrong audience", "wrong issuer", "expired", "bad signature"],
)
def test_an_id_token_that_does_not_check_is_refused(client, provider, make_user, misbehaviour, failure):
    user = make_user(email="checked@example.gov.uk")
    for name, value in misbehaviour.items():
        setattr(provider, name, value)
    response = sign_in_with_council_account(client, provider, "checked@example.gov.uk")
    assert refused_page(response, sso.NOT_CONFIRMED)
    [refusal] = refusals()
    assert refusal.startswith("sign-in refused: council sign-in did not check") and failure in refusal
    assert client.get("/").status_code == 302
    assert User.get_by_id(user.id).sso_subject is None


def test_the_provider_s_answer_cannot_be_used_twice(client, provider, make_user):
    make_user(email="twice@example.gov.uk")
    started = client.get("/sign-in/council-account")
    back = provider.authorise(started.headers["Location"], "twice@example.gov.uk")
    assert client.get(back).status_code == 303
    client.post("/sign-out")
    replayed = client.get(back)  # the same state and code again, as someone who copied the address would
    assert refused_page(replayed, sso.NOT_CONFIRMED)
    assert "mismatching_state" in refusals()[-1]
    assert client.get("/").status_code == 302


def test_an_answer_for_another_browser_s_sign_in_is_refused(client, app, provider, make_user):
    make_user(email="victim@example.gov.uk")
    started = app.test_client().get("/sign-in/council-account")  # someone else's browser starts signing in
    back = provider.authorise(started.headers["Location"], "victim@example.gov.uk")
    client.get("/sign-in/council-account")  # this browser has a state of its own, not that one
    assert refused_page(client.get(back), sso.NOT_CONFIRMED)
    assert client.get("/").status_code == 302


def test_an_id_token_replayed_from_an_earlier_sign_in_is_refused(client, provider, make_user):
    make_user(email="nonce@example.gov.uk")
    assert sign_in_with_council_account(client, provider, "nonce@example.gov.uk").status_code == 303
    client.post("/sign-out")
    provider.replay = provider.issued[-1]  # valid, signed and in time, but for the last sign-in's nonce
    response = sign_in_with_council_account(client, provider, "nonce@example.gov.uk")
    assert refused_page(response, sso.NOT_CONFIRMED)
    assert "nonce" in refusals()[-1]


def test_a_changed_email_at_the_provider_cannot_take_over_another_account(client, provider, make_user):
    first = make_user(name="First Person", email="first@example.gov.uk")
    make_user(name="Second Person", email="second@example.gov.uk")
    provider.set_user("person-1", email="first@example.gov.uk")
    assert sign_in_with_council_account(client, provider, "person-1").status_code == 303
    client.post("/sign-out")
    # The provider now gives person-1 the second person's email: they are still the first person.
    provider.set_user("person-1", email="second@example.gov.uk")
    assert sign_in_with_council_account(client, provider, "person-1").status_code == 303
    assert "Signed in as First Person" in signed_in_as(client)
    client.post("/sign-out")
    # And another identity with the first person's email cannot have their account.
    provider.set_user("person-9", email="first@example.gov.uk")
    response = sign_in_with_council_account(client, provider, "person-9")
    assert refused_page(response, sso.LINKED_ELSEWHERE)
    assert Event.get(Event.action == "sign-in refused: linked to another council account").record_id == first.id


def test_a_qa_officer_unlinks_a_replaced_council_account(client, provider, make_user, login_as):
    person = make_user(email="replaced@example.gov.uk")
    assert sign_in_with_council_account(client, provider, "replaced@example.gov.uk").status_code == 303
    client.post("/sign-out")
    login_as("qa-officer")
    person = User.get_by_id(person.id)
    form = client.get(f"/admin/users/{person.id}/edit").get_data(as_text=True)
    assert "Unlink their council account" in form
    data = {
        "version": person.version,
        "name": person.name,
        "email": person.email,
        "job_role": person.job_role,
        "roles": person.roles,
        "active": "y",
        "unlink_council_account": "y",
    }
    assert client.post(f"/admin/users/{person.id}/edit", data=data).status_code == 303
    assert User.get_by_id(person.id).sso_subject is None
    client.post("/sign-out")
    provider.set_user("new-identity", email="replaced@example.gov.uk")
    assert sign_in_with_council_account(client, provider, "new-identity").status_code == 303
    assert User.get_by_id(person.id).sso_subject == "new-identity"


def test_a_council_account_s_session_ends_as_a_password_s_does(client, provider, make_user):
    make_user(email="idle@example.gov.uk")
    assert sign_in_with_council_account(client, provider, "idle@example.gov.uk").status_code == 303
    time_out(client)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_a_sign_in_service_that_does_not_answer_gets_a_plain_page(blank_database, tmp_path, make_user):
    app = make_app(
        blank_database,
        tmp_path,
        OIDC_METADATA_URL="http://127.0.0.1:9/.well-known/openid-configuration",  # nothing listens there
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET="secret",
    )
    response = app.test_client().get("/sign-in/council-account")
    assert refused_page(response, sso.UNREACHABLE)
    with db.connection_context():
        assert "did not check" in refusals()[-1]
    db.close_all()


@pytest.mark.app_config(PASSWORD_SIGN_IN=False)
def test_with_passwords_off_only_the_council_account_signs_in(client, provider, make_user, login_as, get_page):
    user = make_user(email="nopassword@example.gov.uk")
    page = get_page("/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" in page and 'type="password"' not in page
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert client.get("/").status_code == 302, "a password signs nobody in"
    assert sign_in_with_council_account(client, provider, "nopassword@example.gov.uk").status_code == 303
    assert client.get("/account/password").status_code == 404
    assert "Change your password" not in get_page("/account").get_data(as_text=True)
    client.post("/sign-out")
    login_as("qa-officer")
    assert 'type="password"' not in get_page("/admin/users/new").get_data(as_text=True)


@pytest.mark.app_config(PASSWORD_SIGN_IN=False)
def test_with_passwords_off_the_first_qa_officer_is_created_without_one(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "first.qa@example.gov.uk", "--name", "First QA", "--role", "qa-officer"]
    )
    assert result.exit_code == 0, result.output
    with db.connection_context():
        assert User.by_email("first.qa@example.gov.uk").password_hash is None


@pytest.mark.parametrize(
    "settings, problem",
    [
        ({"PASSWORD_SIGN_IN": False}, "nobody could sign in"),
        ({"OIDC_METADATA_URL": "https://login.example.com/.well-known/openid-configuration"}, "OIDC_CLIENT_ID"),
        ({"TRUSTED_HEADER": "X-Remote-User"}, "TRUSTED_PROXIES"),
    ],
)
def test_the_app_will_not_start_with_sign_in_settings_that_let_nobody_in_or_anybody(settings, problem):
    with pytest.raises(RuntimeError, match=problem):
        create_app({"APP_ENV": "test", "SECRET_KEY": "key", "DATABASE_URL": "sqlite:///:memory:", **settings})


# Windows sign-in through the council's proxy

PROXY = "10.0.0.7"


@pytest.mark.app_config(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES=[PROXY])
def test_the_council_s_proxy_signs_in_the_person_it_names(client, make_user):
    make_user(name="Wendy Windows", email="wendy@example.gov.uk")
    response = client.get("/", headers={"X-Remote-User": "Wendy@Example.gov.uk"}, environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 200 and "Signed in as Wendy Windows" in response.get_data(as_text=True)
    assert Event.select().where(Event.action == "signed in (Windows sign-in)").count() == 1
    again = client.get(
        "/my-audits", headers={"X-Remote-User": "wendy@example.gov.uk"}, environ_base={"REMOTE_ADDR": PROXY}
    )
    assert again.status_code == 200
    assert Event.select().where(Event.action == "signed in (Windows sign-in)").count() == 1, "once a session"


@pytest.mark.app_config(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES=[PROXY])
def test_the_trusted_header_is_refused_from_any_other_address(client, make_user):
    make_user(email="target@example.gov.uk")
    for address in ("127.0.0.1", "10.0.0.8"):
        response = client.get(
            "/", headers={"X-Remote-User": "target@example.gov.uk"}, environ_base={"REMOTE_ADDR": address}
        )
        assert refused_page(response, sso.NOT_TRUSTED)
    assert refusals() == ["sign-in refused: X-Remote-User sent from an address that is not a trusted proxy"] * 2
    assert client.get("/").status_code == 302


@pytest.mark.app_config(TRUSTED_HEADER="X-Remote-User", TRUSTED_PROXIES=[PROXY])
def test_the_proxy_cannot_sign_in_someone_the_qa_team_has_not_added(client):
    response = client.get("/", headers={"X-Remote-User": "nobody@example.gov.uk"}, environ_base={"REMOTE_ADDR": PROXY})
    assert refused_page(response, sso.NOT_ADDED)


def test_without_the_setting_the_header_is_ignored(client, make_user):
    make_user(email="ignored@example.gov.uk")
    response = client.get("/", headers={"X-Remote-User": "ignored@example.gov.uk"}, environ_base={"REMOTE_ADDR": PROXY})
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert refusals() == []

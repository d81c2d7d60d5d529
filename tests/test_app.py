"""Settings, security headers and the page layout."""

import pytest

from app import create_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})


def test_development_keeps_a_generated_key_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "development")
    first = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    second = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) == 64
    assert not first.config["SESSION_COOKIE_SECURE"]


def test_production_cookies_are_secure_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SECRET_KEY": "k"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]


def test_every_response_carries_the_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.app_config(COUNCIL_NAME="Westshire Council")
def test_the_council_name_is_in_the_header_with_no_crown(client):
    body = client.get("/sign-in").get_data(as_text=True)
    assert "Westshire Council" in body
    assert "govuk-header__logotype" not in body and "Crown copyright" not in body
    assert 'href="/accessibility"' in body and 'href="/privacy"' in body


def test_pages_load_no_inline_script_or_style(client, login_as):
    import html5lib

    login_as("qa-officer")
    for url in ["/sign-in", "/", "/admin/users/new", "/cases"]:
        document = html5lib.parse(client.get(url).get_data(as_text=True), namespaceHTMLElements=False)
        for script in document.iter("script"):
            assert script.get("src") and not (script.text or "").strip(), f"{url}: inline script"
        assert not any(e.get("style") or e.tag == "style" for e in document.iter()), f"{url}: inline style"
        assert not any(name.startswith("on") for e in document.iter() for name in e.attrib), f"{url}: event handler"


def test_an_unexpected_error_shows_a_page_in_the_service_style(app, client, login_as):
    @app.get("/boom")
    def boom():
        """A view that fails, for this test only."""
        raise RuntimeError("boom")

    boom.allowed_roles = ("qa-officer",)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login_as("qa-officer")
    response = client.get("/boom")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.data

"""Who may use the editor, through real requests: tokens, passwords, CSRF, origins, cookies."""

from __future__ import annotations

from pathlib import Path

import pytest

from bodymap import create_app, settings
from bodymap.editor import auth

from .conftest import copy_content
from .test_editor import CLINIC, SAME, TOKEN, Editor, editor_app

LOCAL = "http://127.0.0.1"


@pytest.fixture
def clinic_file(tmp_path) -> Path:
    path = tmp_path / "regions.yaml"
    copy_content(path, CLINIC)
    return path


@pytest.fixture(autouse=True)
def fresh_attempts(monkeypatch):
    """Each test counts wrong tries from zero."""
    from bodymap.editor import views

    monkeypatch.setattr(views, "attempts", auth.Attempts())


def test_without_the_token_the_editor_refuses(clinic_file):
    client = editor_app(clinic_file).test_client()
    response = client.get("/edit/", base_url=LOCAL)
    assert response.status_code == 403
    assert "Open the editor with the address" in response.text
    assert client.get("/edit/clinic", base_url=LOCAL).status_code == 403


def test_a_wrong_token_is_refused_and_tries_are_limited(clinic_file):
    client = editor_app(clinic_file).test_client()
    for _ in range(auth.MAX_FAILURES):
        response = client.get("/edit/?token=wrong", base_url=LOCAL)
        assert response.status_code == 403
        assert "wrong token" in response.text
        assert "Set-Cookie" not in response.headers
    response = client.get(f"/edit/?token={TOKEN}", base_url=LOCAL)
    assert response.status_code == 429  # even the right token, for a while
    assert "Too many wrong tries" in response.text


def test_the_token_gives_a_cookie_for_the_editor_only(clinic_file):
    client = editor_app(clinic_file).test_client()
    response = client.get(f"/edit/?token={TOKEN}", base_url=LOCAL)
    assert response.status_code == 303
    assert response.headers["Location"] == "/edit/"  # the token leaves the address bar
    cookie = response.headers["Set-Cookie"]
    assert "Path=/edit" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # plain http on this computer
    assert client.get("/edit/", base_url=LOCAL).status_code == 200
    patient = client.get("/", base_url=LOCAL)
    assert "Set-Cookie" not in patient.headers
    assert "Cookie" not in patient.request.headers  # the browser never sends it there


def test_the_cookie_is_secure_over_https(clinic_file):
    client = editor_app(clinic_file).test_client()
    response = client.get(f"/edit/?token={TOKEN}", base_url="https://127.0.0.1")
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_forged_or_expired_cookie_is_refused(clinic_file, monkeypatch):
    app = editor_app(clinic_file)
    client = app.test_client()
    client.set_cookie("bodymap_editor", "9999999999.abc.0000", path="/edit", domain="127.0.0.1")
    assert client.get("/edit/", base_url=LOCAL).status_code == 403
    editor = Editor(app)
    monkeypatch.setattr(auth.time, "time", lambda: 4_000_000_000.0)
    assert editor.get("/edit/").status_code == 403


def test_the_token_editor_answers_loopback_names_only(clinic_file):
    client = editor_app(clinic_file).test_client()
    response = client.get(f"/edit/?token={TOKEN}", base_url="http://evil.example")
    assert response.status_code == 403


def test_editor_pages_have_the_strict_policy_and_are_never_framed(clinic_file):
    editor = Editor(editor_app(clinic_file))
    for url in ("/edit/", "/edit/clinic", "/edit/articles/stretching-guide", "/edit/file"):
        response = editor.get(url)
        assert response.status_code == 200
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy
        assert "default-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-store"
        assert "<script" not in response.text and "style=" not in response.text


def form_post(editor, **headers):
    form = editor.form("/edit/clinic")
    form["phone"] = ["(555) 010-0111"]
    return editor.post("/edit/clinic", form, headers=headers)


def test_a_cross_site_form_post_is_refused(clinic_file):
    editor = Editor(editor_app(clinic_file))
    before = clinic_file.read_bytes()
    response = form_post(editor, Origin="https://evil.example")
    assert response.status_code == 403
    assert "not sent from the editor&#39;s own page" in response.text
    assert form_post(editor, **{"Sec-Fetch-Site": "cross-site", **SAME}).status_code == 403
    assert form_post(editor).status_code == 403  # no Origin and no Referer at all
    assert form_post(editor, Referer="https://evil.example/page").status_code == 403
    assert clinic_file.read_bytes() == before
    assert form_post(editor, Referer="http://127.0.0.1/edit/clinic").status_code == 303


def test_a_form_without_the_csrf_token_is_refused(clinic_file):
    editor = Editor(editor_app(clinic_file))
    before = clinic_file.read_bytes()
    form = editor.form("/edit/clinic")
    form["phone"] = ["(555) 010-0111"]
    for token in ([], ["0" * 64], ["forged"]):
        form["csrf"] = token
        response = editor.post("/edit/clinic", form)
        assert response.status_code == 403
        assert "out of date" in response.text
    assert clinic_file.read_bytes() == before


def test_another_sessions_csrf_token_is_refused(clinic_file):
    app = editor_app(clinic_file)
    first, second = Editor(app), Editor(app)
    form = first.form("/edit/clinic")
    form["phone"] = ["(555) 010-0111"]
    form["csrf"] = second.form("/edit/clinic")["csrf"]
    assert first.post("/edit/clinic", form).status_code == 403


# ---- the editor inside a hosted map (password)


PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return auth.hash_password(PASSWORD)


def hosted(path, password_hash):
    app = create_app(path, EDITOR_PASSWORD_HASH=password_hash, PUBLIC_URL="https://map.example")
    app.config["TESTING"] = True
    return app


def test_the_hosted_map_has_no_editor_unless_a_password_is_set(clinic_file):
    client = create_app(clinic_file).test_client()
    assert client.get("/edit/").status_code == 404
    assert client.get("/edit/login").status_code == 404


def test_the_password_setting_takes_only_a_hash(password_hash):
    assert (
        settings.read({"BODYMAP_EDITOR_PASSWORD_HASH": password_hash})["EDITOR_PASSWORD_HASH"]
        == password_hash
    )
    with pytest.raises(settings.SettingsError, match="bodymap edit --hash-password"):
        settings.read({"BODYMAP_EDITOR_PASSWORD_HASH": "hunter2"})


def test_hash_password_prints_the_setting(monkeypatch, capsys):
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt: PASSWORD)
    assert auth.prompt_for_hash() == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("BODYMAP_EDITOR_PASSWORD_HASH='scrypt:")
    value = line.split("=", 1)[1].strip("'")
    assert settings.read({"BODYMAP_EDITOR_PASSWORD_HASH": value})


def test_a_short_password_is_refused(monkeypatch, capsys):
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt: "short")
    assert auth.prompt_for_hash() == 1
    assert "too short" in capsys.readouterr().err


def test_signing_in_with_the_password(clinic_file, password_hash):
    client = hosted(clinic_file, password_hash).test_client()
    origin = {"Origin": "https://map.example"}
    response = client.get("/edit/", base_url="https://map.example")
    assert response.status_code == 303 and response.headers["Location"] == "/edit/login"
    wrong = client.post(
        "/edit/login", data={"secret": "guess"}, headers=origin, base_url="https://map.example"
    )
    assert wrong.status_code == 401
    assert "That is not right" in wrong.text
    right = client.post(
        "/edit/login", data={"secret": PASSWORD}, headers=origin, base_url="https://map.example"
    )
    assert right.status_code == 303
    cookie = right.headers["Set-Cookie"]
    assert all(part in cookie for part in ("Path=/edit", "HttpOnly", "SameSite=Strict", "Secure"))
    assert client.get("/edit/", base_url="https://map.example").status_code == 200
    assert "Set-Cookie" not in client.get("/", base_url="https://map.example").headers


def test_wrong_passwords_are_limited(clinic_file, password_hash):
    client = hosted(clinic_file, password_hash).test_client()
    origin = {"Origin": "https://map.example"}
    for _ in range(auth.MAX_FAILURES):
        client.post(
            "/edit/login", data={"secret": "guess"}, headers=origin, base_url="https://map.example"
        )
    response = client.post(
        "/edit/login", data={"secret": PASSWORD}, headers=origin, base_url="https://map.example"
    )
    assert response.status_code == 429


def test_a_cross_site_login_post_is_refused(clinic_file, password_hash):
    client = hosted(clinic_file, password_hash).test_client()
    response = client.post(
        "/edit/login",
        data={"secret": PASSWORD},
        headers={"Origin": "https://evil.example"},
        base_url="https://map.example",
    )
    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers


def test_a_session_from_another_password_is_refused(clinic_file, password_hash):
    app = hosted(clinic_file, password_hash)
    client = app.test_client()
    client.post(
        "/edit/login",
        data={"secret": PASSWORD},
        headers={"Origin": "https://map.example"},
        base_url="https://map.example",
    )
    app.config["EDITOR_PASSWORD_HASH"] = auth.hash_password("another password entirely")
    assert client.get("/edit/", base_url="https://map.example").status_code == 303


def test_the_static_export_never_has_the_editor(clinic_file, password_hash):
    app = create_app(clinic_file, EDITOR_PASSWORD_HASH=password_hash, STATIC_EXPORT=True)
    assert not any(rule.rule.startswith("/edit") for rule in app.url_map.iter_rules())

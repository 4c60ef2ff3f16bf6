import os
import pathlib
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import envbool, envint, envlist


def test_envbool_understands_common_spellings(monkeypatch):
    monkeypatch.setenv("JIM_FLAG", "Yes")
    assert envbool("JIM_FLAG") is True
    monkeypatch.setenv("JIM_FLAG", "0")
    assert envbool("JIM_FLAG") is False


@pytest.mark.parametrize(("helper", "value"), [(envbool, "misschien"), (envint, "negentig")])
def test_settings_helpers_fail_loudly_on_a_bad_value(monkeypatch, helper, value):
    monkeypatch.setenv("JIM_VALUE", value)
    with pytest.raises(ImproperlyConfigured, match="JIM_VALUE"):
        helper("JIM_VALUE", "1" if helper is envbool else 1)


def test_envlist_splits_and_trims(monkeypatch):
    monkeypatch.setenv("JIM_HOSTS", " a.example , b.example,,")
    assert envlist("JIM_HOSTS") == ["a.example", "b.example"]


def _settings_in_a_fresh_process(code=None, **env):
    """Import the settings in a new interpreter with `env`; return (exit code, output)."""
    dropped = {
        "DJANGO_ENV",
        "SITE_URL",
        "EMAIL_HOST",
        "PORT",
        "DATABASE_CONN_MAX_AGE",
        "DATABASE_CONN_HEALTH_CHECKS",
    }
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    code = code or "from django.conf import settings; print(settings.SITE_URL, settings.EMAIL_BACKEND)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        cwd=pathlib.Path(__file__).resolve().parents[2],
    )
    return result.returncode, result.stdout + result.stderr


PRODUCTION = {"DJANGO_ENV": "production", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "jim.example.org"}


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        ("EMAIL_HOST", {"SITE_URL": "https://jim.example.org"}),
        ("SITE_URL", {"EMAIL_HOST": "smtp.example.org"}),
    ],
)
def test_production_refuses_to_start_without_a_mail_server_or_its_own_address(missing, env):
    code, output = _settings_in_a_fresh_process(**PRODUCTION, **env)
    assert code != 0
    assert f"{missing} must be set when DJANGO_ENV=production" in output


def test_production_starts_with_both():
    code, output = _settings_in_a_fresh_process(
        **PRODUCTION, SITE_URL="https://jim.example.org/", EMAIL_HOST="smtp.example.org"
    )
    assert code == 0, output
    assert output.split() == ["https://jim.example.org", "django.core.mail.backends.smtp.EmailBackend"]


def test_in_development_links_in_mails_follow_the_port_the_server_runs_on():
    assert _settings_in_a_fresh_process(PORT="8123")[1].split()[0] == "http://127.0.0.1:8123"
    assert _settings_in_a_fresh_process()[1].split()[0] == "http://127.0.0.1:8000"


def test_make_run_passes_its_port_to_the_settings():
    makefile = (pathlib.Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "\nexport PORT\n" in makefile and "runserver 127.0.0.1:$(PORT)" in makefile


DB_CONNECTION = (
    "from django.conf import settings; db = settings.DATABASES['default']; "
    "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])"
)


def test_production_keeps_database_connections_and_checks_them():
    env = {**PRODUCTION, "SITE_URL": "https://jim.example.org/", "EMAIL_HOST": "smtp.example.org"}
    code, output = _settings_in_a_fresh_process(DB_CONNECTION, **env)
    assert code == 0, output
    assert output.split() == ["60", "True"]
    assert _settings_in_a_fresh_process(DB_CONNECTION, **env, DATABASE_CONN_MAX_AGE="5")[1].split() == [
        "5",
        "True",
    ]


def test_development_opens_a_connection_per_request():
    assert _settings_in_a_fresh_process(DB_CONNECTION)[1].split() == ["0", "True"]


SEND_AT_COMMIT = "from django.conf import settings; print(settings.OUTBOX_SEND_AT_COMMIT)"


def test_with_a_mail_server_no_request_sends_mail_itself():
    """Production (always SMTP), and development with an SMTP server: the worker sends, never the request."""
    production = {**PRODUCTION, "SITE_URL": "https://jim.example.org/", "EMAIL_HOST": "smtp.example.org"}
    assert _settings_in_a_fresh_process(SEND_AT_COMMIT, **production)[1].split() == ["False"]
    assert _settings_in_a_fresh_process(SEND_AT_COMMIT, EMAIL_HOST="smtp.example.org")[1].split() == ["False"]
    code, output = _settings_in_a_fresh_process(
        SEND_AT_COMMIT, EMAIL_HOST="smtp.example.org", OUTBOX_SEND_AT_COMMIT="true"
    )
    assert code != 0 and "OUTBOX_SEND_AT_COMMIT" in output


def test_make_run_prints_mail_to_the_console_at_once():
    assert _settings_in_a_fresh_process(SEND_AT_COMMIT)[1].split() == ["True"]

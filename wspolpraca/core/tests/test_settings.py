import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "wspolpraca.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def read_settings(*names, **environment):
    """The named settings as a fresh process (not under pytest) reads them."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "ADMINS"}}
    env.update(environment)
    code = (
        "import django, os, json; os.environ['DJANGO_SETTINGS_MODULE'] = 'wspolpraca.settings'; "
        "django.setup(); from django.conf import settings; "
        f"print(json.dumps([getattr(settings, n) for n in {list(names)!r}], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_is_off_unless_the_environment_turns_it_on():
    assert read_settings("DEBUG") == [False]
    assert read_settings("DEBUG", DEBUG="1") == [True]


def test_without_debug_mail_is_sent_and_cookies_are_secure():
    backend, secure = read_settings("EMAIL_BACKEND", "SESSION_COOKIE_SECURE")
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert secure is True


def test_make_run_turns_debug_on_and_sets_the_site_url_to_its_port():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text()
    assert "run: export DEBUG = 1" in makefile
    assert "run: export SITE_URL = http://127.0.0.1:$(PORT)" in makefile


def test_errors_reach_the_console_whatever_debug_says():
    django_logger = settings.LOGGING["loggers"]["django"]
    assert "console" in django_logger["handlers"]
    assert "filters" not in settings.LOGGING["handlers"]["console"]


def test_admins_get_server_errors_by_mail_only_when_set():
    (logging,) = read_settings("LOGGING")
    assert "mail_admins" not in logging["loggers"]["django"]["handlers"]
    (logging,) = read_settings("LOGGING", ADMINS="ops@example.org")
    assert "mail_admins" in logging["loggers"]["django"]["handlers"]


def test_migrate_sets_the_site_domain_from_site_url(settings, db):
    from django.contrib.sites.models import Site

    from wspolpraca.core.apps import sync_site_with_settings

    settings.SITE_URL = "https://wspolpraca.krakow.example/"
    sync_site_with_settings()
    assert Site.objects.get(pk=settings.SITE_ID).domain == "wspolpraca.krakow.example"

"""Production settings come from the environment and pass Django's deployment checklist.

Each check runs `manage.py` in a fresh interpreter, because settings are read once per process
and the test process runs with the test settings.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Only what an interpreter needs; every onestop setting is left to its production default.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV")


def production_env(**overrides: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "onestop.settings",
        "DEBUG": "false",
        "SECRET_KEY": "".join(
            secrets.choice(string.ascii_letters + string.digits + "!@#%^&*(-_=+)")
            for _ in range(60)
        ),
        "ALLOWED_HOSTS": "onestop.example.vn",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env |= overrides
    return {name: value for name, value in env.items() if value is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (fixed arguments, our own interpreter)
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in result.stdout, output
    assert "WARNING" not in output.upper(), output


def test_check_deploy_notices_an_insecure_setting():
    # The check above is only worth something if it can fail in this environment.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_env(SECURE_SSL_REDIRECT="false"),
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_without_secret_key_production_settings_refuse_to_load():
    result = manage("check", env=production_env(SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_without_allowed_hosts_production_serves_no_host():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.ALLOWED_HOSTS)",
        env=production_env(ALLOWED_HOSTS=None),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_without_database_url_production_uses_the_embedded_sqlite_file():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'])",
        env=production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", str(PROJECT_ROOT / "db.sqlite3")]


def _lookup_keys(env: dict[str, str]) -> list[str]:
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(repr([settings.LOOKUP_KEY, *settings.LOOKUP_KEY_FALLBACKS]))",
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    return eval(shown.stdout.strip().splitlines()[-1])  # noqa: S307 (our own repr of a list)


def test_the_lookup_key_is_the_secret_key_until_set_and_rotates_with_its_fallbacks():
    env = production_env(SECRET_KEY_FALLBACKS="old-secret")
    assert _lookup_keys(env) == [env["SECRET_KEY"], "old-secret"]
    assert _lookup_keys(production_env(LOOKUP_KEY="b", LOOKUP_KEY_FALLBACKS="a,z")) == [
        "b",
        "a",
        "z",
    ]

"""Production settings fail fast without their secrets, and pass Django's deployment checks."""

import os
import re
import shlex
from pathlib import Path

import pytest

from tests import subprocesses

BASE_DIR = Path(__file__).resolve().parent.parent


def production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    for line in (BASE_DIR / ".env.example").read_text("utf-8").splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = shlex.split(value)[0] if value else ""
    env.update(
        # Not the example values: production refuses those (test_production_refuses_the_example_secrets).
        SECRET_KEY="k" * 40 + "-Y7#pQ2@zL9!vW4$xR8%tN6^",
        IP_HASH_SALT="s" * 30 + "-hQ3!mX7@",
        DATABASE_URL=subprocesses.database_url(),
        DJANGO_SETTINGS_MODULE="portal.settings",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(env, *args):
    return subprocesses.manage(*args, env=env, capture_output=True, text=True)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = production_env()
    env.pop(missing)
    result = manage(env, "check")
    assert result.returncode != 0
    assert f"Missing environment variable {missing}" in result.stderr


@pytest.mark.parametrize("name", ["SECRET_KEY", "IP_HASH_SALT"])
def test_production_refuses_the_example_secrets(name):
    """The placeholder of .env.example, copied unchanged, stops the start with what to do."""
    example = (BASE_DIR / ".env.example").read_text("utf-8")
    placeholder = re.search(rf"^{name}=(.*)$", example, re.M)[1]
    result = manage(production_env(**{name: placeholder}), "check")
    assert result.returncode != 0
    assert f"{name} is the example value of .env.example" in result.stderr


def test_serve_media_default_agrees_with_env_example():
    """.env.example shows SERVE_MEDIA's default (commented out), the one settings.py uses."""
    example = (BASE_DIR / ".env.example").read_text("utf-8")
    assert re.search(r"^# SERVE_MEDIA=1$", example, re.M) and not re.search(r"^SERVE_MEDIA=", example, re.M)
    assert 'SERVE_MEDIA = env_bool("SERVE_MEDIA", True)' in (BASE_DIR / "portal" / "settings.py").read_text()


def test_check_deploy_is_clean_with_the_documented_environment():
    """`manage.py check --deploy` reports nothing with the variables of .env.example."""
    result = manage(production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_setting_from_the_environment_is_in_env_example():
    """Each variable portal/settings.py reads is shown in .env.example, set or commented out."""
    source = (BASE_DIR / "portal" / "settings.py").read_text("utf-8")
    read = set(re.findall(r'\b(?:env\w*|require)\(\s*"([A-Z][A-Z0-9_]*)"', source))
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (BASE_DIR / ".env.example").read_text("utf-8"), re.M))
    assert "LOGIN_FAILURE_LIMIT" in read and "EMAIL_BACKEND" in read
    assert read - documented == set()


# What only `make bench` / `make soak` read, in portal/settings_bench.py: never production.
BENCH_ONLY = {"BENCH_FLOOR_BYTES", "BENCH_CAPTCHA_TEST_MODE", "STATS_COUNTING_ENABLED"}
BENCH_ENV = {"BENCH_FLOOR_BYTES": "1234", "BENCH_CAPTCHA_TEST_MODE": "1", "STATS_COUNTING_ENABLED": "0"}
SHOW = (
    "from django.conf import settings; from django.urls import resolve, Resolver404\n"
    "from captcha.conf import settings as captcha\n"
    "try:\n    floor = resolve('/__bench__/floor/').url_name\nexcept Resolver404:\n    floor = None\n"
    "print(settings.CAPTCHA_TEST_MODE, captcha.CAPTCHA_TEST_MODE, settings.STATS_COUNTING_ENABLED,"
    " getattr(settings, 'BENCH_FLOOR_BYTES', None), floor)"
)


def last_line(result):
    """What the script printed (the shell may print a line of its own before)."""
    return result.stdout.strip().splitlines()[-1].split()


def test_production_reads_no_bench_variable():
    settings = (BASE_DIR / "portal" / "settings.py").read_text("utf-8")
    bench = (BASE_DIR / "portal" / "settings_bench.py").read_text("utf-8")
    for name in BENCH_ONLY:
        assert f'"{name}"' not in settings and f'"{name}"' in bench, name
    assert "BENCH_" not in settings


def test_production_settings_ignore_the_bench_variables():
    """BENCH_CAPTCHA_TEST_MODE=1 (and the other bench knobs) change nothing in production: the captcha
    never accepts "PASSED", views are counted, there is no floor page."""
    result = manage(production_env(**BENCH_ENV), "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    assert last_line(result) == ["False", "False", "True", "None", "None"]


def test_the_bench_settings_read_them():
    env = production_env(DJANGO_SETTINGS_MODULE="portal.settings_bench", **BENCH_ENV)
    result = manage(env, "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    assert last_line(result) == ["True", "True", "False", "1234", "bench-floor"]
    quiet = manage(production_env(DJANGO_SETTINGS_MODULE="portal.settings_bench"), "shell", "-c", SHOW)
    assert last_line(quiet) == ["False", "False", "True", "0", "None"]


def test_the_bench_floor_is_a_constant_page_of_the_asked_size():
    env = production_env(DJANGO_SETTINGS_MODULE="portal.settings_bench", BENCH_FLOOR_BYTES="5000")
    script = (
        "from django.test import Client\n"
        "r = Client().get('/__bench__/floor/', secure=True, HTTP_HOST='sokhcn.example.gov.vn')\n"
        "print(r.status_code, len(r.content), r['Content-Type'])"
    )
    result = manage(env, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    assert last_line(result) == ["200", "5000", "text/html;", "charset=utf-8"]

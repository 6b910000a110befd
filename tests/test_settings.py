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
        SECRET_KEY="k" * 40 + "-Y7#pQ2@zL9!vW4$xR8%tN6^",
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


def test_check_deploy_is_clean_with_the_documented_environment():
    """`manage.py check --deploy` reports nothing with the variables of .env.example."""
    result = manage(production_env(), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# Read only by `make bench` / `make soak`: documented there, never set in production.
BENCH_ONLY = {"STATS_COUNTING_ENABLED"}


def test_every_setting_from_the_environment_is_in_env_example():
    """Each variable portal/settings.py reads (bench knobs aside) is shown in .env.example, set or commented out."""
    source = (BASE_DIR / "portal" / "settings.py").read_text("utf-8")
    read = set(re.findall(r'\b(?:env\w*|require)\(\s*"([A-Z][A-Z0-9_]*)"', source))
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", (BASE_DIR / ".env.example").read_text("utf-8"), re.M))
    wanted = {name for name in read if not name.startswith("BENCH_")} - BENCH_ONLY
    assert "LOGIN_FAILURE_LIMIT" in wanted and "EMAIL_BACKEND" in wanted
    assert wanted - documented == set()

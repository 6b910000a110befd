"""The captcha's test mode, which only `make soak` switches on (BENCH_CAPTCHA_TEST_MODE, read by the bench's
settings, portal/settings_bench.py, and by nothing else)."""

import runpy
from pathlib import Path

import pytest
from captcha.conf import settings as captcha_settings

from feedback.models import Feedback

from .test_feedback_support import CREATE_URL, form_data

SETTINGS = Path(__file__).resolve().parent.parent / "portal"


def passed(data):
    return {**data, "captcha_1": "PASSED"}


@pytest.mark.django_db
def test_off_by_default(client):
    """Without the soak's switch, "PASSED" is just a wrong answer."""
    assert captcha_settings.CAPTCHA_TEST_MODE is False
    response = client.post(CREATE_URL, passed(form_data()))
    assert response.status_code == 200 and "Mã kiểm tra chưa đúng" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_soak_robots_pass_once_per_challenge(client, monkeypatch):
    """In test mode "PASSED" answers a real, unused challenge, once; a reused or made-up key still fails."""
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
    data = passed(form_data())
    assert client.post(CREATE_URL, data).status_code == 302
    again = client.post(CREATE_URL, data)
    assert again.status_code == 200 and "đã được dùng hoặc đã hết hạn" in again.content.decode()
    made_up = client.post(CREATE_URL, {**data, "captcha_0": "0" * 40})
    assert made_up.status_code == 200
    assert Feedback.objects.count() == 1


def test_only_the_bench_settings_switch_it_on(monkeypatch):
    """With BENCH_CAPTCHA_TEST_MODE=1 in the environment, production settings still say no."""
    monkeypatch.setenv("BENCH_CAPTCHA_TEST_MODE", "1")
    assert runpy.run_path(str(SETTINGS / "settings.py"))["CAPTCHA_TEST_MODE"] is False
    assert runpy.run_path(str(SETTINGS / "settings_bench.py"))["CAPTCHA_TEST_MODE"] is True

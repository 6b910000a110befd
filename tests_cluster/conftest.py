"""The cluster of scripts/cluster.py, started once for these tests (`make cluster-test`), and the table
of figures printed at the end of the run.

Not collected by `make test` (its testpaths are ["tests"]); runs without pytest-django (`-p no:django`):
the tests talk HTTP to nginx and the app servers, and SQL to the primary and the replica."""

import http.client
import re
import sys
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))

from cluster import Cluster  # noqa: E402

UA = "Mozilla/5.0 (cluster test; Linux) Chrome/120"
SUMMARY = []  # (check, result, figures)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CAPTCHA_KEY = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')
COOKIE = re.compile(r"^([\w-]+)=([^;]*)")


def note(check, result, figures=""):
    SUMMARY.append((check, result, figures))


def pytest_terminal_summary(terminalreporter):
    if not SUMMARY:
        return
    write = terminalreporter.write_line
    write("")
    write("Cluster test (nginx → 2 gunicorn masters, Redis, PostgreSQL 18 primary + streaming replica)")
    write(f"| {'check':<58} | {'result':<6} | figures")
    write(f"|{'-' * 60}|--------|{'-' * 60}")
    for check, result, figures in SUMMARY:
        write(f"| {check:<58} | {result:<6} | {figures}")


@pytest.fixture(scope="session")
def cluster():
    # Its own folder and ports (+10: nginx 8090, app servers 8091/8092, PostgreSQL 55442/55443, Redis
    # 56389), so it never meets a `make cluster` left running. The soak's captcha mode (the robots
    # answer "PASSED") is the bench settings' knob; two-factor off for the test's editor.
    instance = Cluster(
        BASE_DIR / "var" / "cluster-test",
        port_offset=10,
        settings_module="portal.settings_bench",
        extra_env={"BENCH_CAPTCHA_TEST_MODE": "1", "OTP_REQUIRED_FOR_STAFF": "0"},
    )
    with instance:
        yield instance


class Client:
    """One reader or editor: its own keep-alive connection to one port, its cookies, its address."""

    def __init__(self, port, address=None, cookies=None):
        self.port = port
        self.address = address
        self.cookies = dict(cookies or {})
        self.conn = None

    def request(self, method, path, body=None, headers=None, retry_get=True):
        headers = {"User-Agent": UA, **(headers or {})}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.close()
                # A keep-alive connection the server closed: a GET may be sent again, a POST never.
                if attempt == 2 or method != "GET" or not retry_get:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and (match := COOKIE.match(value)):
                self.cookies[match.group(1)] = match.group(2)
        return response.status, response, data.decode("utf-8", "replace")

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, form, referer):
        import urllib.parse

        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": referer}
        return self.request("POST", path, urllib.parse.urlencode(form).encode(), headers)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def send_feedback(client, title):
    """The feedback form as a reader sends it: the page (CSRF token, challenge), then the POST.
    Returns (status of the POST, Location)."""
    status, _, html = client.get("/gop-y/")
    assert status == 200, f"feedback form: {status}"
    token, key = CSRF_INPUT.search(html), CAPTCHA_KEY.search(html)
    assert token and key, "feedback form without its CSRF token or challenge"
    form = {
        "name": "Người thử cụm máy chủ",
        "email": "",
        "phone": "",
        "title": title,
        "content": f"Nội dung góp ý thử nghiệm {title}, gửi qua nginx tới một trong hai máy chủ.",
        "captcha_0": key.group(1),
        "captcha_1": "PASSED",
        "website": "",
        "csrfmiddlewaretoken": token.group(1),
    }
    status, response, _ = client.post_form("/gop-y/", form, referer=f"http://127.0.0.1:{client.port}/gop-y/")
    return status, response.getheader("Location", "")


def new_visitor():
    return {"vid": uuid.uuid4().hex}

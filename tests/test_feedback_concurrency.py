"""Simultaneous submissions against a live server: each stored exactly once, limits not raceable."""

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from captcha.models import CaptchaStore

from feedback.models import Feedback

pytestmark = pytest.mark.django_db(transaction=True)

TIMEOUT = 90


@pytest.fixture
def burst_ready(live_server):
    """Django's test server listens with a backlog of 10: a burst of 50 connections would be reset
    by the kernel before reaching Django (gunicorn listens with 2048). Listening again on the same
    socket only raises the backlog (Linux)."""
    live_server.thread.httpd.socket.listen(256)
    return live_server


class Reader:
    """One browser: its own cookies, the JSON challenge the article page's script would fetch."""

    def __init__(self, base, forwarded_for):
        self.base = base
        self.forwarded_for = forwarded_for
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def open(self, path, data=None):
        url = self.base + path  # always the live server's http://127.0.0.1:port
        request = urllib.request.Request(url, data=data, headers={"X-Forwarded-For": self.forwarded_for})  # noqa: S310
        try:
            with self.opener.open(request, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def prepare(self, title):
        status, body = self.open("/gop-y/ma-kiem-tra/")
        assert status == 200
        challenge = json.loads(body)
        self.form = {
            "name": "Người đọc",
            "title": title,
            "content": f"Nội dung của {title}, đủ mười ký tự.",
            "captcha_0": challenge["key"],
            "csrfmiddlewaretoken": challenge["csrf_token"],
        }
        return challenge["key"]

    def submit(self, barrier):
        data = urllib.parse.urlencode(self.form).encode()
        barrier.wait(timeout=TIMEOUT)
        return self.open("/gop-y/", data)  # follows the redirect to the thank-you page


def run(readers):
    barrier = threading.Barrier(len(readers))
    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        return list(pool.map(lambda reader: reader.submit(barrier), readers))


def prepared(live_server, addresses, titles):
    readers = [Reader(live_server.url, address) for address in addresses]
    keys = [reader.prepare(title) for reader, title in zip(readers, titles, strict=True)]
    answers = dict(CaptchaStore.objects.filter(hashkey__in=keys).values_list("hashkey", "response"))
    for reader in readers:
        reader.form["captcha_1"] = answers[reader.form["captcha_0"]]
    return readers


def test_fifty_simultaneous_submissions_are_each_stored_once(burst_ready, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    titles = [f"Góp ý đồng thời số {number:02d}" for number in range(50)]
    readers = prepared(burst_ready, [f"203.0.113.{number + 1}" for number in range(50)], titles)
    results = run(readers)
    assert [status for status, _body in results] == [200] * 50
    codes = [re.search(r"data-copy-source>(GY-\w+)<", body).group(1) for _status, body in results]
    assert len(set(codes)) == 50
    stored = list(Feedback.objects.values_list("title", "code"))
    assert len(stored) == 50
    assert sorted(title for title, _code in stored) == titles
    assert {code for _title, code in stored} == set(codes)
    assert Feedback.objects.values("ip_hash").distinct().count() == 50


def test_the_hourly_limit_cannot_be_raced(burst_ready, settings):
    """Ten simultaneous submissions from one client: exactly five stored, five told to wait (429)."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    titles = [f"Cùng một người, lần {number}" for number in range(10)]
    readers = prepared(burst_ready, ["198.51.100.77"] * 10, titles)
    statuses = sorted(status for status, _body in run(readers))
    assert statuses == [200] * 5 + [429] * 5
    assert Feedback.objects.count() == 5

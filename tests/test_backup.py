"""make backup / make restore: a round trip keeps every row and every media file."""

import hashlib
import importlib.util
import io
import shutil
import stat
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests import subprocesses

BASE_DIR = Path(__file__).resolve().parent.parent

TABLES = ["news_category", "news_article", "auth_group", "core_contentversion"]


def media_digest(root: Path):
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def counts(url):
    with psycopg.connect(url) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608


@pytest.mark.django_db(transaction=True)
def test_backup_restore_round_trip(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    source = subprocesses.database_url()
    before = counts(source)
    media_before = media_digest(settings.MEDIA_ROOT)
    # A citizen's attachment to a question lives outside the media folder and comes back private.
    private = tmp_path / "private"
    (private / "feedback" / "2026" / "12").mkdir(parents=True)
    (private / "feedback" / "2026" / "12" / "tep.pdf").write_bytes(b"%PDF-1.4 giay to cua nguoi dan")

    env = subprocesses.environment(MEDIA_ROOT=settings.MEDIA_ROOT, PRIVATE_MEDIA_ROOT=private)
    subprocesses.run(
        [sys.executable, "scripts/backup.py", "backup", "--dir", str(tmp_path / "b")], env=env, check=True
    )
    dump = next((tmp_path / "b").glob("*.dump"))
    # Private: the folder 0700, both files 0600 (they hold password hashes and citizens' contact details).
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o700
    assert sorted(stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "b").iterdir()) == [0o600, 0o600]

    target_db = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(subprocesses.database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')
        admin.execute(f'CREATE DATABASE "{target_db}"')
    target = subprocesses.database_url(target_db)
    restored_media = tmp_path / "restored-media"
    restored_private = tmp_path / "restored-private"
    try:
        env = subprocesses.environment(target_db, MEDIA_ROOT=restored_media, PRIVATE_MEDIA_ROOT=restored_private)
        subprocesses.run([sys.executable, "scripts/backup.py", "restore", str(dump)], env=env, check=True)
        assert counts(target) == before
        assert before["news_article"] >= 31
        assert media_digest(restored_media) == media_before
        restored_file = restored_private / "feedback" / "2026" / "12" / "tep.pdf"
        assert restored_file.read_bytes() == b"%PDF-1.4 giay to cua nguoi dan"
        assert stat.S_IMODE(restored_file.stat().st_mode) == 0o600
        assert not (restored_media / "feedback").exists()
    finally:
        with psycopg.connect(subprocesses.database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')


def load_backup_script():
    spec = importlib.util.spec_from_file_location("backup_script", BASE_DIR / "scripts" / "backup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def archive_with(tmp_path, *members):
    """A media archive holding `members`: (name, TarInfo type, link target or file bytes)."""
    path = tmp_path / "portal.media.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            data = None
            if kind == tarfile.REGTYPE:
                info.size = len(payload)
                data = io.BytesIO(payload)
            elif kind in (tarfile.SYMTYPE, tarfile.LNKTYPE):
                info.linkname = payload
            tar.addfile(info, data)
    return path


@pytest.mark.parametrize("has_data_filter", [True, False], ids=["python>=3.11.4", "python-3.11.2"])
def test_media_restore_writes_files_inside_the_media_folder(tmp_path, monkeypatch, has_data_filter):
    """Debian 12's Python 3.11.2 has no tarfile filter: the restore still works, with the same checks."""
    if not has_data_filter:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    backup = load_backup_script()
    archive = archive_with(
        tmp_path,
        ("media", tarfile.DIRTYPE, None),
        ("media/news/2023/anh.jpg", tarfile.REGTYPE, b"jpeg bytes"),
        ("other/ignored.txt", tarfile.REGTYPE, b"not media"),
    )
    media = tmp_path / "media"
    with tarfile.open(archive) as tar:
        backup.extract_media(tar, media)
    assert (media / "news" / "2023" / "anh.jpg").read_bytes() == b"jpeg bytes"
    assert not (media / "other").exists() and not (tmp_path / "other").exists()


@pytest.mark.parametrize(
    "member",
    [
        ("media/../../escaped.txt", tarfile.REGTYPE, b"x"),
        ("media/link", tarfile.SYMTYPE, "/etc/passwd"),
        ("media/hard", tarfile.LNKTYPE, "/etc/passwd"),
        ("media/fifo", tarfile.FIFOTYPE, None),
    ],
    ids=["climbs-out", "symlink", "hardlink", "fifo"],
)
@pytest.mark.parametrize("has_data_filter", [True, False], ids=["python>=3.11.4", "python-3.11.2"])
def test_media_restore_refuses_what_points_outside(tmp_path, monkeypatch, member, has_data_filter):
    """A crafted archive writes nothing at all: every member is checked before the first one is written."""
    if not has_data_filter:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    backup = load_backup_script()
    archive = archive_with(tmp_path, ("media/first.txt", tarfile.REGTYPE, b"ok"), member)
    media = tmp_path / "restore" / "media"
    with tarfile.open(archive) as tar, pytest.raises(SystemExit, match="Refusing"):
        backup.extract_media(tar, media)
    assert not media.exists()
    assert not (tmp_path / "escaped.txt").exists()


def make_set(folder, stamp, encrypted=False):
    for name in (f"portal-{stamp}.dump", f"portal-{stamp}.media.tar.gz"):
        (folder / (name + (".age" if encrypted else ""))).write_bytes(b"x")


def test_rotation_keeps_daily_and_monthly(tmp_path):
    """Keep the newest backup of each of the last N days and of each of the last M months; nothing else
    in the folder is touched."""
    backup = load_backup_script()
    stamps = [
        "20250115-021500",  # January: older than the months kept
        "20250228-021500",  # February's newest
        "20250210-021500",
        "20250331-021500",  # March's newest
        "20250401-021500",
        "20250402-021500",
        "20250403-011500",  # an earlier backup of the same day
        "20250403-021500",
        "20250404-021500",
    ]
    for stamp in stamps:
        make_set(tmp_path, stamp, encrypted=stamp.startswith("202504"))
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = backup.rotate(tmp_path, keep_daily=3, keep_monthly=3)
    kept = sorted({p.name.split(".")[0] for p in tmp_path.iterdir() if p.name.startswith("portal-")})
    assert kept == [
        "portal-20250228-021500",
        "portal-20250331-021500",
        "portal-20250402-021500",
        "portal-20250403-021500",
        "portal-20250404-021500",
    ]
    assert len(removed) == 2 * 4
    assert (tmp_path / "notes.txt").exists()


def test_encryption_asked_without_age_says_so(tmp_path, monkeypatch, capsys):
    """Encryption asked for and `age` missing: the backup stops with a clear message and writes nothing."""
    backup = load_backup_script()
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    monkeypatch.setenv("BACKUP_AGE_RECIPIENT", "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")
    with pytest.raises(SystemExit, match="apt-get install age"):
        backup.main(["backup", "--dir", str(tmp_path / "b")])
    assert not (tmp_path / "b").exists()


@pytest.mark.skipif(not shutil.which("age"), reason="the `age` program is not installed (Debian package `age`)")
@pytest.mark.django_db(transaction=True)
def test_encrypted_backup_round_trip(settings, tmp_path):
    """Encrypted to a public key: no plain bytes on disk; restored with the private key."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    before = counts(subprocesses.database_url())
    key = tmp_path / "key.txt"
    subprocesses.run(["age-keygen", "-o", str(key)], env=subprocesses.environment(), check=True, capture_output=True)
    recipient = next(line.split(": ")[1] for line in key.read_text().splitlines() if "public key" in line)
    folder = tmp_path / "b"
    env = subprocesses.environment(MEDIA_ROOT=settings.MEDIA_ROOT, BACKUP_AGE_RECIPIENT=recipient)
    subprocesses.run([sys.executable, "scripts/backup.py", "backup", "--dir", str(folder)], env=env, check=True)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 and all(name.endswith(".age") for name in files)
    for path in folder.iterdir():
        data = path.read_bytes()
        assert data.startswith(b"age-encryption.org/v1") and b"news_article" not in data
    dump = next(folder.glob("*.dump.age"))

    target_db = f"{connection.settings_dict['NAME']}_restore_age"
    with psycopg.connect(subprocesses.database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')
        admin.execute(f'CREATE DATABASE "{target_db}"')
    try:
        env = subprocesses.environment(target_db, MEDIA_ROOT=tmp_path / "restored")
        command = [sys.executable, "scripts/backup.py", "restore", str(dump)]
        refused = subprocesses.run(command, env=env, capture_output=True, text=True)
        assert refused.returncode != 0 and "--age-identity" in refused.stderr
        subprocesses.run([*command, "--age-identity", str(key)], env=env, check=True)
        assert counts(subprocesses.database_url(target_db)) == before
        assert media_digest(tmp_path / "restored") == media_digest(settings.MEDIA_ROOT)
    finally:
        with psycopg.connect(subprocesses.database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')


def mounted_tmpfs(folder: Path, size: str):
    """A real small filesystem (tmpfs) at `folder`: only root may mount one."""
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("a disk-full backup needs a small filesystem of its own: mounting a tmpfs needs root")
    folder.mkdir(parents=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)], check=False)
    if done.returncode != 0:
        pytest.skip("mount -t tmpfs was refused here (a container without that right)")


@pytest.mark.django_db(transaction=True)
def test_backup_on_a_full_disk_fails_clearly_and_keeps_the_previous_one(settings, tmp_path):
    """The backup folder on a 1 MB filesystem, the database's dump larger than that: the backup exits
    non-zero with a plain message, leaves no file that looks like a backup (nor a partial one), and the
    previous backup is still there, byte for byte."""
    import os
    import subprocess

    folder = tmp_path / "b"
    mounted_tmpfs(folder, "1m")
    try:
        previous = {
            "portal-20261202-021500.dump": b"PGDMP previous night",
            "portal-20261202-021500.media.tar.gz": b"previous media",
        }
        for name, data in previous.items():
            (folder / name).write_bytes(data)
        with connection.cursor() as cursor:  # 2 MB that no compression shrinks
            cursor.execute("CREATE TABLE backup_ballast (data bytea)")
            for _ in range(4):
                cursor.execute("INSERT INTO backup_ballast VALUES (%s)", [os.urandom(512 * 1024)])
        env = subprocesses.environment(MEDIA_ROOT=tmp_path / "media")
        done = subprocesses.run(
            [sys.executable, "scripts/backup.py", "backup", "--dir", str(folder)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode != 0
        assert "Backup failed: no space left on the disk holding" in done.stderr
        assert "the previous backups are untouched" in done.stderr
        assert subprocesses.database_url() not in done.stderr  # never the URL (it may hold a password)
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == previous  # nothing new, nothing partial
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS backup_ballast")
        subprocess.run(["umount", str(folder)], check=False)

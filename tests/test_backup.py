"""make backup / make restore: a round trip keeps every row and every media file."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
TABLES = ["news_category", "news_article", "auth_group", "portal_contentversion"]


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
    params = connection.get_connection_params()
    source = psycopg.conninfo.make_conninfo(
        **{k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}
    )
    before = counts(source)
    media_before = media_digest(settings.MEDIA_ROOT)

    env = dict(os.environ, DATABASE_URL=source, MEDIA_ROOT=str(settings.MEDIA_ROOT))
    subprocess.run(
        [sys.executable, "scripts/backup.py", "backup", "--dir", str(tmp_path / "b")],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    dump = next((tmp_path / "b").glob("*.dump"))

    target_db = f"{params['dbname']}_restore"
    with psycopg.connect(psycopg.conninfo.make_conninfo(source, dbname="postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')
        admin.execute(f'CREATE DATABASE "{target_db}"')
    target = psycopg.conninfo.make_conninfo(source, dbname=target_db)
    restored_media = tmp_path / "restored-media"
    try:
        env = dict(os.environ, DATABASE_URL=target, MEDIA_ROOT=str(restored_media))
        subprocess.run([sys.executable, "scripts/backup.py", "restore", str(dump)], cwd=BASE_DIR, env=env, check=True)
        assert counts(target) == before
        assert before["news_article"] >= 31
        assert media_digest(restored_media) == media_before
    finally:
        with psycopg.connect(psycopg.conninfo.make_conninfo(source, dbname="postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_db}"')

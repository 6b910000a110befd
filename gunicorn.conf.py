"""gunicorn settings for `make serve` and production (docs/deploy.md).

Threads let a worker overlap database waits; processes use the cores. Workers are
recycled after max_requests (with jitter, so they do not restart together) to keep
memory flat.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
# gthread (the default) or sync: `make bench` measures either (docs/performance.md, "The serving model: sync
# with one worker per core"): on a quiet machine the two served the portal's cached pages alike at 16
# connections and gthread more at 64; gthread also keeps nginx's upstream connections open and rides out a
# slow request on one thread instead of a whole worker.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Idle keep-alive connections are closed after 5 s; nginx's upstream keepalive_timeout must be shorter (4 s in
# docs/deploy.md and scripts/cluster.py) so it never sends a request on a connection being closed here.
keepalive = 5
# At a few thousand requests a second a small limit restarts workers every few seconds (dropped keep-alive
# connections, cold caches); memory stays flat (~65 MB a worker after a benchmark), so recycle rarely.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = 10000
backlog = 2048
# Load the app once in the master: workers share its memory pages until they write to them.
preload_app = True
# The app logs one JSON line per request itself (portal.middleware: request id, no client address);
# gunicorn's own access log (which has the address) is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '"%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "portal"


def post_fork(server, worker):
    # Connections opened while preloading belong to the master: never share them with workers.
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.close()


def worker_exit(server, worker):
    # Views a worker holds (stats/buffer.py) are written before it goes.
    from stats.buffer import flush_at_exit

    flush_at_exit()

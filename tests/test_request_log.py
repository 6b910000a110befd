"""The request log written a batch at a time (portal/logbuffer.py), request ids and visitor ids made
without a system call each: nothing is lost, doubled or reordered, and forked workers never share ids."""

import io
import json
import logging
import os
import subprocess
import sys
import threading
import uuid

from portal.logbuffer import BatchedStreamHandler
from stats.visitors import make_visitor_id


class CountingStream(io.StringIO):
    writes = 0

    def write(self, text):
        self.writes += 1
        return super().write(text)


def batched_logger(stream, **options):
    logger = logging.getLogger(f"test.requestlog.{id(stream)}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = BatchedStreamHandler(stream, **options)
    logger.addHandler(handler)
    return logger, handler


def test_every_line_once_in_order_with_few_writes():
    """8 threads × 500 lines: every line written once, each thread's lines in their order, in far fewer
    write() calls than lines."""
    stream = CountingStream()
    logger, handler = batched_logger(stream, interval=0.05, batch=64)

    def serve(thread):
        for n in range(500):
            logger.info(json.dumps({"thread": thread, "n": n}))

    threads = [threading.Thread(target=serve, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    handler.flush()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 4000
    for t in range(8):
        assert [line["n"] for line in lines if line["thread"] == t] == list(range(500))
    assert stream.writes < 4000 / 10, stream.writes


def test_a_forked_worker_does_not_write_its_parents_lines_again(tmp_path):
    """Lines waiting in the parent when a worker is forked are the parent's to write, once."""
    path = tmp_path / "access.log"
    with open(path, "a", buffering=1) as stream:
        logger, handler = batched_logger(stream, interval=60)
        logger.info("parent before the fork")
        pid = os.fork()
        if pid == 0:  # the worker
            logger.info("worker line")
            handler.flush()
            os._exit(0)
        os.waitpid(pid, 0)
        handler.flush()
    assert sorted(path.read_text().splitlines()) == ["parent before the fork", "worker line"]


def test_lines_are_written_when_the_process_exits(tmp_path):
    """A worker that exits normally (SIGTERM, max requests) writes every waiting line first: with the
    portal's own LOGGING, 300 request lines logged just before exit all reach stderr."""
    script = (
        "import logging, logging.config, os\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'portal.settings_test')\n"
        "from django.conf import settings\n"
        "config = dict(settings.LOGGING)\n"
        "config['loggers'] = dict(config['loggers'], **{'portal.access': dict(config['loggers']['portal.access'], level='INFO')})\n"
        "config['handlers'] = dict(config['handlers'], access=dict(config['handlers']['access'], interval=60))\n"
        "logging.config.dictConfig(config)\n"
        "log = logging.getLogger('portal.access')\n"
        "for n in range(300): log.info('{\"n\": %d}' % n)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [line["n"] for line in lines] == list(range(300))


def test_visitor_ids_are_random_uuids_unique_across_forked_workers():
    ids = [make_visitor_id() for _ in range(5000)]
    assert len(set(ids)) == 5000
    assert {visitor.version for visitor in ids} == {4}
    assert {visitor.variant for visitor in ids} == {uuid.RFC_4122}
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a worker: its ids are its own, not the ones the parent hands out next
        os.write(write, "".join(make_visitor_id().hex for _ in range(50)).encode())
        os._exit(0)
    os.waitpid(pid, 0)
    os.close(write)
    theirs = os.read(read, 32 * 50).decode()
    os.close(read)
    ours = [make_visitor_id().hex for _ in range(50)]
    assert not set(ours) & {theirs[i : i + 32] for i in range(0, len(theirs), 32)}


def test_every_response_carries_a_request_id(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == len(second) == 16
    assert first != second
    int(first, 16)

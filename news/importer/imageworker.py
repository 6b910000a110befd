"""A long-lived image worker for the import (news.importer.images): the uploads' re-encoding
(core/imagework.py) for one image after another, under the same hard limits.

core.images starts a fresh Python per upload; for an import of thousands of photos that start-up
(~50 ms of the ~55 ms an 800×450 JPEG costs) is most of the work, so this process stays up. Its address
space is capped once (MEMORY_BYTES); before each image its CPU limit is set to what it has used so far
plus CPU_SECONDS, so one image can never use more than that (SIGXCPU ends the process, as in
core/imagework.py). Imports Pillow and core/imagework.py only (no Django).

    python -I news/importer/imageworker.py MAX_PIXELS MEMORY_BYTES CPU_SECONDS
Protocol on stdin/stdout, one image at a time: "FORMAT LENGTH\\n" + bytes in; "STATUS LENGTH\\n" + bytes
out, STATUS 0 (the clean image), 2 (not a valid image: the reason) or 3 (out of memory; the process ends).
"""

import math
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "core"))

from imagework import reencode  # noqa: E402 — core/imagework.py, by path: no Django in this process


def _read_exact(stream, length):
    data = stream.read(length)
    if len(data) != length:
        raise EOFError
    return data


def _answer(stream, status, payload):
    stream.write(f"{status} {len(payload)}\n".encode() + payload)
    stream.flush()


def main(argv):
    max_pixels, memory, cpu_seconds = int(argv[1]), int(argv[2]), max(1, math.ceil(float(argv[3])))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = max_pixels
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    while header := source.readline():
        fmt, length = header.decode().split()
        data = _read_exact(source, int(length))
        used = resource.getrusage(resource.RUSAGE_SELF)
        limit = math.ceil(used.ru_utime + used.ru_stime) + cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (limit, resource.getrlimit(resource.RLIMIT_CPU)[1]))
        try:
            clean = reencode(data, fmt)
        except MemoryError:
            _answer(sink, 3, b"")
            return 3
        except Exception as exc:  # noqa: BLE001 — any decoder failure means "not a valid image"
            _answer(sink, 2, f"{type(exc).__name__}: {exc}".encode()[:300])
            continue
        _answer(sink, 0, clean)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

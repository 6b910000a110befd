"""The old site's photos checked like uploads, without starting a process per photo.

An upload's check (core.images.clean_image_upload) reads the image's headers here (format, size, pixels,
frames; refused before anything is decoded) and re-encodes it without metadata in a fresh child process
with hard limits (core/imagework.py). Starting that child (Python, then Pillow) is ~50 ms of the ~55 ms of
CPU an 800×450 photo costs, which made it most of an import's time. The import makes the same checks
with the same limits (core.images's constants, core/imagework.py's re-encoding) in one long-lived child
per importing thread (news/importer/imageworker.py): the memory cap is set once, the CPU cap before each
image, the wall-clock limit by this side, and a child that dies or overruns is replaced.
"""

import io
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, UnidentifiedImageError

from core.images import (
    CONTENT_TYPES,
    FORMATS,
    MAX_BYTES,
    MAX_FRAMES,
    MAX_PIXELS,
    MAX_TOTAL_PIXELS,
    WORK_MEMORY,
    WORK_SECONDS,
    safe_filename,
)

WORKER = Path(__file__).with_name("imageworker.py")
INVALID = "không phải là ảnh hợp lệ (JPEG, PNG, WebP hoặc GIF) hoặc đã bị hỏng"
TOO_HEAVY = "quá nặng để xử lý (vượt giới hạn thời gian hoặc bộ nhớ)"


class _Worker:
    """One child process (imageworker.py) and the pipe protocol to it."""

    def __init__(self):
        command = [sys.executable, "-I", str(WORKER), str(MAX_PIXELS), str(WORK_MEMORY), str(WORK_SECONDS)]
        self.process = subprocess.Popen(  # noqa: S603 — our own script, fixed arguments
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )

    def reencode(self, data, fmt):
        """(status, payload) as imageworker.py answers; None when the child died or overran WORK_SECONDS."""
        try:
            self.process.stdin.write(f"{fmt} {len(data)}\n".encode() + data)
            self.process.stdin.flush()
            deadline = time.monotonic() + WORK_SECONDS
            status, length = self._read_line(deadline).split()
            return int(status), self._read(int(length), deadline)
        except (OSError, ValueError, TimeoutError, EOFError):
            self.close()
            return None

    def _read(self, length, deadline):
        chunks, left, fd = [], length, self.process.stdout.fileno()
        while left:
            chunk = os.read(fd, min(left, 1 << 20)) if self._ready(fd, deadline) else b""
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _read_line(self, deadline):
        line, fd = b"", self.process.stdout.fileno()
        while not line.endswith(b"\n"):
            byte = os.read(fd, 1) if self._ready(fd, deadline) else b""
            if not byte:
                raise EOFError
            line += byte
        return line.decode()

    def _ready(self, fd, deadline):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise TimeoutError
        return True

    @property
    def alive(self):
        return self.process.poll() is None

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()


class ImageChecker:
    """`clean(data, name)` → a SimpleUploadedFile of the clean image, or ValidationError. Safe to call from
    several threads (each has its own child); `close()` ends the children."""

    def __init__(self):
        self._local = threading.local()
        self._workers = []
        self._lock = threading.Lock()

    def clean(self, data, name):
        fmt = self._probe(data)
        answer = self._worker().reencode(data, fmt)
        if answer is None or answer[0] == 3:
            raise ValidationError(f"ảnh {TOO_HEAVY}", code="too_heavy")
        status, payload = answer
        if status != 0:
            raise ValidationError(f"tệp {INVALID}", code="invalid")
        return SimpleUploadedFile(safe_filename(name or "anh", FORMATS[fmt]), payload, content_type=CONTENT_TYPES[fmt])

    def _probe(self, data):
        """The format, after the checks core.images makes before decoding anything."""
        if len(data) > MAX_BYTES:
            raise ValidationError(f"ảnh quá lớn ({len(data) / 1048576:.1f} MB, tối đa 10 MB)", code="too_large")
        try:
            with Image.open(io.BytesIO(data)) as probe:
                fmt, (width, height) = probe.format, probe.size
                if fmt not in FORMATS:
                    raise ValidationError("định dạng ảnh không được hỗ trợ (JPEG, PNG, WebP hoặc GIF)", code="format")
                frames = probe.n_frames if fmt == "GIF" else 1
                if width * height > MAX_PIXELS or frames > MAX_FRAMES or frames * width * height > MAX_TOTAL_PIXELS:
                    raise ValidationError(
                        f"ảnh quá lớn ({frames} khung × {width} × {height} điểm ảnh)", code="too_many_pixels"
                    )
                probe.verify()
        except ValidationError:
            raise
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise ValidationError(f"tệp {INVALID}", code="invalid") from exc
        return fmt

    def _worker(self):
        worker = getattr(self._local, "worker", None)
        if worker is None or not worker.alive:
            worker = self._local.worker = _Worker()
            with self._lock:
                self._workers.append(worker)
        return worker

    def close(self):
        with self._lock:
            workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()

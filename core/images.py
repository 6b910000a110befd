"""Checks and clean-up for uploaded images (covers and images in the article body).

An upload must really be a JPEG, PNG, WebP or GIF (Pillow decides from the
content, not the file name), at most 10 MB and 40 megapixels (decompression
bombs are refused before decoding). An animated GIF has at most MAX_FRAMES frames and
MAX_TOTAL_PIXELS pixels over all its frames (Pillow decodes every frame at the full canvas size):
both are read from the file's headers and refused before any frame is decoded. Metadata (EXIF with
its GPS position and camera serial, XMP, JPEG COM and GIF comment segments, PNG text) is removed by
re-encoding; the orientation EXIF carried is applied first.

The decoding and re-encoding run in a child process (`core/imagework.py`) with hard limits:
WORK_SECONDS of wall-clock and CPU time and WORK_MEMORY bytes of address space. An image that needs
more is refused with a Vietnamese message; the worker thread waits at most WORK_SECONDS.
"""

import functools
import os
import subprocess
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .slugs import vn_slugify

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FRAMES = 200
MAX_TOTAL_PIXELS = 100_000_000  # e.g. 125 frames of 1000 × 800
WORK_SECONDS = 20
WORK_MEMORY = 1024 * 1024 * 1024
WORKER = Path(__file__).with_name("imagework.py")
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def clean_image_upload(upload):
    """Return a new in-memory upload with the image re-encoded without metadata,
    or raise ValidationError with a Vietnamese message."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("Ảnh quá lớn (%(size)s MB). Dung lượng tối đa là 10 MB.") % {"size": f"{upload.size / 1048576:.1f}"},
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in FORMATS:
                raise ValidationError(
                    _("Định dạng ảnh không được hỗ trợ. Hãy dùng JPEG, PNG, WebP hoặc GIF."), code="format"
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("Ảnh có kích thước quá lớn (%(w)s × %(h)s điểm ảnh). Tối đa 40 triệu điểm ảnh.")
                    % {"w": width, "h": height},
                    code="too_many_pixels",
                )
            frames = probe.n_frames if fmt == "GIF" else 1  # only GIF is re-encoded with all its frames
            _check_frames(frames, width, height)
            probe.verify()
        upload.seek(0)
        data = _reencode(upload.read(), fmt)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Tệp tải lên không phải là ảnh hợp lệ (JPEG, PNG, WebP hoặc GIF) hoặc đã bị hỏng."), code="invalid"
        ) from exc
    finally:
        upload.seek(0)
    name = safe_filename(getattr(upload, "name", "") or "anh", FORMATS[fmt])
    return SimpleUploadedFile(name, data, content_type=CONTENT_TYPES[fmt])


def _check_frames(frames, width, height):
    if frames > MAX_FRAMES:
        raise ValidationError(
            _("Ảnh động có quá nhiều khung hình (%(frames)s). Tối đa %(max)s khung hình.")
            % {"frames": frames, "max": MAX_FRAMES},
            code="too_many_frames",
        )
    if frames * width * height > MAX_TOTAL_PIXELS:
        raise ValidationError(
            _(
                "Ảnh động quá lớn (%(frames)s khung hình × %(w)s × %(h)s điểm ảnh). "
                "Tổng tối đa 100 triệu điểm ảnh: hãy giảm kích thước hoặc số khung hình."
            )
            % {"frames": frames, "w": width, "h": height},
            code="too_many_pixels",
        )


def _reencode(data, fmt):
    """The image re-encoded without metadata by the child process, within the hard limits."""
    command = [sys.executable, "-I", str(WORKER), fmt, str(MAX_PIXELS), str(WORK_MEMORY), str(WORK_SECONDS)]
    try:
        done = subprocess.run(command, input=data, capture_output=True, timeout=WORK_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        done = None
    if done is not None and done.returncode == 0:
        return done.stdout
    if done is not None and done.returncode == 2:
        raise ValueError(done.stderr.decode(errors="replace")[:300])
    raise ValidationError(
        _("Ảnh quá nặng để xử lý (vượt giới hạn thời gian hoặc bộ nhớ). Hãy giảm kích thước hoặc số khung hình."),
        code="too_heavy",
    )


def safe_filename(name: str, extension: str) -> str:
    """An ASCII file name without directories, readable from the Vietnamese original."""
    stem = os.path.splitext(os.path.basename(name.replace("\\", "/")))[0]
    stem = vn_slugify(stem, max_length=80) or "tep"
    return f"{stem}.{extension}"


def rendition_name(generator):
    """imagekit's cache file namer, remembered: the stock namer pickles and hashes the whole spec on every
    `.url`, which is most of the cost of a listing's cards. A rendition's name depends only on the source
    file's name and the spec (one class per ImageSpecField, created at start-up), so it is a pure function
    of the two, memoised per process by functools (bounded, nothing to reset: it cannot go stale)."""
    return _rendition_name(getattr(generator.source, "name", None), type(generator), _Carried(generator))


class _Carried:
    """Carries the generator into the memoised function without being part of its key."""

    __slots__ = ("generator",)

    def __init__(self, generator):
        self.generator = generator

    def __hash__(self):
        return 0

    def __eq__(self, other):
        return isinstance(other, _Carried)


@functools.lru_cache(maxsize=8192)
def _rendition_name(source_name, spec_class, carried):
    from imagekit.cachefiles.namers import source_name_as_path

    return source_name_as_path(carried.generator)

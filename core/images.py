"""Checks and clean-up for uploaded images (covers and images in the article body).

An upload must really be a JPEG, PNG, WebP or GIF (Pillow decides from the
content, not the file name), at most 10 MB and 40 megapixels (decompression
bombs are refused before decoding). EXIF metadata (GPS position, camera serial)
is removed by re-encoding; the orientation it carried is applied first.
"""

import functools
import io
import os

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .slugs import vn_slugify

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
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
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            data = _reencode(image, fmt)
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


def _reencode(image, fmt):
    out = io.BytesIO()
    if fmt == "GIF":
        # GIF has no EXIF; re-saving keeps animation frames.
        image.save(out, format="GIF", save_all=getattr(image, "is_animated", False))
        return out.getvalue()
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=88, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="WEBP", quality=88)
    return out.getvalue()


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

"""Stored names of uploaded files: ASCII, readable from the Vietnamese original, never a path.

"Kế hoạch năm 2023.PDF" is stored as "attachments/2023/01/ke-hoach-nam-2023.pdf". Whatever the
browser sent as the name (directories, "../", a Windows path, NUL bytes), only its last part is
kept, slugified with core.slugs.vn_slugify; the extension is kept only when it is an allowed one.
Django's storage appends a random suffix when the name is taken.
"""

import posixpath

from django.utils import timezone

from .files import SIGNATURES
from .images import FORMATS
from .slugs import vn_slugify

ATTACHMENT_EXTENSIONS = frozenset(SIGNATURES)
IMAGE_EXTENSIONS = frozenset(FORMATS.values()) | {"jpeg"}
STEM_MAX = 80


def normalised_name(name, allowed_extensions, default_stem="tep"):
    """`name` reduced to "<ascii-slug>.<ext>" (or "<ascii-slug>" when the extension is not allowed)."""
    base = posixpath.basename(str(name or "").replace("\\", "/").replace("\x00", ""))
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = extension, ""
    extension = extension.lower()
    if extension not in allowed_extensions:
        # Not an extension we serve: it becomes part of the name, never a file type.
        stem, extension = base, ""
    stem = vn_slugify(stem.replace(".", " "), max_length=STEM_MAX) or default_stem
    return f"{stem}.{extension}" if extension else stem


def _dated(folder, name):
    return f"{folder}/{timezone.localdate():%Y/%m}/{name}"


def cover_upload_to(instance, filename):
    return _dated("covers", normalised_name(filename, IMAGE_EXTENSIONS, default_stem="anh"))


def attachment_upload_to(instance, filename):
    return _dated("attachments", normalised_name(filename, ATTACHMENT_EXTENSIONS))


def media_upload_to(instance, filename):
    """Files of the media library (core.MediaItem): images, documents and videos, one dated folder."""
    extensions = IMAGE_EXTENSIONS | ATTACHMENT_EXTENSIONS | {"mp4", "webm", "vtt"}
    return _dated("library", normalised_name(filename, extensions))

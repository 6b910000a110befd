"""Legal documents' files in the media library (core.media): each is an item that knows its document."""

from core import media


def track():
    from .models import DocumentFile

    media.track(DocumentFile, files=["file"], parent="document", as_field="files")

"""The department's pages in the media library (core.media): images of the Vietnamese and English bodies
and leaders' portraits are items that know where they are used."""

from core import media


def track():
    from .models import Leader, Page

    media.track(Page, html=["body", "body_en"])
    media.track(Leader, files=["photo"])

"""Articles in the media library (core.media): the cover, the images of the body and the attachments
are library items, and each item knows the articles that use it."""

from core import media


def track():
    from .models import Article, Attachment

    media.track(Article, files=["cover"], html=["body"], alts=[("cover", "cover_alt")])
    media.track(Attachment, files=["file"], parent="article", as_field="attachments")

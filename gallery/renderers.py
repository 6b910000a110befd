"""Galleries and videos placed in an article's text (core.embeds): each renderer gets the ids of every
placeholder of its kind in the text and answers with the published ones, in one or two queries."""

from django.db.models import Count, Prefetch
from django.template.loader import render_to_string

from .models import Gallery, Photo, Video

GALLERY = Gallery.embed_kind
VIDEO = Video.embed_kind
PHOTOS_SHOWN = 6  # in an article; the gallery's page has them all


def galleries(ids):
    shown = Photo.objects.select_related("item").order_by("position", "id")[:PHOTOS_SHOWN]
    found = (
        Gallery.objects.published()
        .filter(pk__in=ids)
        .annotate(photo_count=Count("photos"))
        .prefetch_related(Prefetch("photos", queryset=shown, to_attr="shown_photos"))
    )
    return {
        gallery.pk: render_to_string(
            "gallery/_embed_gallery.html", {"gallery": gallery, "photos": gallery.shown_photos}
        )
        for gallery in found
    }


def videos(ids):
    found = Video.objects.published().filter(pk__in=ids).for_player()
    return {video.pk: render_to_string("gallery/_embed_video.html", {"video": video}) for video in found}

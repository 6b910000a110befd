"""Thư viện ảnh and Video: lists, a gallery's grid, one page per photo (previous / next: browsing needs no
JavaScript), a video's page. Staff who may change them see drafts, marked "Xem trước", never cached."""

from django.http import Http404
from django.utils.cache import add_never_cache_headers
from django.views.generic import DetailView, ListView

from core.publishing import can_preview

from .models import Gallery, Video

PER_PAGE = 12


class PreviewMixin:
    """Published items for everyone; every item for staff who may change them (a preview, never cached)."""

    permission = ""

    def previewing(self):
        if not hasattr(self, "_previewing"):
            self._previewing = can_preview(self.request, self.permission)
        return self._previewing

    def visible(self, queryset):
        return queryset if self.previewing() else queryset.published()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        item = context.get("object")
        if item is not None and not item.is_public:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = context.get("object")
        context["preview"] = item is not None and not item.is_public
        return context


class GalleryListView(ListView):
    template_name = "gallery/list.html"
    context_object_name = "galleries"
    paginate_by = PER_PAGE

    def get_queryset(self):
        return Gallery.objects.published().newest().for_listing()


class GalleryView(PreviewMixin, DetailView):
    template_name = "gallery/detail.html"
    context_object_name = "gallery"
    permission = "gallery.change_gallery"

    def get_queryset(self):
        return self.visible(Gallery.objects.all())

    def get_context_data(self, **kwargs):
        photos = list(self.object.photos.select_related("item"))
        return super().get_context_data(photos=photos, **kwargs)


class PhotoView(GalleryView):
    """One photo of a gallery, large, with its caption and links to the previous and next ones."""

    template_name = "gallery/photo.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        photos, number = context["photos"], self.kwargs["number"]
        if not 1 <= number <= len(photos):
            raise Http404
        context.update(
            photo=photos[number - 1],
            number=number,
            total=len(photos),
            previous=number - 1 if number > 1 else None,
            next=number + 1 if number < len(photos) else None,
        )
        return context


class VideoListView(ListView):
    template_name = "gallery/video_list.html"
    context_object_name = "videos"
    paginate_by = PER_PAGE

    def get_queryset(self):
        return Video.objects.published().newest().for_listing()


class VideoView(PreviewMixin, DetailView):
    template_name = "gallery/video.html"
    context_object_name = "video"
    permission = "gallery.change_video"

    def get_queryset(self):
        return self.visible(Video.objects.for_player())

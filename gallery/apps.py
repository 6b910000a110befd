from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GalleryConfig(AppConfig):
    name = "gallery"
    verbose_name = _("Thư viện ảnh và video")

    def ready(self):
        from django.db.models.signals import post_delete

        from core import embeds, media, publishing

        from . import renderers

        for name in ("Gallery", "Video"):
            model = self.get_model(name)
            publishing.register_scheduled(model)
            # The library's items it used may be deleted once nothing else uses them.
            post_delete.connect(
                lambda sender, instance, **kwargs: media.clear_usage(instance),
                sender=model,
                weak=False,
                dispatch_uid=f"gallery-usage-{name}",
            )
        # Placed in an article's text as [thu-vien-anh:12] / [video:7] (core.embeds).
        embeds.register(renderers.GALLERY, renderers.galleries, label=_("Thư viện ảnh"), stylesheet="css/gallery.css")
        embeds.register(renderers.VIDEO, renderers.videos, label=_("Video"), stylesheet="css/gallery.css")

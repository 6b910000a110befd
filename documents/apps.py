from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Văn bản, thủ tục hành chính")

    def ready(self):
        from . import signals
        from .search import register_providers

        signals.connect()
        register_providers()  # documents and procedures in the site-wide search (core.search.providers)

        from . import cards  # "Văn bản sắp hết hiệu lực" on the admin home (core.admincards)

        cards.register()

        from core import blocks, links  # the register and procedures in menus; "Văn bản mới" in the sidebar

        links.register_page("van-ban", _("Văn bản"), "documents:list")
        links.register_page("thu-tuc-hanh-chinh", _("Thủ tục hành chính"), "documents:procedures")
        links.register_page("cong-khai-ngan-sach", _("Công khai ngân sách"), "documents:budget")
        links.register_page("nhiem-vu-khcn", _("Nhiệm vụ KH&CN"), "documents:tasks")
        blocks.page_type("documents:list", "documents")
        blocks.page_type("documents:detail", "documents")
        blocks.register(
            "new-documents",
            _("Văn bản mới"),
            places=blocks.SIDEBAR,
            order=30,
            template="documents/_new_block.html",
            context=new_documents,
        )

        from . import media  # documents' files as media library items (core.media)

        media.track()


def new_documents(where):
    """The newest published documents for the sidebar (one query); none: no block."""
    from .models import Document

    if where.page_type == "documents":
        return None  # the register itself is the list
    documents = list(Document.objects.published().newest().for_listing()[:5])
    return {"documents": documents} if documents else None

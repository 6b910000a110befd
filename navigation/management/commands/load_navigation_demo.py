"""Demo frame: the main menu of today's header plus the new sections (grouped so it fits one row at
1366 px), the footer menu, links to the national portals, a banner, two announcements. Idempotent.
(The footer's licence, copyright and placeholder emblem are in pages' `load_pages_demo`.)"""

import io
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from core import links
from core.fonts import font
from navigation.models import Announcement, Banner, MenuItem, WebLink

PAGE, INTERNAL, EXTERNAL = MenuItem.Kind.PAGE, MenuItem.Kind.INTERNAL, MenuItem.Kind.EXTERNAL
CATEGORY = "category"  # a news category by slug (through core.links: navigation imports no app)

# (title, kind, target, children): children as (title, kind, target)
MAIN = [
    ("", PAGE, "trang-chu", []),
    ("", PAGE, "gioi-thieu", [("Lịch công tác", INTERNAL, "/lich-cong-tac/")]),
    (
        "Tin tức",
        CATEGORY,
        "tin-tuc-su-kien",
        [
            ("", CATEGORY, "tin-trong-tinh"),
            ("", CATEGORY, "tin-trong-nuoc"),
            ("", CATEGORY, "hoat-dong-cua-so"),
            ("", CATEGORY, "khen-thuong-xu-phat"),
            ("", CATEGORY, "thong-bao"),
        ],
    ),
    (
        "KH&CN",
        CATEGORY,
        "khoa-hoc-cong-nghe",
        [
            ("", CATEGORY, "doi-moi-sang-tao"),
            ("", CATEGORY, "so-huu-tri-tue"),
            ("", CATEGORY, "tieu-chuan-do-luong-chat-luong"),
        ],
    ),
    (
        "Văn bản",
        PAGE,
        "van-ban",
        [
            ("Văn bản quy phạm, chỉ đạo điều hành", PAGE, "van-ban"),
            ("Lấy ý kiến dự thảo văn bản", INTERNAL, "/lay-y-kien/"),
            ("Công khai ngân sách", INTERNAL, "/cong-khai-ngan-sach/"),
            ("Nhiệm vụ KH&CN", INTERNAL, "/nhiem-vu-khcn/"),
        ],
    ),
    ("Thủ tục", PAGE, "thu-tuc-hanh-chinh", []),
    (
        "Thư viện",
        INTERNAL,
        "/thu-vien-anh/",
        [("Thư viện ảnh", INTERNAL, "/thu-vien-anh/"), ("Video", INTERNAL, "/video/")],
    ),
    ("", PAGE, "hoi-dap", [("Gửi góp ý, câu hỏi", PAGE, "gop-y")]),
    ("", PAGE, "lien-he", []),
]

FOOTER = [
    ("", PAGE, "gioi-thieu"),
    ("", PAGE, "van-ban"),
    ("", PAGE, "thu-tuc-hanh-chinh"),
    ("Lịch công tác", INTERNAL, "/lich-cong-tac/"),
    ("", PAGE, "lien-he"),
    ("", PAGE, "gop-y"),
    ("", PAGE, "hoi-dap"),
    ("", PAGE, "quyen-rieng-tu"),
    ("Cổng Dịch vụ công quốc gia", EXTERNAL, "https://dichvucong.gov.vn"),
]

LINKS = [
    ("Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn", "DVC", "#b0151f"),
    ("Bộ Khoa học và Công nghệ", "https://www.most.gov.vn", "MOST", "#0b4d8c"),
    ("Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn", "CP", "#8a1c1c"),
    ("Cổng Thông tin điện tử tỉnh", "https://www.example-tinh.gov.vn", "TỈNH", "#1f6f43"),
]


def picture(text, color, size=(240, 80), sub=""):
    image = Image.new("RGB", size, color)
    draw = ImageDraw.Draw(image)
    draw.text(
        (size[0] / 2, size[1] / 2 - (10 if sub else 0)), text, fill="white", font=font(28, bold=True), anchor="mm"
    )
    if sub:
        draw.text((size[0] / 2, size[1] / 2 + 22), sub, fill="#ffe27a", font=font(15), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class Command(BaseCommand):
    help = "Nạp menu, liên kết website, banner, thông báo và cài đặt chân trang mẫu (chạy lại không nhân đôi)."

    @transaction.atomic
    def handle(self, *args, **options):
        self.menus()
        self.links()
        self.banner()
        self.announcements()
        self.stdout.write(self.style.SUCCESS("Đã nạp menu, liên kết, banner, thông báo mẫu."))

    def item(self, menu, position, title, kind, target, parent=None):
        lookup = {"menu": menu, "parent": parent, "kind": kind, "title": title}
        if kind == CATEGORY:
            found = links.kind("category")
            category = found.visible().filter(slug=target).first() if found else None
            if category is None:  # no such category (news demo not loaded): the item is left out
                return None
            content_type = ContentType.objects.get_for_model(found.model)
            lookup.update(kind=MenuItem.Kind.OBJECT, content_type=content_type, object_id=category.pk)
        else:
            lookup.update({"named_page": target} if kind == PAGE else {"url": target})
        item, _created = MenuItem.objects.update_or_create(
            **lookup, defaults={"position": position, "status": "published"}
        )
        return item

    def menus(self):
        keep = set()
        for index, (title, kind, target, children) in enumerate(MAIN, start=1):
            parent = self.item("main", index * 10, title, kind, target)
            if parent is None:
                continue
            keep.add(parent.pk)
            for child_index, (child_title, child_kind, child_target) in enumerate(children, start=1):
                child = self.item("main", child_index * 10, child_title, child_kind, child_target, parent)
                if child is not None:
                    keep.add(child.pk)
        for index, (title, kind, target) in enumerate(FOOTER, start=1):
            keep.add(self.item("footer", index * 10, title, kind, target).pk)
        # The migration's default list-page items this demo regroups ("Các chuyên mục trên menu", "Góp ý" now
        # under "Hỏi đáp", …); what staff added by hand (addresses, links, categories) stays.
        MenuItem.objects.exclude(pk__in=keep).filter(parent__isnull=True, kind=PAGE, children__isnull=True).delete()

    def links(self):
        for index, (title, url, short, color) in enumerate(LINKS, start=1):
            link, created = WebLink.objects.get_or_create(url=url, defaults={"title": title, "position": index * 10})
            if created or not link.logo:
                link.logo.save(
                    f"{short.lower()}.png", ContentFile(picture(short, color, (200, 64), "logo mẫu")), save=True
                )

    def banner(self):
        if Banner.objects.filter(title="Cổng Dịch vụ công quốc gia").exists():
            return
        banner = Banner(
            place=Banner.Place.SIDEBAR,
            title="Cổng Dịch vụ công quốc gia",
            alt_text="Cổng Dịch vụ công quốc gia: nộp hồ sơ, tra cứu thủ tục trực tuyến",
            url="https://dichvucong.gov.vn",
            publish_at=timezone.now() - timedelta(days=1),
            shown_until=timezone.now() + timedelta(days=365),
        )
        banner.image.save(
            "dich-vu-cong.png",
            ContentFile(picture("Dịch vụ công", "#b0151f", (600, 200), "dichvucong.gov.vn")),
            save=False,
        )
        banner.save()

    def announcements(self):
        now = timezone.now()
        for title, url, days in (
            ("Thông báo tuyển chọn nhiệm vụ KH&CN cấp tỉnh năm 2025", "/nhiem-vu-khcn/", 60),
            ("Lịch tiếp công dân của lãnh đạo Sở tháng này", "/lich-cong-tac/", 30),
        ):
            Announcement.objects.get_or_create(
                title=title,
                defaults={
                    "url": url,
                    "publish_at": now - timedelta(days=1),
                    "shown_until": now + timedelta(days=days),
                },
            )

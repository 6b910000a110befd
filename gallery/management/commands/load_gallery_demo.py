"""Demo photo gallery and video for a fresh install (idempotent: run it twice, nothing is duplicated).

The photos are drawn here (no download: the portal works offline of the internet), marked "ẢNH MẪU" so
nobody takes them for real ones; the video is a YouTube link, played through youtube-nocookie.com."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.utils import timezone
from PIL import Image, ImageDraw

from core import media
from core.fonts import font
from gallery.models import Gallery, Photo, Video

GALLERY = "Hội nghị triển khai nhiệm vụ khoa học và công nghệ năm 2023"
PHOTOS = [
    ("Toàn cảnh hội nghị", (31, 78, 121)),
    ("Lãnh đạo Sở phát biểu khai mạc", (46, 125, 50)),
    ("Đại biểu các sở, ngành tham dự", (121, 85, 72)),
    ("Trao Bằng khen cho các tập thể", (173, 20, 87)),
    ("Tham quan gian trưng bày sản phẩm khoa học", (0, 105, 92)),
]
VIDEO = "Phóng sự: khoa học và công nghệ đồng hành cùng nông dân"


def drawn(title, colour):
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    big, small = font(54, bold=True), font(36)
    draw.text((60, 300), title, fill=(255, 255, 255), font=big)
    draw.text((60, 700), "ẢNH MẪU", fill=(255, 235, 59), font=small)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(f"{title}.jpg", out.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Add a demo photo gallery and a demo video (idempotent)."

    def handle(self, *args, **options):
        now = timezone.now()
        gallery, made = Gallery.objects.get_or_create(
            title=GALLERY,
            defaults={
                "date": timezone.localdate() - timedelta(days=3),
                "description": "Một số hình ảnh tại hội nghị (ảnh mẫu của bản demo).",
                "status": Gallery.Status.PUBLISHED,
                "publish_at": now - timedelta(days=3),
            },
        )
        if made:
            for position, (caption, colour) in enumerate(PHOTOS):
                item, _created = media.add_upload(drawn(caption, colour), title=caption, alt_text=caption)
                Photo.objects.create(gallery=gallery, item=item, caption=caption, position=position)
        _video, made_video = Video.objects.get_or_create(
            title=VIDEO,
            defaults={
                "youtube_id": "aqz-KE-bpKQ",
                "description": "Video mẫu của bản demo (phát qua youtube-nocookie.com).",
                "status": Video.Status.PUBLISHED,
                "publish_at": now - timedelta(days=2),
            },
        )
        self.stdout.write(
            f"Thư viện ảnh mẫu: {'đã thêm' if made else 'đã có'}; video mẫu: {'đã thêm' if made_video else 'đã có'}."
        )

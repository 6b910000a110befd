"""Demo site settings on the contact record: licence, copyright, "ghi rõ nguồn", social links and a clearly
marked placeholder emblem (the national emblem is uploaded by staff: no package carries it)."""

import io

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from core.fonts import font

SETTINGS = {
    "licence": "Giấy phép thiết lập trang thông tin điện tử tổng hợp số 12/GP-STTTT ngày 10/01/2023 "
    "của Sở Thông tin và Truyền thông (dữ liệu mẫu)",
    "copyright": "© Bản quyền thuộc Sở Khoa học và Công nghệ",
    "source_notice": "Ghi rõ nguồn “Cổng thông tin điện tử Sở Khoa học và Công nghệ” khi phát hành lại "
    "thông tin từ cổng thông tin này.",
    "facebook_url": "https://www.facebook.com/",
    "youtube_url": "https://www.youtube.com/",
}


def emblem_placeholder():
    image = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 156, 156), fill="#c8102e", outline="#ffd700", width=8)
    draw.text((80, 62), "★", fill="#ffd700", font=font(54, bold=True), anchor="mm")
    draw.text((80, 112), "ẢNH MẪU", fill="white", font=font(17, bold=True), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def load(contact):
    """Fill the empty settings of `contact` (ContactInfo) with the demo's; True when something changed."""
    changed = False
    for field, value in SETTINGS.items():
        if not getattr(contact, field):
            setattr(contact, field, value)
            changed = True
    if not contact.emblem:
        contact.emblem.save("quoc-huy-anh-mau.png", ContentFile(emblem_placeholder()), save=False)
        changed = True
    return changed

"""Generated old pages for measuring the import (manage.py import_site --generate N --folder DIR).

Each page is laid out like the old portal (the default rules read it), with its own photo (a distinct
800×450 JPEG), a caption, a byline, a view count and a Vietnamese date; the base URL to import them
with is http://old.example.gov.vn."""

import io
import random
from html import escape
from pathlib import Path

from PIL import Image, ImageDraw

BASE_URL = "http://old.example.gov.vn"
WORDS = [
    "khoa",
    "học",
    "công",
    "nghệ",
    "đổi",
    "mới",
    "sáng",
    "tạo",
    "doanh",
    "nghiệp",
    "hội",
    "nghị",
    "triển",
    "khai",
    "nhiệm",
    "vụ",
    "tỉnh",
    "huyện",
    "sở",
    "ban",
    "ngành",
    "tiêu",
    "chuẩn",
    "đo",
    "lường",
    "chất",
    "lượng",
    "sở",
    "hữu",
    "trí",
    "tuệ",
    "nông",
    "nghiệp",
    "ứng",
    "dụng",
    "chuyển",
    "giao",
    "nghiên",
    "cứu",
    "đề",
    "tài",
]
CATEGORIES = ["Hoạt động của Sở", "Khoa học - Công nghệ", "Tiêu chuẩn - Đo lường - Chất lượng"]


def _photo(rnd, index):
    image = Image.new("RGB", (800, 450), (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y, r = rnd.randrange(800), rnd.randrange(450), rnd.randrange(20, 120)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 255, 255), width=3)
    draw.text((10, 10), f"#{index}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _sentence(rnd):
    return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(14, 28))).capitalize() + "."


def page(index, rnd):
    title = f"Tin số {index}: " + " ".join(rnd.choice(WORDS) for _ in range(8))
    day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.randint(2012, 2023)
    category = CATEGORIES[index % len(CATEGORIES)]
    paragraphs = "".join(f"<p>{escape(' '.join(_sentence(rnd) for _ in range(3)))}</p>" for _ in range(6))
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)}</title></head><body>
<div id="header">CỔNG THÔNG TIN ĐIỆN TỬ SỞ KHOA HỌC VÀ CÔNG NGHỆ</div>
<ul class="menu"><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc.html">Tin tức</a></li></ul>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc.html">{escape(category)}</a></div>
<h1 class="article-title">{escape(title)}</h1>
<div><span class="article-date">Thứ hai, {day:02d}/{month:02d}/{year} - 09:{index % 60:02d}</span>
<span class="article-views">Lượt xem: {rnd.randint(10, 5000)}</span></div>
<div class="article-content">{paragraphs[: len(paragraphs) // 2]}
<p style="text-align:center"><img src="/Uploads/images/{index}.jpg"></p>
<p style="text-align:center"><em>Ảnh minh họa số {index}</em></p>{paragraphs[len(paragraphs) // 2 :]}
<p style="text-align:right"><strong>Nguyễn Văn An</strong></p></div>
<div class="related"><a href="/tin-tuc/1.html">Tin khác</a></div>
<div id="footer">© Sở Khoa học và Công nghệ</div></body></html>"""


def generate(folder, count, seed=1):
    """Write `count` article pages and their photos under `folder`; returns `count`."""
    root = Path(folder)
    (root / "tin-tuc").mkdir(parents=True, exist_ok=True)
    (root / "Uploads" / "images").mkdir(parents=True, exist_ok=True)
    rnd = random.Random(seed)
    for index in range(1, count + 1):
        (root / "tin-tuc" / f"tin-{index}.html").write_text(page(index, rnd), "utf-8")
        (root / "Uploads" / "images" / f"{index}.jpg").write_bytes(_photo(rnd, index))
    return count

"""Slugs: ASCII from Vietnamese titles (đ → d), unique, frozen once published."""

import pytest

from core.slugs import vn_slugify
from news.models import Article, Category


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đồng chí Nguyễn Trung Thảo", "dong-chi-nguyen-trung-thao"),
        (
            "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023",
            "so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023",
        ),
        ("ĐỔI MỚI SÁNG TẠO", "doi-moi-sang-tao"),
        ("Khen thưởng - Xử phạt", "khen-thuong-xu-phat"),
        ("KH&CN: 12/12 nhiệm vụ", "khcn-1212-nhiem-vu"),
    ],
)
def test_vietnamese_titles(title, slug):
    """Vietnamese letters lose only their accents; đ/Đ become d."""
    assert vn_slugify(title) == slug


def test_duplicate_titles_get_numbered(make_article):
    """Two articles with the same title get -2, -3 … instead of a clash."""
    slugs = [make_article("Hội nghị tổng kết").slug for _ in range(3)]
    assert slugs == ["hoi-nghi-tong-ket", "hoi-nghi-tong-ket-2", "hoi-nghi-tong-ket-3"]


def test_slug_frozen_after_publishing(make_article):
    """Renaming a published article keeps its URL; a draft's slug may still change."""
    published = make_article("Tiêu đề ban đầu")
    published.title = "Tiêu đề đã sửa"
    published.slug = "tieu-de-da-sua"
    published.save()
    published.refresh_from_db()
    assert published.slug == "tieu-de-ban-dau"

    draft = make_article("Bản nháp đầu", status=Article.Status.DRAFT)
    draft.slug = "ban-nhap-moi"
    draft.save()
    draft.refresh_from_db()
    assert draft.slug == "ban-nhap-moi"


def test_category_slug_from_name(db):
    """Categories get their slug from the name the same way."""
    assert Category.objects.create(name="Đo lường chất lượng").slug == "do-luong-chat-luong"

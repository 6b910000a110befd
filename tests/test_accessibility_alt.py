"""Every image an editor adds needs a text alternative (Circular 26/2020/TT-BTTTT, WCAG 1.1.1)."""

import pytest
from django.utils import timezone

from core.forms import check_image_alts
from news.forms import ArticleAdminForm

MESSAGE = "ảnh trong nội dung chưa có mô tả cho người khiếm thị"


def article_data(category, body):
    return {
        "title": "Bài có ảnh",
        "category": category.pk,
        "summary": "",
        "body": body,
        "status": "draft",
        "publish_at": timezone.now().strftime("%Y-%m-%d %H:%M:%S"),
        "author": "",
        "source": "",
    }


@pytest.mark.parametrize(
    "body",
    [
        '<p>Ảnh:</p><figure class="image"><img src="/media/editor/a.jpg"></figure>',
        '<figure class="image"><img src="/media/editor/a.jpg" alt=""></figure>',
        '<p><img alt="   " src="/media/editor/a.jpg"></p>',
        '<p><IMG SRC="/media/editor/a.jpg"></p>',
    ],
)
def test_body_image_without_alt_is_refused_in_vietnamese(category, body):
    form = ArticleAdminForm(data=article_data(category, body))
    assert not form.is_valid()
    (error,) = form.errors["body"]
    assert error.startswith("Có 1 " + MESSAGE)
    assert "“Đổi chữ alt của ảnh”" in error


def test_counts_every_image_missing_its_alt(category):
    body = '<img src="/a.jpg"><img src="/b.jpg" alt="Đại biểu dự hội nghị"><img src="/c.jpg">'
    form = ArticleAdminForm(data=article_data(category, body))
    assert not form.is_valid()
    assert form.errors["body"][0].startswith("Có 2 " + MESSAGE)


def test_body_images_with_alt_are_accepted(category):
    body = (
        '<figure class="image"><img src="/media/editor/a.jpg" alt="Các đại biểu dự Hội nghị">'
        "<figcaption>Các đại biểu dự Hội nghị</figcaption></figure><p>Không ảnh.</p>"
    )
    form = ArticleAdminForm(data=article_data(category, body))
    assert form.is_valid(), form.errors
    assert check_image_alts("") == "" and check_image_alts(None) is None


def test_admin_keeps_the_article_unsaved_and_says_why(client, publisher, category):
    from news.models import Article

    client.force_login(publisher)
    data = article_data(category, '<p>Xem ảnh</p><figure class="image"><img src="/media/editor/a.jpg"></figure>')
    data.update(
        {
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "publish_at_0": "10/01/2023",
            "publish_at_1": "14:00",
        }
    )
    response = client.post("/admin/news/article/add/", data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Article.objects.filter(title="Bài có ảnh").exists()

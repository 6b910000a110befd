"""Only Article.objects.published() reaches readers: drafts, pending, archived and future never leak."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article

HIDDEN = [
    ("draft", {"status": Article.Status.DRAFT}),
    ("pending", {"status": Article.Status.PENDING}),
    ("archived", {"status": Article.Status.ARCHIVED}),
    ("future", {"status": Article.Status.PUBLISHED, "publish_at_delta": timedelta(days=2)}),
]


@pytest.fixture
def hidden_article(request, make_article):
    fields = dict(request.param[1])
    delta = fields.pop("publish_at_delta", None)
    publish_at = timezone.now() + delta if delta else None
    return make_article(f"Bài ẩn {request.param[0]}", publish_at=publish_at, featured=True, **fields)


@pytest.mark.parametrize("hidden_article", HIDDEN, indirect=True, ids=[h[0] for h in HIDDEN])
class TestHiddenArticles:
    def test_article_page_is_404(self, client, hidden_article):
        """The article page of a hidden article is a 404 for the public."""
        response = client.get(hidden_article.get_absolute_url())
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()

    def test_not_on_home_or_category(self, client, hidden_article, article):
        """Home and category listings show the published article but never the hidden one."""
        for url in (reverse("news:home"), hidden_article.category.get_absolute_url()):
            html = client.get(url).content.decode()
            assert article.title in html
            assert hidden_article.title not in html

    def test_not_in_related(self, client, hidden_article, article):
        """Related articles on a public article page never include the hidden one."""
        html = client.get(article.get_absolute_url()).content.decode()
        assert hidden_article.title not in html

    def test_staff_preview(self, client, hidden_article, publisher):
        """Staff who may change articles preview it with a banner and no caching."""
        client.force_login(publisher)
        response = client.get(hidden_article.get_absolute_url())
        assert response.status_code == 200
        assert "Xem trước" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert "X-Article-Id" not in response


def test_published_queryset_is_the_rule(make_article):
    """published() keeps exactly the published articles whose time has come."""
    visible = make_article("Hiện")
    make_article("Nháp", status=Article.Status.DRAFT)
    make_article("Hẹn giờ", publish_at=timezone.now() + timedelta(minutes=5))
    assert list(Article.objects.published()) == [visible]


def test_scheduled_article_appears_when_its_time_comes(client, make_article):
    """A scheduled article becomes visible once publish_at passes, with no other action."""
    scheduled = make_article("Tin hẹn giờ", publish_at=timezone.now() + timedelta(hours=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=scheduled.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert client.get(scheduled.get_absolute_url()).status_code == 200

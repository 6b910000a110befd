"""Editors write and submit; publishers publish. The admin speaks Vietnamese."""

import pytest
from django.urls import reverse

from news.models import Article


def article_form(category, **overrides):
    data = {
        "title": "Bài mới của biên tập viên",
        "slug": "",
        "category": category.pk,
        "summary": "Tóm tắt",
        "body": "<p>Nội dung <script>alert(1)</script></p>",
        "cover_caption": "",
        "cover_alt": "",
        "status": Article.Status.PENDING,
        "publish_at_0": "10/01/2023",
        "publish_at_1": "14:00:00",
        "author": "Dương Liễu",
        "source": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_submits_for_review(client, editor, category):
    """An editor's new article is stored pending review, stamped with who wrote it."""
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), article_form(category, _wf_submit="1"))  # "Gửi duyệt"
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.status == Article.Status.PENDING
    assert article.created_by == editor and article.updated_by == editor
    assert "<script" not in article.body


def test_editor_cannot_publish(client, editor, category):
    """“Duyệt & xuất bản” is refused for an editor, with a message, and nothing is saved."""
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), article_form(category, _wf_publish="1"))
    assert response.status_code == 200
    assert "Bạn không có quyền duyệt" in response.content.decode()
    assert not Article.objects.exists()


def test_editor_cannot_change_published_article(client, editor, article):
    """An editor's change to a published article is only a working copy (core/workflow): readers keep the text."""
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, article_form(article.category, title="Sửa trộm"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title != "Sửa trộm"
    assert client.get(url).context["adminform"].form["title"].value() == "Sửa trộm"  # kept, waiting for review


def test_editor_has_no_publish_action(client, editor, make_article):
    """The bulk publish action is not offered to editors and does nothing if forced."""
    draft = make_article("Nháp", status=Article.Status.PENDING)
    client.force_login(editor)
    changelist = reverse("admin:news_article_changelist")
    assert "Xuất bản các bài viết đã chọn" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PENDING


def test_publisher_publishes_pending_article(client, publisher, make_article):
    """A publisher's bulk action publishes pending articles; they then show on the site."""
    pending = make_article("Bài chờ duyệt", status=Article.Status.PENDING)
    client.force_login(publisher)
    response = client.post(
        reverse("admin:news_article_changelist"), {"action": "publish", "_selected_action": [pending.pk]}, follow=True
    )
    assert "Đã xuất bản 1 bài" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Article.Status.PUBLISHED and pending.updated_by == publisher
    assert client.get(pending.get_absolute_url()).status_code == 200


def test_publisher_unpublishes(client, publisher, article):
    """Unpublishing takes an article off the site at once."""
    client.force_login(publisher)
    client.post(reverse("admin:news_article_changelist"), {"action": "unpublish", "_selected_action": [article.pk]})
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url_name", ["admin:news_article_changelist", "admin:news_article_add", "admin:index"])
def test_admin_in_vietnamese(client, publisher, url_name):
    """The admin pages are in Vietnamese."""
    client.force_login(publisher)
    html = client.get(reverse(url_name)).content.decode()
    assert "bài viết" in html.lower()
    assert 'lang="vi"' in html


def test_admin_changelist_query_count(client, publisher, make_article, django_assert_max_num_queries):
    """The article list costs the same few queries with 3 or 30 articles."""
    for i in range(30):
        make_article(f"Bài {i}")
    client.force_login(publisher)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:news_article_changelist")).status_code == 200

"""History (django-reversion through core/revisions.py): every save keeps a version; "Lịch sử" lists them,
two are compared with the changed words marked, "Khôi phục" makes an old one a draft (never the live row
itself), deleted drafts come back from "Đã xoá"; faults get a Vietnamese message, never a 500."""

import pytest
from django.urls import reverse
from reversion.models import Version

from core.revisions import mark_words
from core.workflow import service
from core.workflow.models import WorkingCopy
from news.models import Article, Category

from .test_workflow import article_data, change_url, named, text, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(editor, publisher):
    return named(editor, publisher)


def history_url(obj):
    return reverse("admin:news_article_history", args=[obj.pk])


def save(client, article, button="_wf_save", **changes):
    article = Article.objects.get(pk=article.pk)
    response = client.post(
        change_url(article), article_data(article, wf_token=token_of(client, article), **{button: "1"}, **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def test_mark_words_marks_only_what_changed():
    old, new = mark_words("Sở triển khai nhiệm vụ năm 2023", "Sở triển khai nhiệm vụ năm 2024")
    assert str(old) == "Sở triển khai nhiệm vụ năm <del>2023</del>"
    assert str(new) == "Sở triển khai nhiệm vụ năm <ins>2024</ins>"
    old, new = mark_words("<b>x</b>", "<b>y</b>")
    assert "&lt;b&gt;" in str(old)  # escaped, never markup


def test_every_save_is_a_version_and_history_compares_them(client, people, make_article):
    _editor, publisher = people
    draft = make_article("Bản đầu tiên", status=Article.Status.DRAFT, body="<p>Câu thứ nhất.</p>")
    client.force_login(publisher)
    save(client, draft, title="Bản thứ hai", body="<p>Câu thứ nhất. Câu thêm vào.</p>")
    save(client, draft, "_wf_publish", title="Bản thứ ba")
    versions = list(Version.objects.get_for_object(draft))
    assert len(versions) >= 3
    page = text(client.get(history_url(draft)))
    assert "Duyệt &amp; xuất bản" in page and "Khôi phục" in page and "So sánh hai phiên bản đã chọn" in page
    first, last = versions[-1], versions[0]
    compare = client.get(reverse("admin:news_article_compare", args=[draft.pk]), {"a": first.pk, "b": last.pk})
    page = text(compare)
    assert compare.status_code == 200
    assert "<del>đầu tiên</del>" in page and "<ins>thứ ba</ins>" in page and "Câu thêm vào.</ins>" in page


def test_restore_turns_an_old_version_into_a_draft_of_the_live_article(client, people, make_article):
    _editor, publisher = people
    article = make_article("Tiêu đề gốc", status=Article.Status.DRAFT)
    client.force_login(publisher)
    save(client, article, "_wf_publish")
    first = Version.objects.get_for_object(article).first()
    save(client, article, "_wf_publish", title="Tiêu đề thứ hai")
    response = client.post(reverse("admin:news_article_restore", args=[article.pk, first.pk]), follow=True)
    assert "Đã khôi phục phiên bản thành bản nháp" in text(response)
    article.refresh_from_db()
    assert article.title == "Tiêu đề thứ hai"  # the live row is untouched
    copy = WorkingCopy.objects.get(object_id=article.pk)
    assert copy.data["title"] == "Tiêu đề gốc" and copy.state == WorkingCopy.State.DRAFT
    assert response.context["adminform"].form["title"].value() == "Tiêu đề gốc"
    save(client, article, "_wf_publish", title="Tiêu đề gốc")
    article.refresh_from_db()
    assert article.title == "Tiêu đề gốc"


def test_restore_a_version_whose_category_was_deleted(client, people, make_article, category):
    _editor, publisher = people
    old_home = Category.objects.create(name="Chuyên mục sẽ bị xoá", slug="se-bi-xoa")
    article = make_article("Bài đổi chuyên mục", status=Article.Status.DRAFT, category=old_home)
    client.force_login(publisher)
    save(client, article, "_wf_publish")
    in_old_home = Version.objects.get_for_object(article).first()
    save(client, article, "_wf_publish", category=category.pk)
    old_home.delete()
    response = client.post(reverse("admin:news_article_restore", args=[article.pk, in_old_home.pk]), follow=True)
    page = text(response)
    assert response.status_code == 200
    assert "Chuyên mục của phiên bản này đã bị xoá" in page
    assert response.context["adminform"].form["title"].value() == "Bài đổi chuyên mục"  # the text came back
    # Approving it as it is is refused plainly; choosing a category lets it through.
    article.refresh_from_db()
    bad = article_data(article, category="", wf_token=token_of(client, article), _wf_publish="1")
    assert client.post(change_url(article), bad).status_code == 200
    save(client, article, "_wf_publish", category=category.pk)


def test_restore_an_old_draft_whose_slug_is_now_taken(client, people, make_article):
    _editor, publisher = people
    draft = make_article("Hội thảo khoa học", status=Article.Status.DRAFT)
    client.force_login(publisher)
    save(client, draft)
    old = Version.objects.get_for_object(draft).first()
    save(client, draft, title="Hội thảo đổi tên", slug="hoi-thao-doi-ten")
    make_article("Bài khác cùng tên", slug="hoi-thao-khoa-hoc")
    response = client.post(reverse("admin:news_article_restore", args=[draft.pk, old.pk]), follow=True)
    page = text(response)
    assert "Đường dẫn “hoi-thao-khoa-hoc” đã có mục khác dùng" in page
    assert WorkingCopy.objects.get(object_id=draft.pk).data["slug"] != "hoi-thao-khoa-hoc"


def test_deleted_draft_comes_back_from_the_deleted_list(client, people, make_article, category):
    _editor, publisher = people
    draft = make_article("Bản nháp bị xoá nhầm", status=Article.Status.DRAFT)
    pk = draft.pk
    client.force_login(publisher)
    save(client, draft)
    response = client.post(reverse("admin:news_article_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302 and not Article.objects.filter(pk=pk).exists()
    page = text(client.get(reverse("admin:news_article_deleted")))
    assert "Bản nháp bị xoá nhầm" in page
    make_article("Bài mới trùng đường dẫn", slug=draft.slug)
    version = service.revisions.deleted(Article).first()
    response = client.post(reverse("admin:news_article_restore_deleted", args=[version.pk]), follow=True)
    restored = Article.objects.get(pk=pk)
    assert restored.status == Article.Status.DRAFT and restored.slug != draft.slug
    assert "đã có mục khác dùng" in text(response)


def test_deleted_draft_whose_category_is_gone_asks_for_another(client, people, make_article, category):
    _editor, publisher = people
    gone = Category.objects.create(name="Chuyên mục cũ", slug="chuyen-muc-cu")
    draft = make_article("Bản nháp mồ côi", status=Article.Status.DRAFT, category=gone)
    client.force_login(publisher)
    save(client, draft)
    client.post(reverse("admin:news_article_delete", args=[draft.pk]), {"post": "yes"})
    gone.delete()
    version = service.revisions.deleted(Article).first()
    url = reverse("admin:news_article_restore_deleted", args=[version.pk])
    page = text(client.get(url))
    assert "Chuyên mục cũ đã bị xoá" in page or "đã bị xoá: chọn" in page
    response = client.post(url, {})
    assert response.status_code == 200 and "hãy chọn chuyên mục thay thế" in text(response)
    client.post(url, {"category": category.pk})
    assert Article.objects.get(title="Bản nháp mồ côi").category == category

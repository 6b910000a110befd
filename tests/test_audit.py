"""Audit trail: who created, edited, published, unpublished or deleted each article and who answered
each feedback, read in the admin's "Nhật ký thao tác" (superusers and the "Duyệt bài" group only)."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.models import AuditEntry
from feedback.models import Feedback
from news.models import Article

from .test_admin_roles import article_form
from .test_feedback_admin import answer_form, change_url
from .test_feedback_support import answered, make_feedback, staff_user, text_of

pytestmark = pytest.mark.django_db

LOG_URL = "/admin/audit/auditentry/"
ARTICLES = "/admin/news/article/"
FEEDBACK = "/admin/feedback/feedback/"


def entries_for(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        LogEntry.objects.filter(content_type=content_type, object_id=str(obj.pk)).order_by("action_time", "id")
    )


def messages_for(obj):
    return [(entry.user.username, entry.action_flag, entry.get_change_message()) for entry in entries_for(obj)]


# --- Articles --------------------------------------------------------------------------------------


def test_creating_and_editing_are_logged(client, editor, category):
    """Adding a draft and editing it leave "added" and "changed" entries in the editor's name."""
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), article_form(category, status=Article.Status.DRAFT))
    assert response.status_code == 302
    article = Article.objects.get()
    client.post(
        reverse("admin:news_article_change", args=[article.pk]),
        article_form(category, status=Article.Status.DRAFT, title="Tiêu đề đã sửa"),
    )
    (added, changed) = messages_for(article)
    assert added[:2] == ("bientap", ADDITION)
    assert changed[:2] == ("bientap", CHANGE) and "Tiêu đề" in changed[2]


def test_bulk_publish_is_logged(client, publisher, make_article):
    """The publish action writes one entry per article, saying it was published and from what state."""
    pending = make_article("Bài chờ duyệt", status=Article.Status.PENDING)
    draft = make_article("Bài nháp", status=Article.Status.DRAFT)
    client.force_login(publisher)
    client.post(ARTICLES, {"action": "publish", "_selected_action": [pending.pk, draft.pk]})
    assert messages_for(pending) == [("duyetbai", CHANGE, "Xuất bản bài viết (trước đó: “Chờ duyệt”)")]
    assert messages_for(draft) == [("duyetbai", CHANGE, "Xuất bản bài viết (trước đó: “Bản nháp”)")]


def test_bulk_unpublish_and_submit_are_logged(client, publisher, editor, article, make_article):
    """Unpublishing (publishers) and submitting for review (editors) are named in the trail."""
    client.force_login(publisher)
    client.post(ARTICLES, {"action": "unpublish", "_selected_action": [article.pk]})
    assert messages_for(article) == [("duyetbai", CHANGE, "Gỡ bài viết xuống (trước đó: “Đã xuất bản”)")]
    draft = make_article("Bản nháp của biên tập viên", status=Article.Status.DRAFT)
    client.force_login(editor)
    client.post(ARTICLES, {"action": "submit_for_review", "_selected_action": [draft.pk]})
    assert messages_for(draft) == [("bientap", CHANGE, "Gửi duyệt bài viết (trước đó: “Bản nháp”)")]


def test_publishing_from_the_form_is_logged(client, publisher, make_article):
    """ "Duyệt & xuất bản" in the change form (core/workflow) is logged as a publication, besides the field change."""
    pending = make_article("Bài chờ duyệt", status=Article.Status.PENDING)
    client.force_login(publisher)
    response = client.post(
        reverse("admin:news_article_change", args=[pending.pk]),
        article_form(pending.category, title=pending.title, _wf_publish="1"),
    )
    assert response.status_code == 302
    messages = [message for _, _, message in messages_for(pending)]
    assert "Duyệt & xuất bản" in messages


def test_deleting_is_logged(client, publisher, article):
    """Deleting an article leaves a deletion entry with its title."""
    client.force_login(publisher)
    url = reverse("admin:news_article_delete", args=[article.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    (entry,) = LogEntry.objects.filter(action_flag=DELETION)
    assert entry.user.username == "duyetbai" and entry.object_repr == article.title


# --- Feedback --------------------------------------------------------------------------------------


@pytest.fixture
def receiver(django_user_model):
    return staff_user(django_user_model, username="tiepnhan")


def test_answering_feedback_is_logged(client, receiver):
    """Answering, then correcting the answer, are both in the trail under the staff member's name."""
    item = make_feedback()
    client.force_login(receiver)
    client.post(change_url(item), answer_form(answer="Sở trả lời như sau."))
    client.post(change_url(item), answer_form(status="answered", answer="Sở trả lời lại, đầy đủ hơn."))
    messages = [message for _, _, message in messages_for(item)]
    assert messages.count("Trả lời góp ý") == 1
    assert messages.count("Sửa câu trả lời góp ý") == 1
    assert {user for user, _, _ in messages_for(item)} == {"tiepnhan"}


def test_feedback_bulk_actions_are_logged(client, receiver):
    """Moving to "Đang xử lý", spam, rejection and (un)publishing on the Q&A page are each logged."""
    fresh, junk, off_topic = make_feedback(), make_feedback(), make_feedback()
    done = answered()
    client.force_login(receiver)
    client.post(FEEDBACK, {"action": "mark_in_progress", "_selected_action": [fresh.pk]})
    client.post(FEEDBACK, {"action": "mark_spam", "_selected_action": [junk.pk]})
    client.post(FEEDBACK, {"action": "mark_rejected", "_selected_action": [off_topic.pk]})
    client.post(FEEDBACK, {"action": "publish", "_selected_action": [done.pk, fresh.pk]})
    client.post(FEEDBACK, {"action": "unpublish", "_selected_action": [done.pk]})
    assert [m for _, _, m in messages_for(fresh)] == ["Đổi trạng thái góp ý: “Mới” → “Đang xử lý”"]
    assert [m for _, _, m in messages_for(junk)] == ["Đổi trạng thái góp ý: “Mới” → “Spam”"]
    assert [m for _, _, m in messages_for(off_topic)] == ["Đổi trạng thái góp ý: “Mới” → “Từ chối”"]
    assert [m for _, _, m in messages_for(done)] == [
        "Công khai câu hỏi trên trang Hỏi đáp",
        "Thôi công khai câu hỏi trên trang Hỏi đáp",
    ]
    assert Feedback.objects.get(pk=fresh.pk).status == Feedback.Status.IN_PROGRESS


# --- Reading the trail -----------------------------------------------------------------------------


def test_trail_is_read_only_for_publishers_and_superusers(client, publisher, editor, admin_user, make_article):
    """Superusers and "Duyệt bài" read the trail, with filters and search; nobody can add, edit or delete it;
    editors and feedback staff do not see it."""
    pending = make_article("Bài <b>đặc biệt</b>", status=Article.Status.PENDING)
    client.force_login(publisher)
    client.post(ARTICLES, {"action": "publish", "_selected_action": [pending.pk]})
    entry = AuditEntry.objects.get()
    for user in (publisher, admin_user):
        client.force_login(user)
        html = text_of(client.get(LOG_URL))
        assert "Nhật ký thao tác" in text_of(client.get("/admin/"))
        assert "Xuất bản bài viết (trước đó: “Chờ duyệt”)" in html
        assert "Bài &lt;b&gt;đặc biệt&lt;/b&gt;" in html and "<b>đặc biệt" not in html
        assert f'href="/admin/news/article/{pending.pk}/change/"' in html
        assert "duyetbai" in html
        published = "Xuất bản bài viết (trước đó"
        assert published in text_of(client.get(LOG_URL, {"viec": "publish"}))
        assert published not in text_of(client.get(LOG_URL, {"viec": "answer"}))
        assert published in text_of(client.get(LOG_URL, {"q": "đặc biệt"}))
        assert client.get(f"{LOG_URL}add/").status_code == 403
        assert client.post(f"{LOG_URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
        assert client.post(f"{LOG_URL}{entry.pk}/change/", {"change_message": "sửa"}).status_code in (403, 200)
        assert AuditEntry.objects.get().change_message == entry.change_message
    for user in (editor, staff_user_for_feedback()):
        client.force_login(user)
        assert client.get(LOG_URL).status_code == 403
        assert "Nhật ký thao tác" not in text_of(client.get("/admin/"))


def staff_user_for_feedback():
    from django.contrib.auth import get_user_model

    return staff_user(get_user_model(), username="nhanvien")

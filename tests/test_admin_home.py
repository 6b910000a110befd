"""The admin home by task: each role sees the cards of what waits for it, with counts and links to the
lists that show exactly those items; technical apps only for "Quản trị"; a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from core import admincards
from core.mail import OutgoingMail
from documents.models import Document, DocumentType, IssuingBody
from feedback.models import Feedback
from news.models import Article

from .test_feedback_support import make_feedback

TECHNICAL = {"axes", "otp_totp", "audit", "core"}


def user_in(django_user_model, username, *roles):
    user = django_user_model.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=roles))
    return user


def cards_of(response):
    return {card.name: card for card in response.context["admin_cards"]}


@pytest.fixture
def waiting(db, make_article, editor):
    """Two articles pending, one draft of the editor and one of someone else, feedback new and overdue,
    a document expiring next week and one next year, a failed e-mail."""
    make_article("Chờ duyệt một", status=Article.Status.PENDING)
    make_article("Chờ duyệt hai", status=Article.Status.PENDING)
    make_article("Nháp của tôi", status=Article.Status.DRAFT, created_by=editor)
    make_article("Nháp của người khác", status=Article.Status.DRAFT)
    make_feedback()
    old = make_feedback()
    Feedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=60))
    issuer = IssuingBody.objects.create(name="Ủy ban nhân dân tỉnh")
    kind = DocumentType.objects.first()
    for number, days in (("1/QĐ", 7), ("2/QĐ", 400)):
        Document.objects.create(
            doc_type=kind,
            number=number,
            issuer=issuer,
            summary="Văn bản",
            issued_on=date(2023, 1, 1),
            expires_on=timezone.localdate() + timedelta(days=days),
            is_published=True,
        )
    OutgoingMail.objects.create(subject="Thư mời", to=["a@example.vn"], status=OutgoingMail.Status.FAILED)


def test_editor_sees_own_drafts_only(client, editor, waiting):
    """An editor sees "Bài của tôi đang nháp" (their own draft only) and the expiring documents, nothing technical."""
    client.force_login(editor)
    response = client.get(reverse("admin:index"))
    cards = cards_of(response)
    assert set(cards) == {"news-my-drafts", "documents-expiring"}
    drafts = cards["news-my-drafts"].figures[0]
    assert drafts.count == 1
    listed = client.get(drafts.url)
    assert listed.context["cl"].result_count == 1
    assert "Nháp của tôi" in listed.content.decode()
    expiring = cards["documents-expiring"].figures[0]
    assert expiring.count == 1 and client.get(expiring.url).context["cl"].result_count == 1
    assert not technical_screens(response)  # the media library ("Thư viện tệp", in core) is a task screen
    html = response.content.decode()
    assert "Bài của tôi đang nháp" in html and "Bài chờ duyệt" not in html


def test_publisher_sees_pending(client, publisher, waiting):
    """A publisher's card counts the articles waiting for review and links to that list."""
    client.force_login(publisher)
    cards = cards_of(client.get(reverse("admin:index")))
    pending = cards["news-pending"].figures[0]
    assert pending.count == 2
    assert client.get(pending.url).context["cl"].result_count == 2


def test_feedback_staff_see_new_and_overdue(client, django_user_model, waiting):
    """Feedback staff see new and overdue items; each link lists what was counted."""
    client.force_login(user_in(django_user_model, "gopy", "Tiếp nhận góp ý"))
    response = client.get(reverse("admin:index"))
    assert set(cards_of(response)) == {"feedback"}
    new, overdue = cards_of(response)["feedback"].figures
    assert (new.count, overdue.count) == (2, 1)
    assert client.get(new.url).context["cl"].result_count == 2
    assert client.get(overdue.url).context["cl"].result_count == 1
    assert 'class="portal-count">1</span> <span class="portal-label">quá hạn trả lời' in response.content.decode()


def test_administrator_sees_technical_apps_and_failed_mail(client, django_user_model, waiting):
    """The role "Quản trị" sees the technical apps, after the task apps, and the failed e-mail card."""
    client.force_login(user_in(django_user_model, "quantri", "Quản trị"))
    response = client.get(reverse("admin:index"))
    labels = [app["app_label"] for app in response.context["app_list"]]
    # The import from the old portal ("Tin bài" › "Trang đã chuyển từ cổng cũ", news/admin.py), a task app; then
    # staff accounts, then the logs.
    assert labels == ["news", "auth", "audit", "core", "axes", "otp_totp"]
    assert cards_of(response)["mail-failed"].figures[0].count == 1
    html = response.content.decode()
    assert "Thêm cán bộ" in html  # the onboarding link stays


def technical_screens(response):
    """The technical apps' screens in the index, apart from the media library (a task screen kept in core)."""
    return {
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        if app["app_label"] in TECHNICAL
        for model in app["models"]
    } - {("core", "MediaItem")}


def test_technical_apps_hidden_for_others(client, publisher):
    """A publisher may read the audit log by URL but the index and menu do not list technical apps."""
    client.force_login(publisher)
    response = client.get(reverse("admin:index"))
    assert not technical_screens(response)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200


def test_recent_activity(client, editor, publisher, article, category):
    """Recent activity: a publisher (audit reader) sees everyone's actions, an editor those on their models."""
    LogEntry.objects.log_actions(
        user_id=publisher.pk, queryset=[article], action_flag=CHANGE, change_message="Xuất bản bài viết"
    )
    LogEntry.objects.log_actions(user_id=publisher.pk, queryset=[category], action_flag=CHANGE, change_message="x")
    client.force_login(publisher)
    assert len(client.get(reverse("admin:index")).context["recent_activity"]) == 2
    client.force_login(editor)
    entries = client.get(reverse("admin:index")).context["recent_activity"]
    assert {entry.object_repr for entry in entries} == {str(article), str(category)}  # both are in its app list


@pytest.mark.parametrize("role", ["Biên tập viên", "Duyệt bài", "Tiếp nhận góp ý", "Quản trị"])
def test_admin_home_queries_fixed(client, django_user_model, waiting, role, django_assert_max_num_queries):
    """The admin home costs a fixed number of queries, whatever the data: one per figure shown, plus the
    session, user, permissions, group check and recent activity."""
    client.force_login(user_in(django_user_model, "nguoidung", role))
    client.get(reverse("admin:index"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200


def test_registry_permission_and_order():
    """Cards are given in order and only to users with their permission."""

    class Anyone:
        def has_perm(self, perm):
            return perm == "x.ok"

    class Request:
        user = Anyone()

    saved = dict(admincards._cards)
    try:
        admincards._cards.clear()
        admincards.register("b", "B", admincards.Figure("b", lambda r: 2, lambda r: "/b"), "x.ok", order=2)
        admincards.register("a", "A", admincards.Figure("a", lambda r: 1, lambda r: "/a"), "x.ok", order=1)
        admincards.register("c", "C", admincards.Figure("c", lambda r: 3, lambda r: "/c"), "x.no", order=0)
        assert [card.name for card in admincards.visible(Request())] == ["a", "b"]
    finally:
        admincards._cards.clear()
        admincards._cards.update(saved)

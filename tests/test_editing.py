"""Autosave slots and edit locks of admin forms (core/editing.py, core/editstate.py), on PostgreSQL."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from core import editstate
from core.editing import word_diff
from core.editstate import AutosaveSlot, EditLock
from documents.models import Field, Procedure
from news.models import Article
from pages.models import Page


class FormValues(HTMLParser):
    """The (name, value) pairs a browser would submit for the form with `form_id` (no files, no buttons)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.values = form_id, False, []
        self.select = self.textarea = None
        self.options = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("file", "submit", "button", "image", "reset"):
                self.values.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self.select, self.options = a, []
        elif tag == "option" and self.select is not None:
            self.options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and "multiple" not in self.select:
                chosen = [self.options[0][0]]
            self.values += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.values.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_values(response, form_id):
    parser = FormValues(form_id)
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    return data


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


def editing_url(obj, name):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/editing/{name}/"


def named(django_user_model, username, group, full_name):
    from django.contrib.auth.models import Group

    first, last = full_name.rsplit(" ", 1)
    user = django_user_model.objects.create_user(
        username=username, password="mat-khau-123", is_staff=True, first_name=first, last_name=last
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def an(db, django_user_model):
    return named(django_user_model, "an.nguyen", "Biên tập viên", "Nguyễn Văn An")


@pytest.fixture
def binh(db, django_user_model):
    return named(django_user_model, "binh.tran", "Biên tập viên", "Trần Thị Bình")


@pytest.fixture
def chi(db, django_user_model):
    return named(django_user_model, "chi.le", "Duyệt bài", "Lê Minh Chi")


@pytest.fixture
def draft(make_article):
    return make_article("Bản nháp về đề tài nấm linh chi", status=Article.Status.DRAFT, summary="Tóm tắt cũ.")


def article_type():
    return ContentType.objects.get_for_model(Article)


# The lock itself ---------------------------------------------------------------------------------------


def test_lock_is_kept_by_heartbeats_and_expires_when_they_stop(an, binh, draft):
    """The holder keeps the lock and its "since" while beating; two minutes without a beat free it."""
    start = timezone.now()
    lock = editstate.acquire(an, article_type(), draft.pk, now=start)
    assert lock.user == an and lock.acquired_at == start
    lock = editstate.acquire(an, article_type(), draft.pk, now=start + timedelta(seconds=60))
    assert lock.user == an and lock.acquired_at == start  # still "since" the first opening
    lock = editstate.acquire(binh, article_type(), draft.pk, now=start + timedelta(seconds=90))
    assert lock.user == an  # Bình meets An's lock
    assert editstate.held_by_other(binh, article_type(), draft.pk, now=start + timedelta(seconds=90)) == lock
    later = start + timedelta(seconds=60 + 121)  # An's tab is gone: no beat for more than two minutes
    assert editstate.held_by_other(binh, article_type(), draft.pk, now=later) is None
    lock = editstate.acquire(binh, article_type(), draft.pk, now=later)
    assert lock.user == binh and lock.acquired_at == later
    assert EditLock.objects.count() == 1


def test_take_over_moves_the_lock_at_once(an, chi, draft):
    editstate.acquire(an, article_type(), draft.pk)
    lock = editstate.acquire(chi, article_type(), draft.pk, force=True)
    assert lock.user == chi
    assert editstate.held_by_other(an, article_type(), draft.pk) == lock


# The change form ---------------------------------------------------------------------------------------


def test_second_editor_meets_the_lock_read_only(an, binh, draft):
    """Bình opens what An edits: who and since when, the admin's read-only view, no "Tiếp quản" for an editor."""
    first = logged_in(an).get(change_url(draft))
    assert first.status_code == 200 and 'name="title"' in first.content.decode()
    since = timezone.localtime(EditLock.objects.get().acquired_at).strftime("%H:%M")

    page = logged_in(binh).get(change_url(draft)).content.decode()
    assert f"Đang được Nguyễn Văn An chỉnh sửa từ {since}." in page
    assert "chế độ chỉ đọc" in page
    assert 'name="title"' not in page and 'name="summary"' not in page  # read-only: the values, no inputs
    assert "Tiếp quản" not in page  # editors cannot publish, so they cannot take over
    assert EditLock.objects.get().user == an


def test_publisher_takes_over_and_the_first_editor_is_told(an, chi, draft):
    """Chi (Duyệt bài) takes over; An's tab learns it at its next heartbeat; An's save is refused, text kept."""
    writer = logged_in(an)
    opened = writer.get(change_url(draft))
    data = form_values(opened, "article_form")
    assert writer.post(editing_url(draft, "heartbeat")).json() == {"ok": True, "lock": "held"}

    publisher = logged_in(chi)
    page = publisher.get(change_url(draft)).content.decode()
    assert "Đang được Nguyễn Văn An chỉnh sửa từ" in page and "Tiếp quản" in page
    taken = publisher.post(editing_url(draft, "takeover"), follow=True)
    assert taken.redirect_chain[-1][0] == change_url(draft)
    assert "Bạn đã tiếp quản việc chỉnh sửa. Nguyễn Văn An sẽ được báo" in taken.content.decode()
    assert 'name="title"' in taken.content.decode()  # Chi now edits
    assert EditLock.objects.get().user == chi

    beat = writer.post(editing_url(draft, "heartbeat")).json()
    assert beat["ok"] is False and beat["lock"] == "lost"
    assert beat["message"].startswith("Lê Minh Chi đã tiếp quản việc chỉnh sửa lúc ")

    data["title"] = ["Tiêu đề An vừa sửa xong"]
    refused = writer.post(change_url(draft), data)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Chưa lưu: Lê Minh Chi đã tiếp quản việc chỉnh sửa từ" in body
    assert 'value="Tiêu đề An vừa sửa xong"' in body  # the form again, with what An typed
    draft.refresh_from_db()
    assert draft.title == "Bản nháp về đề tài nấm linh chi"
    slot = AutosaveSlot.objects.get(user=an)
    assert slot.data["title"] == ["Tiêu đề An vừa sửa xong"] and slot.object_id == str(draft.pk)

    # Once Chi has left (the lock released), An's same save goes through and the slot is done with.
    publisher.post(editing_url(draft, "heartbeat"), {"release": "1"})
    saved = writer.post(change_url(draft), data)
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Tiêu đề An vừa sửa xong"
    assert not AutosaveSlot.objects.exists() and not EditLock.objects.exists()


def test_an_editor_cannot_take_over(an, binh, draft):
    logged_in(an).get(change_url(draft))
    response = logged_in(binh).post(editing_url(draft, "takeover"))
    assert response.status_code == 403
    assert response.json()["message"] == "Bạn không có quyền sửa mục này."
    assert EditLock.objects.get().user == an


def test_lock_of_an_expired_session_frees_itself(an, binh, draft, settings):
    """An's session ends: the heartbeat is told so (no login page), beats stop counting, the lock expires."""
    writer = logged_in(an)
    writer.get(change_url(draft))
    writer.logout()
    beat = writer.post(editing_url(draft, "heartbeat"))
    assert beat.status_code == 401 and beat.json()["session"] == "expired"
    assert "Phiên đăng nhập đã hết" in beat.json()["message"]
    EditLock.objects.update(heartbeat_at=timezone.now() - timedelta(seconds=settings.EDITING_LOCK_SECONDS + 1))
    page = logged_in(binh).get(change_url(draft)).content.decode()
    assert "Đang được" not in page and 'name="title"' in page
    assert EditLock.objects.get().user == binh


# Autosave -----------------------------------------------------------------------------------------------


def test_autosave_slot_is_offered_back_with_what_differs(an, binh, draft):
    """An's slot: "Khôi phục bản đang soạn lúc 14:32?" with the changed words; Bình has none of it."""
    writer = logged_in(an)
    data = form_values(writer.get(change_url(draft)), "article_form")
    data["title"] = ["Bản nháp về đề tài nấm hương"]
    data["body"] = ["<p>Nội dung bài viết mẫu, thêm một câu mới.</p>"]
    answer = writer.post(editing_url(draft, "autosave"), {"data": json.dumps(data)}).json()
    assert answer["ok"] is True and answer["message"].startswith("Đã tự lưu lúc ")
    saved_at = timezone.localtime(AutosaveSlot.objects.get().saved_at).strftime("%H:%M")
    writer.post(editing_url(draft, "heartbeat"), {"release": "1"})  # the tab was closed

    page = writer.get(change_url(draft)).content.decode()
    assert f"Khôi phục bản đang soạn lúc {saved_at}?" in page
    assert "<dt>Tiêu đề</dt>" in page and "<del>linh chi</del>" in page and "<ins>hương</ins>" in page
    assert "<del>mẫu.</del> <ins>mẫu, thêm một câu mới.</ins>" in page  # the body compared as text
    assert "<dt>Tóm tắt" not in page  # unchanged fields are not listed
    restorable = re.search(r'<script id="editing-autosave-data" type="application/json">(.*?)</script>', page).group(1)
    assert json.loads(restorable)["title"] == ["Bản nháp về đề tài nấm hương"]  # what "Khôi phục" fills in

    other = logged_in(binh).get(change_url(draft)).content.decode()  # slots are per user
    assert "Khôi phục bản đang soạn" not in other


def test_slot_that_differs_in_nothing_is_not_offered(an, draft):
    writer = logged_in(an)
    data = form_values(writer.get(change_url(draft)), "article_form")
    writer.post(editing_url(draft, "autosave"), {"data": json.dumps(data)})
    assert "Khôi phục bản đang soạn" not in writer.get(change_url(draft)).content.decode()
    assert not AutosaveSlot.objects.exists()


def test_discarding_the_slot(an, draft):
    writer = logged_in(an)
    writer.post(editing_url(draft, "autosave"), {"data": json.dumps({"title": ["Khác"]})})
    assert writer.post(editing_url(draft, "autosave"), {"discard": "1"}).json()["discarded"] is True
    assert not AutosaveSlot.objects.exists()


def test_add_form_has_one_slot_per_model(an, category):
    writer = logged_in(an)
    url = "/admin/news/article/add/editing/autosave/"
    writer.post(url, {"data": json.dumps({"title": ["Bài mới chưa lưu"], "category": [str(category.pk)]})})
    writer.post(url, {"data": json.dumps({"title": ["Bài mới chưa lưu, sửa lại"], "category": [str(category.pk)]})})
    slot = AutosaveSlot.objects.get()
    assert slot.object_id == "" and slot.data["title"] == ["Bài mới chưa lưu, sửa lại"]
    page = writer.get("/admin/news/article/add/").content.decode()
    assert "Khôi phục bản đang soạn lúc" in page and "<ins>Bài mới chưa lưu, sửa lại</ins>" in page
    assert "<dt>Chuyên mục</dt>" in page and "Hoạt động của Sở" in page  # a choice shown by its name


def test_bad_autosave_payloads_get_a_vietnamese_answer(an, draft):
    writer = logged_in(an)
    url = editing_url(draft, "autosave")
    for payload in ("không phải JSON", json.dumps(["a"]), json.dumps({"title": [1]}), "x" * 2_000_001):
        response = writer.post(url, {"data": payload})
        assert response.status_code == 400
        assert response.json()["message"] == "Không đọc được nội dung gửi lên để tự lưu."
    assert not AutosaveSlot.objects.exists()
    assert writer.get(url).status_code == 405


def test_endpoints_check_permissions_and_csrf(an, make_article, draft):
    """An editor may not autosave or lock an archived article; no CSRF token, no write; anonymous: 401."""
    published = make_article("Bài đã lưu trữ", status=Article.Status.ARCHIVED)
    writer = logged_in(an)
    for name in ("autosave", "heartbeat", "takeover"):
        assert writer.post(editing_url(published, name), {"data": "{}"}).status_code == 403
    assert not EditLock.objects.exists() and not AutosaveSlot.objects.exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(an)
    assert strict.post(editing_url(draft, "autosave"), {"data": json.dumps({"title": ["x"]})}).status_code == 403
    assert not AutosaveSlot.objects.exists()
    assert Client().post(editing_url(draft, "autosave"), {"data": "{}"}).status_code == 401


def test_cleanup_removes_old_slots_and_dead_locks(an, binh, draft, settings):
    now = timezone.now()
    editstate.save_slot(an, article_type(), draft.pk, {"title": ["cũ"]}, now=now - timedelta(days=31))
    editstate.save_slot(binh, article_type(), draft.pk, {"title": ["mới"]}, now=now - timedelta(days=2))
    editstate.acquire(an, article_type(), draft.pk, now=now - timedelta(hours=1))
    call_command("editing_cleanup")
    assert list(AutosaveSlot.objects.values_list("user__username", flat=True)) == ["binh.tran"]
    assert not EditLock.objects.exists()


# The other kinds ----------------------------------------------------------------------------------------


def test_procedures_and_pages_lock_too(an, chi, django_user_model):
    """A procedure: editors write it, publishers of documents take over; a department page: publishers only."""
    field = Field.objects.create(name="Hoạt động khoa học và công nghệ", slug="hoat-dong-khcn")
    procedure = Procedure.objects.create(code="1.001", name="Cấp giấy chứng nhận", field=field)
    logged_in(an).get(change_url(procedure))
    page = logged_in(chi).get(change_url(procedure)).content.decode()
    assert "Đang được Nguyễn Văn An chỉnh sửa từ" in page and "Tiếp quản" in page

    about = Page.objects.first()
    logged_in(chi).get(change_url(about))
    other = named(django_user_model, "dung.pham", "Duyệt bài", "Phạm Văn Dũng")
    page = logged_in(other).get(change_url(about)).content.decode()
    assert "Đang được Lê Minh Chi chỉnh sửa từ" in page and "Tiếp quản" in page


def test_change_form_costs_a_fixed_number_of_queries(an, draft, django_assert_max_num_queries):
    writer = logged_in(an)
    writer.get(change_url(draft))
    editstate.save_slot(an, article_type(), draft.pk, {"title": ["Khác hẳn"]})
    with django_assert_max_num_queries(20):
        page = writer.get(change_url(draft))
    assert "Khôi phục bản đang soạn" in page.content.decode()


def test_word_diff_marks_changed_words_and_shortens_the_rest():
    old = " ".join(f"từ{i}" for i in range(40))
    new = old.replace("từ20", "chữ mới")
    segments = word_diff(old, new)
    assert ("del", "từ20") in segments and ("ins", "chữ mới") in segments
    assert all(len(text.split()) <= 13 for kind, text in segments if kind == "same")


def test_document_add_form_offer_names_the_chosen_fields(an):
    """A legal document's draft: the chosen fields (a many-to-many) are shown by their names."""
    health = Field.objects.create(name="Sở hữu trí tuệ", slug="so-huu-tri-tue")
    energy = Field.objects.create(name="Năng lượng nguyên tử", slug="nang-luong-nguyen-tu")
    writer = logged_in(an)
    data = {"summary": ["Quyết định ban hành quy chế quản lý nhiệm vụ"], "fields": [str(health.pk), str(energy.pk)]}
    assert writer.post("/admin/documents/document/add/editing/autosave/", {"data": json.dumps(data)}).json()["ok"]
    page = writer.get("/admin/documents/document/add/").content.decode()
    assert "Khôi phục bản đang soạn lúc" in page
    assert "<ins>Sở hữu trí tuệ, Năng lượng nguyên tử</ins>" in page
    assert "<ins>Quyết định ban hành quy chế quản lý nhiệm vụ</ins>" in page


# The read-only page learns when the lock frees -----------------------------------------------------------


def status(client, obj, holder=""):
    return client.get(editing_url(obj, "status"), {"holder": holder})


def test_read_only_page_is_told_when_the_holder_leaves(an, binh, draft, settings):
    """Bình's read-only page asks; while An edits: held; An saves (lock let go): free, with An's name on the page."""
    settings.EDITING_STATUS_SECONDS = 7
    logged_in(an).get(change_url(draft))
    reader = logged_in(binh)
    page = reader.get(change_url(draft)).content.decode()
    assert 'data-status-seconds="7"' in page and f'data-holder="{an.pk}"' in page
    assert 'data-freed="Nguyễn Văn An đã đóng bài viết này. Bạn có thể sửa ngay:"' in page
    assert 'aria-live="polite"' in page and "Tải lại để sửa" in page
    answer = status(reader, draft, an.pk)
    assert answer.status_code == 200 and answer["Cache-Control"].startswith("max-age=0")
    assert answer.json()["lock"] == "held" and "message" not in answer.json()
    assert EditLock.objects.get().user == an  # asking never takes the lock

    logged_in(an).post(editing_url(draft, "heartbeat"), {"release": "1"})  # An closes the tab
    assert status(reader, draft, an.pk).json() == {"ok": True, "lock": "free"}
    assert "Tiếp quản" not in reader.get(change_url(draft)).content.decode()  # reloading: Bình edits
    assert EditLock.objects.get().user == binh


def test_read_only_page_is_told_when_the_lock_expires_or_changes_hands(an, binh, chi, draft):
    logged_in(an).get(change_url(draft))
    reader = logged_in(binh)
    reader.get(change_url(draft))
    logged_in(chi).post(editing_url(draft, "takeover"))  # Chi takes over from An
    moved = status(reader, draft, an.pk).json()
    assert moved["lock"] == "held" and moved["holder_id"] == chi.pk
    assert moved["message"].startswith("Lê Minh Chi đang sửa bài viết này từ ")
    assert moved["freed"] == "Lê Minh Chi đã đóng bài viết này. Bạn có thể sửa ngay:"
    EditLock.objects.update(heartbeat_at=timezone.now() - timedelta(minutes=5))  # Chi's tab is gone
    assert status(reader, draft, chi.pk).json() == {
        "ok": True,
        "lock": "free",
        "message": "Lê Minh Chi đã đóng bài viết này. Bạn có thể sửa ngay:",
    }


def test_lock_status_tells_nothing_to_those_who_may_not_see(an, draft, django_user_model):
    """Anonymous: 401; staff without any right on articles: 403 with no name; POST: refused."""
    logged_in(an).get(change_url(draft))
    anonymous = Client().get(editing_url(draft, "status"))
    assert anonymous.status_code == 401 and "Nguyễn" not in anonymous.content.decode()
    outsider = django_user_model.objects.create_user("khach", password="mat-khau-123", is_staff=True)
    refused = logged_in(outsider).get(editing_url(draft, "status"))
    assert refused.status_code == 403 and "Nguyễn" not in refused.content.decode()
    assert refused.json()["message"] == "Bạn không có quyền xem mục này."
    assert logged_in(an).post(editing_url(draft, "status")).status_code == 405


def test_lock_status_is_one_query_once_logged_in(an, binh, draft):
    logged_in(an).get(change_url(draft))
    reader = logged_in(binh)
    status(reader, draft, an.pk)  # (session, user and permissions of the first request)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        status(reader, draft, an.pk)
    lock_queries = [q["sql"] for q in queries.captured_queries if "core_editlock" in q["sql"]]
    assert len(lock_queries) == 1 and '"core_editlock"."object_id" = ' in lock_queries[0]
    assert len(queries.captured_queries) <= 5  # + session, user, the user's permissions (groups, own)

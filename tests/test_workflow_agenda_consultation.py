"""Calendar entries and drafts for public comment in the shared review workflow (core/workflow), and the one set
of bulk list actions every reviewed kind shares: drafts, "Gửi duyệt", "Duyệt & xuất bản", working copies of
live items, history / compare / restore (with a consultation's files), bulk publish through the service.
Real PostgreSQL."""

from datetime import time, timedelta

import pytest
from django.contrib.admin import site
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agenda.models import Entry, week_start
from consultation.models import Consultation, ConsultationFile
from core import revisions
from core.workflow import service
from core.workflow.admin import WorkflowAdminMixin
from core.workflow.models import WorkingCopy
from gallery.models import Gallery, Video
from navigation.models import MenuItem
from news.models import Article

from .test_workflow import named

pytestmark = pytest.mark.django_db

WEEK = "/lich-cong-tac/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(editor, publisher):
    return named(editor, publisher)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def text(response):
    return response.content.decode()


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def token(obj):
    obj = type(obj)._default_manager.get(pk=obj.pk)
    return service.state_token(obj, service.working_copy(obj))


def week_of(day):
    iso = day.isocalendar()
    return f"{WEEK}?tuan={iso.year}-W{iso.week:02d}"


def entry_data(day, content="Giao ban Lãnh đạo Sở đầu tuần", **overrides):
    moment = timezone.localtime() - timedelta(hours=1)
    data = {
        "day": f"{day:%d/%m/%Y}",
        "starts_at": "07:30",
        "ends_at": "09:00",
        "content": content,
        "leaders": "Giám đốc Sở Lê Văn Minh",
        "host_unit": "Văn phòng Sở",
        "attendees": "Ban Giám đốc",
        "place": "Phòng họp tầng 2",
        "publish_at_0": moment.strftime("%Y-%m-%d"),
        "publish_at_1": moment.strftime("%H:%M:%S"),
    }
    data.update(overrides)
    return data


def live_entry(content="Họp giao ban chuyển đổi số", day=None):
    return Entry.objects.create(
        day=day or week_start(timezone.localdate()) + timedelta(days=1),
        starts_at=time(15, 0),
        content=content,
        status=Entry.Status.PUBLISHED,
        publish_at=timezone.now() - timedelta(days=1),
    )


def consultation_data(title="Dự thảo Quyết định quản lý nhiệm vụ khoa học", files=(), **overrides):
    now = timezone.localtime()
    data = {
        "title": title,
        "slug": "",
        "drafting_unit": "Sở Khoa học và Công nghệ",
        "summary": "Đơn giản hoá hồ sơ đề xuất nhiệm vụ, cho phép nộp hồ sơ trực tuyến.",
        "opens_at_0": (now - timedelta(days=1)).strftime("%Y-%m-%d"),
        "opens_at_1": "08:00:00",
        "closes_at_0": (now + timedelta(days=30)).strftime("%Y-%m-%d"),
        "closes_at_1": "17:00:00",
        "publish_at_0": (now - timedelta(days=1)).strftime("%Y-%m-%d"),
        "publish_at_1": "08:00:00",
        "report": "",
        "files-TOTAL_FORMS": str(len(files)),
        "files-INITIAL_FORMS": str(sum(1 for f in files if "id" in f)),
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(files):
        for key, value in row.items():
            data[f"files-{index}-{key}"] = value
    data.update(overrides)
    return data


def pdf(name):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- Calendar entries ---------------------------------------------------------------------------------------


def test_editor_saves_an_entry_as_draft_then_sends_it_for_review(client, people, deliver_mail):
    editor, _publisher = people
    client.force_login(editor)
    form = text(client.get(reverse("admin:agenda_entry_add")))
    assert 'name="_wf_save"' in form and 'name="_wf_submit"' in form and 'name="_addanother"' in form
    assert 'name="_wf_publish"' not in form and 'name="status"' not in form  # no hand-made status any more
    monday = week_start(timezone.localdate())
    response = client.post(reverse("admin:agenda_entry_add"), entry_data(monday, _wf_save="1"))
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(entry)
    assert entry.status == Entry.Status.DRAFT and entry.created_by == editor
    assert "Giao ban Lãnh đạo Sở đầu tuần" not in text(client.get(week_of(monday)))

    response = client.post(change_url(entry), entry_data(monday, wf_token=token(entry), _wf_submit="1"))
    assert response.status_code == 302, text(response)[:2000]
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PENDING
    assert WorkingCopy.objects.get(object_id=entry.pk).state == WorkingCopy.State.PENDING
    assert [v.revision.comment for v in revisions.history(entry)][:2] == ["Gửi duyệt", "Lưu nháp"]
    (mail,) = [m for m in deliver_mail() if m.to == ["binh@sokhcn.gov.vn"]]
    assert "Chờ duyệt" in mail.subject and "Nguyễn Văn An" in mail.body and "mục lịch công tác" in mail.body
    client.logout()
    assert "Giao ban Lãnh đạo Sở đầu tuần" not in text(client.get(week_of(monday)))


def test_editor_cannot_publish_an_entry_even_by_forcing_the_button(client, people):
    editor, _publisher = people
    client.force_login(editor)
    monday = week_start(timezone.localdate())
    response = client.post(reverse("admin:agenda_entry_add"), entry_data(monday, _wf_publish="1", status="published"))
    assert response.status_code == 200 and "Bạn không có quyền duyệt" in text(response)
    assert "Giao ban Lãnh đạo Sở đầu tuần" in text(response)  # what was typed is still there
    assert not Entry.objects.exists()


def test_publisher_approves_and_citizens_see_the_entry(client, people):
    editor, publisher = people
    monday = week_start(timezone.localdate())
    client.force_login(editor)
    client.post(reverse("admin:agenda_entry_add"), entry_data(monday, _wf_submit="1"))
    entry = Entry.objects.get()
    client.force_login(publisher)
    form = text(client.get(change_url(entry)))
    assert "Chờ duyệt" in form and 'name="_wf_publish"' in form and 'name="_wf_return"' in form
    response = client.post(change_url(entry), entry_data(monday, wf_token=token(entry), _wf_publish="1"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PUBLISHED
    client.logout()
    page = text(client.get(week_of(monday)))
    assert "Giao ban Lãnh đạo Sở đầu tuần" in page and "Phòng họp tầng 2" in page


def test_an_edit_of_a_live_entry_waits_until_approved(client, people):
    editor, publisher = people
    entry = live_entry()
    client.force_login(editor)
    data = entry_data(entry.day, content="Họp giao ban chuyển đổi số (dời sang 16h00)", starts_at="16:00", ends_at="")
    response = client.post(change_url(entry), {**data, "wf_token": token(entry), "_wf_submit": "1"})
    assert response.status_code == 302, text(response)[:2000]
    entry.refresh_from_db()
    assert entry.content == "Họp giao ban chuyển đổi số" and entry.status == Entry.Status.PUBLISHED
    client.logout()
    page = text(client.get(week_of(entry.day)))
    assert "Họp giao ban chuyển đổi số" in page and "dời sang 16h00" not in page and "15h00" in page

    client.force_login(publisher)
    form = client.get(change_url(entry))
    assert form.context["adminform"].form["content"].value() == "Họp giao ban chuyển đổi số (dời sang 16h00)"
    assert "Đang xuất bản" in text(form) or "Chờ duyệt" in text(form)
    client.post(change_url(entry), {**data, "wf_token": token(entry), "_wf_publish": "1"})
    client.logout()
    page = text(client.get(week_of(entry.day)))
    assert "dời sang 16h00" in page and "16h00" in page
    assert not WorkingCopy.objects.filter(object_id=entry.pk).exists()


def test_save_and_add_another_keeps_the_day_and_copies_stay_drafts(client, people):
    editor, _publisher = people
    client.force_login(editor)
    monday = week_start(timezone.localdate())
    tuesday = monday + timedelta(days=1)
    response = client.post(reverse("admin:agenda_entry_add"), entry_data(tuesday, _addanother="1"))
    assert response.status_code == 302 and response["Location"].endswith(f"/add/?day={tuesday:%d/%m/%Y}")
    assert Entry.objects.get().status == Entry.Status.DRAFT
    page = client.get(response["Location"])
    assert page.context["adminform"].form["day"].value() == f"{tuesday:%d/%m/%Y}"


def test_the_entry_preview_shows_its_week_as_readers_will(client, people):
    _editor, publisher = people
    entry = live_entry()
    client.force_login(publisher)
    data = entry_data(entry.day, content="Nội dung xem trước của lịch")
    response = client.post(reverse("admin:agenda_entry_preview", args=[entry.pk]), data)
    assert response.status_code == 200 and "Nội dung xem trước của lịch" in text(response)
    assert "Lịch tuần như người đọc sẽ thấy sau khi mục đang soạn được xuất bản" in text(response)
    assert '<p class="preview-banner" role="status"><strong>Xem trước</strong>' in text(response)
    assert "no-store" in response["Cache-Control"]
    entry.refresh_from_db()
    assert entry.content == "Họp giao ban chuyển đổi số"


# --- Drafts for public comment ------------------------------------------------------------------------------


def test_consultation_history_compare_and_restore_with_its_files(client, people, media_root):
    editor, publisher = people
    client.force_login(editor)
    first = consultation_data(files=[{"title": "Dự thảo lần 1", "file": pdf("du-thao-1.pdf"), "position": "1"}])
    response = client.post(reverse("admin:consultation_consultation_add"), {**first, "_wf_save": "1"})
    assert response.status_code == 302, text(response)[:3000]
    consultation = Consultation.objects.get()
    old_file = consultation.files.get()
    assert consultation.status == Consultation.Status.DRAFT

    # The second version: a new title, the first file removed and another added.
    second = consultation_data(
        title="Dự thảo Quyết định (lần 2)",
        slug=consultation.slug,
        files=[
            {"id": str(old_file.pk), "consultation": str(consultation.pk), "title": "Dự thảo lần 1", "position": "1"},
            {"title": "Dự thảo lần 2", "file": pdf("du-thao-2.pdf"), "position": "2"},
        ],
        **{"files-0-DELETE": "on"},
    )
    response = client.post(change_url(consultation), {**second, "wf_token": token(consultation), "_wf_save": "1"})
    assert response.status_code == 302, text(response)[:3000]
    consultation.refresh_from_db()
    assert consultation.title == "Dự thảo Quyết định (lần 2)"
    assert [f.title for f in consultation.files.all()] == ["Dự thảo lần 2"]

    history = client.get(reverse("admin:consultation_consultation_history", args=[consultation.pk]))
    versions = list(revisions.history(consultation))
    assert len(versions) == 2 and "Lưu nháp" in text(history)
    newest, oldest = versions
    compare = client.get(
        reverse("admin:consultation_consultation_compare", args=[consultation.pk]), {"a": oldest.pk, "b": newest.pk}
    )
    rows = {row["label"]: row for row in compare.context["rows"] if row["changed"]}
    assert set(rows) == {"Tên dự thảo", "Tệp dự thảo"}, rows
    assert str(rows["Tên dự thảo"]["new"]) == "Dự thảo Quyết định <ins>(lần 2)</ins>"
    assert str(rows["Tệp dự thảo"]["old"]) == "Dự thảo lần <del>1</del>"  # the file list, word by word
    assert str(rows["Tệp dự thảo"]["new"]) == "Dự thảo lần <ins>2</ins>"
    assert "<ins>(lần 2)</ins>" in text(compare) and "Dự thảo lần <del>1</del>" in text(compare)

    # Restoring the first version brings back its title (as the draft to review) and its file list.
    response = client.post(
        reverse("admin:consultation_consultation_restore", args=[consultation.pk, oldest.pk]), follow=True
    )
    assert "Đã khôi phục phiên bản thành bản nháp" in text(response)
    assert response.context["adminform"].form["title"].value() == "Dự thảo Quyết định quản lý nhiệm vụ khoa học"
    assert [f.title for f in consultation.files.all()] == ["Dự thảo lần 1"]
    assert ConsultationFile.objects.get().file.read() == PDF
    assert revisions.history(consultation).first().revision.comment.startswith("Khôi phục phiên bản")


def test_consultation_goes_through_review_to_the_public_page(client, people, media_root):
    editor, publisher = people
    client.force_login(editor)
    data = consultation_data(files=[{"title": "Dự thảo Quyết định", "file": pdf("du-thao.pdf"), "position": "1"}])
    client.post(reverse("admin:consultation_consultation_add"), {**data, "_wf_submit": "1"})
    consultation = Consultation.objects.get()
    assert consultation.status == Consultation.Status.PENDING
    client.logout()
    assert client.get(consultation.get_absolute_url()).status_code == 404
    client.force_login(publisher)
    data = consultation_data(
        slug=consultation.slug,
        files=[
            {
                "id": str(consultation.files.get().pk),
                "consultation": str(consultation.pk),
                "title": "Dự thảo Quyết định",
                "position": "1",
            }
        ],
    )
    response = client.post(change_url(consultation), {**data, "wf_token": token(consultation), "_wf_publish": "1"})
    assert response.status_code == 302, text(response)[:3000]
    client.logout()
    page = text(client.get(consultation.get_absolute_url()))
    assert "Dự thảo Quyết định quản lý nhiệm vụ khoa học" in page and "Dự thảo Quyết định</a>" in page
    assert "Dự thảo Quyết định quản lý nhiệm vụ khoa học" in text(client.get("/lay-y-kien/"))


# --- Bulk actions ---------------------------------------------------------------------------------------------


def test_bulk_publish_records_a_version_per_item_and_applies_working_copies(client, people):
    editor, publisher = people
    monday = week_start(timezone.localdate())
    drafts = [
        Entry.objects.create(day=monday, starts_at=time(8 + n), content=f"Việc chờ duyệt {n}", status="pending")
        for n in range(2)
    ]
    live = live_entry()
    client.force_login(editor)
    edited = entry_data(live.day, content="Họp giao ban chuyển đổi số – đã sửa", starts_at="15:00", ends_at="")
    client.post(change_url(live), {**edited, "wf_token": token(live), "_wf_submit": "1"})
    assert Entry.objects.get(pk=live.pk).content == "Họp giao ban chuyển đổi số"

    client.force_login(publisher)
    changelist = reverse("admin:agenda_entry_changelist")
    assert "Xuất bản các mục lịch công tác đã chọn" in text(client.get(changelist))
    selected = [e.pk for e in [*drafts, live]]
    response = client.post(changelist, {"action": "publish", "_selected_action": selected}, follow=True)
    assert "Đã xuất bản 3 mục lịch công tác." in text(response)
    for entry in Entry.objects.filter(pk__in=selected):
        assert entry.status == Entry.Status.PUBLISHED
        version = revisions.history(entry).first()
        assert version.revision.comment == "Xuất bản hàng loạt" and version.revision.user == publisher
    assert Entry.objects.get(pk=live.pk).content == "Họp giao ban chuyển đổi số – đã sửa"
    assert not WorkingCopy.objects.exists()
    logged = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Entry), user=publisher)
    assert sorted(e.change_message for e in logged) == [
        "Xuất bản mục lịch công tác (trước đó: “Chờ duyệt”)",
        "Xuất bản mục lịch công tác (trước đó: “Chờ duyệt”)",
        "Xuất bản mục lịch công tác (trước đó: “Đã công bố”)",
    ]
    client.logout()
    page = text(client.get(week_of(monday)))
    assert "Việc chờ duyệt 0" in page and "Việc chờ duyệt 1" in page
    # Once more: nothing left to publish, nothing recorded twice.
    client.force_login(publisher)
    response = client.post(changelist, {"action": "publish", "_selected_action": selected}, follow=True)
    assert "Đã xuất bản" not in text(response) and "Bỏ qua 3 mục đã ở trạng thái đó" in text(response)
    assert revisions.history(live).count() == revisions.history(live).filter(revision__comment__gt="").count()


def test_an_editor_cannot_bulk_publish(client, people):
    editor, _publisher = people
    monday = week_start(timezone.localdate())
    pending = Entry.objects.create(day=monday, starts_at=time(8), content="Chờ duyệt", status="pending")
    client.force_login(editor)
    changelist = reverse("admin:agenda_entry_changelist")
    html = text(client.get(changelist))
    assert "Gửi duyệt các mục lịch công tác đã chọn" in html and "Xuất bản các mục" not in html
    client.post(changelist, {"action": "publish", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.status == Entry.Status.PENDING and not revisions.history(pending).exists()


def test_bulk_submit_and_unpublish_go_through_the_workflow(client, people, deliver_mail):
    editor, publisher = people
    monday = week_start(timezone.localdate())
    draft = Entry.objects.create(day=monday, starts_at=time(8), content="Bản nháp", status="draft")
    client.force_login(editor)
    changelist = reverse("admin:agenda_entry_changelist")
    response = client.post(changelist, {"action": "submit_for_review", "_selected_action": [draft.pk]}, follow=True)
    assert "Đã gửi duyệt 1 mục lịch công tác." in text(response)
    draft.refresh_from_db()
    assert draft.status == Entry.Status.PENDING
    assert revisions.history(draft).first().revision.comment == "Gửi duyệt hàng loạt"
    assert any(m.to == ["binh@sokhcn.gov.vn"] for m in deliver_mail())

    live = live_entry()
    client.force_login(publisher)
    response = client.post(changelist, {"action": "unpublish", "_selected_action": [live.pk]}, follow=True)
    assert "Đã gỡ xuống 1 mục lịch công tác." in text(response)
    live.refresh_from_db()
    assert live.status == Entry.Status.DRAFT
    assert revisions.history(live).first().revision.comment == "Gỡ xuống hàng loạt"
    client.logout()
    assert "Họp giao ban chuyển đổi số" not in text(client.get(week_of(live.day)))


def test_one_bulk_publish_for_every_kind(client, people, make_article):
    """Articles, galleries and menus use the same bulk action: an article's pending working copy is applied."""
    editor, publisher = people
    article = make_article("Bài đang xuất bản")
    row = Article.objects.get(pk=article.pk)
    row.title = "Bài đang xuất bản (đã sửa)"
    service.save_working_copy(row, editor)
    client.force_login(publisher)
    response = client.post(
        reverse("admin:news_article_changelist"), {"action": "publish", "_selected_action": [article.pk]}, follow=True
    )
    assert "Đã xuất bản 1 bài viết." in text(response)
    article.refresh_from_db()
    assert article.title == "Bài đang xuất bản (đã sửa)"
    assert revisions.history(article).first().revision.comment == "Xuất bản hàng loạt"
    for model in (Gallery, Video, MenuItem, Consultation, Entry):
        request = client.get(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        ).wsgi_request
        actions = site._registry[model].get_actions(request)
        assert {"publish", "unpublish", "submit_for_review"} <= set(actions), model
        assert actions["publish"][0] is WorkflowAdminMixin.bulk_publish, model


def test_bulk_publish_leaves_a_conflicting_working_copy_to_the_form(client, people):
    """The live row changed since the edit was made: that item is named, not published; the others are."""
    editor, publisher = people
    live = live_entry()
    other = Entry.objects.create(
        day=live.day, starts_at=time(9), content="Tiếp công dân định kỳ", status=Entry.Status.PENDING
    )
    row = Entry.objects.get(pk=live.pk)
    row.content = "Bản sửa của biên tập viên"
    service.save_working_copy(row, editor)
    Entry.objects.filter(pk=live.pk).update(content="Sửa thẳng vào bản đang xuất bản")
    client.force_login(publisher)
    response = client.post(
        reverse("admin:agenda_entry_changelist"),
        {"action": "publish", "_selected_action": [live.pk, other.pk]},
        follow=True,
    )
    html = text(response)
    assert "Đã xuất bản 1 mục lịch công tác." in html
    assert "chưa được thực hiện: Bản đang xuất bản đã thay đổi sau khi bản sửa này được tạo" in html
    assert Entry.objects.get(pk=live.pk).content == "Sửa thẳng vào bản đang xuất bản"
    assert WorkingCopy.objects.filter(object_id=live.pk).exists()  # still waiting, for the form's choice
    assert Entry.objects.get(pk=other.pk).status == Entry.Status.PUBLISHED


def test_the_consultation_preview_shows_the_page_before_saving(client, people):
    editor, _publisher = people
    client.force_login(editor)
    data = consultation_data(title="Dự thảo xem trước trước khi lưu")
    response = client.post(reverse("admin:consultation_consultation_preview_new"), data)
    html = text(response)
    assert response.status_code == 200 and "Dự thảo xem trước trước khi lưu" in html
    assert "Dự thảo chưa được công bố trên cổng." in html and "no-store" in response["Cache-Control"]
    assert not Consultation.objects.exists()

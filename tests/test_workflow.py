"""The shared workflow (core/workflow): working copies of live content, the buttons, notifications, and the
faults (live changed meanwhile, two publishers at once, stale forms), for articles, documents, procedures
and department pages alike. Real PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.workflow import service
from core.workflow.models import Notice, WorkingCopy
from documents.models import Document, DocumentType, Field, IssuingBody, Procedure
from news.models import Article
from pages.models import Page

pytestmark = pytest.mark.django_db


def article_data(article, **overrides):
    local = timezone.localtime(article.publish_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "category": article.category_id,
        "summary": article.summary,
        "body": article.body,
        "cover_caption": "",
        "cover_alt": "",
        "publish_at_0": local.strftime("%Y-%m-%d"),
        "publish_at_1": local.strftime("%H:%M:%S"),
        "author": article.author,
        "source": "",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def token_of(client, obj):
    """What the change form's hidden wf_token holds when opened now (read without opening the form, which
    would take the edit lock of core/editing.py)."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    return service.state_token(obj, service.working_copy(obj))


def text(response):
    return response.content.decode()


def named(editor, publisher):
    """The editor and publisher with names and e-mail addresses."""
    editor.first_name, editor.email = "Nguyễn Văn An", "an@sokhcn.gov.vn"
    editor.save()
    publisher.first_name, publisher.email = "Trần Thị Bình", "binh@sokhcn.gov.vn"
    publisher.save()
    return editor, publisher


@pytest.fixture
def people(editor, publisher):
    return named(editor, publisher)


def submit_edit(client, article, **changes):
    token = token_of(client, article)
    return client.post(change_url(article), article_data(article, wf_token=token, _wf_submit="1", **changes))


# --- Working copies of a live article ----------------------------------------------------------------


def test_editing_a_live_article_keeps_readers_on_the_live_text(client, people, article, deliver_mail):
    editor, publisher = people
    client.force_login(editor)
    response = submit_edit(client, article, title="Tiêu đề mới sau khi sửa")
    assert response.status_code == 302, text(response)[:3000]
    article.refresh_from_db()
    assert article.title == "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"
    copy = WorkingCopy.objects.get(object_id=article.pk)
    assert copy.state == WorkingCopy.State.PENDING and copy.data["title"] == "Tiêu đề mới sau khi sửa"
    client.logout()
    page = text(client.get(article.get_absolute_url()))
    assert "triển khai nhiệm vụ năm 2023" in page and "Tiêu đề mới sau khi sửa" not in page
    # The publishers are told by e-mail, through the outbox.
    (mail,) = [m for m in deliver_mail() if m.to == ["binh@sokhcn.gov.vn"]]
    assert "Chờ duyệt" in mail.subject and "Nguyễn Văn An" in mail.body and change_url(article) in mail.body
    # The form shows the working copy, not the live text, to whoever opens it.
    client.force_login(publisher)
    form = client.get(change_url(article))
    assert form.context["adminform"].form["title"].value() == "Tiêu đề mới sau khi sửa"
    assert "Chờ duyệt" in text(form) and 'name="_wf_publish"' in text(form) and 'name="_wf_return"' in text(form)
    assert 'name="status"' not in text(form)


def test_publisher_approves_and_the_author_is_told(client, people, article, deliver_mail):
    editor, publisher = people
    client.force_login(editor)
    submit_edit(client, article, title="Tiêu đề đã duyệt")
    client.force_login(publisher)
    token = token_of(client, article)
    response = client.post(
        change_url(article), article_data(article, title="Tiêu đề đã duyệt", wf_token=token, _wf_publish="1")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã duyệt" and article.status == Article.Status.PUBLISHED
    assert not WorkingCopy.objects.filter(object_id=article.pk).exists()
    client.logout()
    assert "Tiêu đề đã duyệt" in text(client.get(article.get_absolute_url()))
    # Audit trail: submitted, approved.
    messages = list(LogEntry.objects.filter(object_id=str(article.pk)).values_list("change_message", flat=True))
    assert "Gửi duyệt" in messages and "Duyệt & xuất bản" in messages
    # The author: an e-mail, and a notice on the next admin page (once).
    assert any(m.to == ["an@sokhcn.gov.vn"] and "Đã duyệt" in m.subject for m in deliver_mail())
    client.force_login(editor)
    assert "đã được Trần Thị Bình duyệt" in text(client.get(reverse("admin:news_article_changelist")))
    assert "đã được Trần Thị Bình duyệt" not in text(client.get(reverse("admin:news_article_changelist")))


def test_return_needs_a_comment_and_keeps_the_text(client, people, article, deliver_mail):
    editor, publisher = people
    client.force_login(editor)
    submit_edit(client, article, title="Bản cần sửa thêm")
    client.force_login(publisher)
    token = token_of(client, article)
    data = article_data(article, title="Bản cần sửa thêm", wf_token=token, _wf_return="1")
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Hãy ghi nhận xét khi trả lại" in text(response) and "Bản cần sửa thêm" in text(response)
    response = client.post(change_url(article), {**data, "wf_comment": "Thiếu nguồn tin."})
    assert response.status_code == 302
    copy = WorkingCopy.objects.get(object_id=article.pk)
    assert copy.state == WorkingCopy.State.RETURNED and copy.comment == "Thiếu nguồn tin."
    assert any(m.to == ["an@sokhcn.gov.vn"] and "Thiếu nguồn tin." in m.body for m in deliver_mail())
    client.force_login(editor)
    page = text(client.get(change_url(article)))
    assert "Thiếu nguồn tin." in page and "Bị trả lại" in page


def test_editor_has_no_publisher_buttons_and_cannot_force_them(client, people, article):
    editor, _publisher = people
    client.force_login(editor)
    page = text(client.get(change_url(article)))
    for name in ("_wf_save", "_wf_submit", "_wf_preview"):
        assert f'name="{name}"' in page
    for name in ("_wf_publish", "_wf_schedule", "_wf_unpublish", "_wf_return"):
        assert f'name="{name}"' not in page
    token = token_of(client, article)
    response = client.post(
        change_url(article), article_data(article, title="Tự xuất bản", wf_token=token, _wf_publish="1")
    )
    assert response.status_code == 200 and "Bạn không có quyền duyệt" in text(response)
    article.refresh_from_db()
    assert article.title != "Tự xuất bản"


def test_new_article_draft_submit_publish_schedule_unpublish(client, people, category):
    editor, publisher = people
    client.force_login(editor)
    draft = Article(title="Bài hoàn toàn mới", category=category, publish_at=timezone.now())
    response = client.post(reverse("admin:news_article_add"), article_data(draft, slug="", _wf_save="1"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Bài hoàn toàn mới")
    assert article.status == Article.Status.DRAFT and article.created_by == editor
    client.post(change_url(article), article_data(article, wf_token=token_of(client, article), _wf_submit="1"))
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    client.force_login(publisher)
    later = timezone.localtime(timezone.now() + timedelta(days=2))
    response = client.post(
        change_url(article),
        article_data(
            article,
            wf_token=token_of(client, article),
            _wf_schedule="1",
            publish_at_0=later.strftime("%Y-%m-%d"),
            publish_at_1=later.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.publish_at > timezone.now()
    assert not Article.objects.published().filter(pk=article.pk).exists()  # scheduled, not yet shown
    response = client.post(
        change_url(article), article_data(article, wf_token=token_of(client, article), _wf_unpublish="1")
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_schedule_needs_a_future_time(client, people, make_article):
    _editor, publisher = people
    draft = make_article("Bài hẹn giờ", status=Article.Status.DRAFT)
    client.force_login(publisher)
    response = client.post(change_url(draft), article_data(draft, wf_token=token_of(client, draft), _wf_schedule="1"))
    assert response.status_code == 200 and "thời điểm xuất bản trong tương lai" in text(response)


# --- Preview ----------------------------------------------------------------------------------------------


def test_preview_from_the_form_before_saving(client, people, article):
    editor, _publisher = people
    client.force_login(editor)
    url = reverse("admin:news_article_preview", args=[article.pk])
    response = client.post(
        url, article_data(article, title="Tiêu đề chỉ xem trước", body="<p>Đoạn văn xem trước.</p>")
    )
    page = text(response)
    assert response.status_code == 200 and "Tiêu đề chỉ xem trước" in page and "Đoạn văn xem trước." in page
    assert "no-store" in response["Cache-Control"]
    article.refresh_from_db()
    assert article.title != "Tiêu đề chỉ xem trước" and not WorkingCopy.objects.exists()
    # A form with errors says which, in Vietnamese (and nothing is lost: the form's tab is untouched).
    response = client.post(url, article_data(article, title="", category=""))
    assert response.status_code == 200 and "Chưa xem trước được" in text(response)
    # A new article, before its first save.
    response = client.post(
        reverse("admin:news_article_preview_new"), article_data(article, title="Bài chưa lưu", slug="")
    )
    assert response.status_code == 200 and "Bài chưa lưu" in text(response)


def test_preview_after_saving_shows_the_working_copy(client, people, article):
    editor, _publisher = people
    client.force_login(editor)
    client.post(
        change_url(article),
        article_data(article, title="Bản sửa đã lưu", wf_token=token_of(client, article), _wf_save="1"),
    )
    response = client.get(reverse("admin:news_article_preview", args=[article.pk]))
    assert "Bản sửa đã lưu" in text(response)
    client.logout()
    assert "Bản sửa đã lưu" not in text(client.get(article.get_absolute_url()))


# --- Faults ------------------------------------------------------------------------------------------------


def test_live_changed_meanwhile_shows_both_and_the_publisher_chooses(client, people, article):
    editor, publisher = people
    client.force_login(editor)
    submit_edit(client, article, summary="Tóm tắt của biên tập viên")
    # Meanwhile, the live row changes (another path: a bulk action, a script, a restored version…).
    Article.objects.filter(pk=article.pk).update(title="Tiêu đề sửa trực tiếp")
    client.force_login(publisher)
    article.refresh_from_db()
    token = token_of(client, article)
    response = client.post(
        change_url(article),
        article_data(article, summary="Tóm tắt của biên tập viên", wf_token=token, _wf_publish="1"),
        follow=True,
    )
    page = text(response)
    assert response.status_code == 200 and "Bản đang xuất bản đã thay đổi" in page
    assert "Tiêu đề sửa trực tiếp" in page and "của biên tập viên" in page
    article.refresh_from_db()
    assert article.summary == "Tóm tắt bài."  # nothing published yet
    conflict = reverse("admin:news_article_conflict", args=[article.pk])
    client.post(conflict, {"_keep_copy": "1"})
    article.refresh_from_db()
    assert article.summary == "Tóm tắt của biên tập viên"


def test_live_changed_meanwhile_keep_live(client, people, article):
    editor, publisher = people
    client.force_login(editor)
    submit_edit(client, article, summary="Bản sửa bị bỏ")
    Article.objects.filter(pk=article.pk).update(summary="Bản sống mới hơn")
    client.force_login(publisher)
    client.post(reverse("admin:news_article_conflict", args=[article.pk]), {"_keep_live": "1"})
    article.refresh_from_db()
    assert article.summary == "Bản sống mới hơn" and not WorkingCopy.objects.exists()
    history = text(client.get(reverse("admin:news_article_history", args=[article.pk])))
    assert "Bản sửa đổi không được chọn" in history  # still in the history


def test_a_stale_form_is_refused_with_the_text_kept(client, people, article):
    editor, publisher = people
    client.force_login(publisher)
    old_token = token_of(client, article)
    client.force_login(editor)
    submit_edit(client, article, title="Bản của biên tập viên")
    client.force_login(publisher)
    response = client.post(
        change_url(article), article_data(article, title="Bản của người duyệt", wf_token=old_token, _wf_publish="1")
    )
    page = text(response)
    assert response.status_code == 200 and "Trong lúc bạn sửa, Nguyễn Văn An đã thay đổi mục này" in page
    assert "Bản của người duyệt" in page  # the publisher's typing is still in the form
    article.refresh_from_db()
    assert article.title == "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"


@pytest.mark.django_db(transaction=True)
def test_two_publishers_approving_at_once_one_wins(people, make_article):
    """Both read the same state; both approve at the same moment: the row lock lets one through, the other is
    told who approved, and nothing is published twice."""
    editor, publisher = people
    article = make_article("Bài cần duyệt", status=Article.Status.PENDING, created_by=editor)
    second = type(publisher).objects.create_user("duyetbai2", password="x", is_staff=True, first_name="Lê Văn Cường")
    second.groups.set(publisher.groups.all())
    token = service.state_token(article, service.working_copy(article))
    barrier = threading.Barrier(2)
    results = {}

    def approve(user):
        try:
            barrier.wait(5)
            with transaction.atomic():
                row = service.lock(article)
                service.check_fresh(row, token)
                service.publish(row, user, service.working_copy(row, lock=True))
                results[user.username] = "ok"
        except service.Stale as stale:
            results[user.username] = stale.message
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (publisher, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(results.values(), key=lambda v: v != "ok")[0] == "ok"
    loser = [v for v in results.values() if v != "ok"]
    assert len(loser) == 1 and "đã thay đổi mục này" in loser[0]
    assert LogEntry.objects.filter(object_id=str(article.pk), change_message="Duyệt & xuất bản").count() == 1


# --- Documents, procedures, pages go through review ------------------------------------------------------


@pytest.fixture
def document_form():
    def form(**overrides):
        data = {
            "doc_type": DocumentType.objects.get(name="Quyết định").pk,
            "number": "7/2024/QĐ-UBND",
            "issuer": IssuingBody.objects.get_or_create(name="Ủy ban nhân dân tỉnh")[0].pk,
            "summary": "Quy định quản lý nhiệm vụ khoa học",
            "issued_on": "10/01/2024",
            "section": "",
            "files-TOTAL_FORMS": "0",
            "files-INITIAL_FORMS": "0",
            "files-MIN_NUM_FORMS": "0",
            "files-MAX_NUM_FORMS": "1000",
        }
        data.update(overrides)
        return data

    return form


def test_document_goes_through_review(client, people, document_form):
    editor, publisher = people
    client.force_login(editor)
    response = client.post(reverse("admin:documents_document_add"), document_form(_wf_submit="1"))
    assert response.status_code == 302, text(response)[:2000]
    document = Document.objects.get()
    assert not document.is_published
    assert client.get(document.get_absolute_url()).status_code in (200, 404)
    client.force_login(publisher)
    pending = client.get(reverse("admin:documents_document_changelist") + "?cho_duyet=1")
    assert pending.context["cl"].result_count == 1
    client.post(change_url(document), document_form(wf_token=token_of(client, document), _wf_publish="1"))
    document.refresh_from_db()
    assert document.is_published
    # A live document: the editor's change waits; readers keep the published summary.
    client.force_login(editor)
    client.post(
        change_url(document),
        document_form(summary="Trích yếu sửa sai", wf_token=token_of(client, document), _wf_submit="1"),
    )
    preview = client.get(reverse("admin:documents_document_preview", args=[document.pk]))
    assert "Trích yếu sửa sai" in text(preview)
    client.logout()
    page = text(client.get(document.get_absolute_url()))
    assert "Quy định quản lý nhiệm vụ khoa học" in page and "Trích yếu sửa sai" not in page


def test_document_fields_travel_with_the_working_copy(client, people, document_form):
    editor, publisher = people
    science = Field.objects.create(name="Khoa học")
    client.force_login(publisher)
    client.post(reverse("admin:documents_document_add"), document_form(_wf_publish="1"))
    document = Document.objects.get()
    assert document.is_published
    client.force_login(editor)
    client.post(
        change_url(document), document_form(fields=[science.pk], wf_token=token_of(client, document), _wf_submit="1")
    )
    assert not document.fields.exists()  # not live yet
    client.force_login(publisher)
    client.post(
        change_url(document), document_form(fields=[science.pk], wf_token=token_of(client, document), _wf_publish="1")
    )
    assert list(document.fields.all()) == [science]


def test_procedure_waits_for_a_publisher(client, people):
    editor, publisher = people
    field = Field.objects.create(name="Sở hữu trí tuệ")
    data = {
        "code": "1.009999",
        "name": "Thủ tục lạ do biên tập viên nhập",
        "field": field.pk,
        "level": "tinh",
        "online": "toan-trinh",
        "url": "https://dichvucong.gov.vn/p/home/dvc-tthc.html?ma=1.009999",
        "agency": "",
        "processing_time": "",
        "fee": "",
    }
    client.force_login(editor)
    preview = client.post(reverse("admin:documents_procedure_preview_new"), data)
    assert preview.status_code == 200 and "Thủ tục lạ do biên tập viên nhập" in text(preview)
    response = client.post(reverse("admin:documents_procedure_add"), {**data, "is_published": "on", "_wf_submit": "1"})
    assert response.status_code == 302, text(response)[:2000]
    procedure = Procedure.objects.get()
    assert not procedure.is_published
    assert "Thủ tục lạ" not in text(client.get("/thu-tuc-hanh-chinh/"))
    changelist = text(client.get(reverse("admin:documents_procedure_changelist")))
    assert 'name="form-0-is_published"' not in changelist  # no longer ticked live in the list
    client.force_login(publisher)
    client.post(change_url(procedure), {**data, "wf_token": token_of(client, procedure), "_wf_publish": "1"})
    procedure.refresh_from_db()
    assert procedure.is_published
    client.logout()
    assert "Thủ tục lạ" in text(client.get("/thu-tuc-hanh-chinh/"))


def test_department_page_edit_is_a_working_copy_until_approved(client, people):
    _editor, publisher = people
    about = Page.objects.get(kind=Page.Kind.ABOUT)
    data = {
        "title": "Giới thiệu mới",
        "summary": about.summary,
        "body": "<p>Chức năng, nhiệm vụ mới.</p>",
        "title_en": "",
        "summary_en": "",
        "body_en": "",
    }
    client.force_login(publisher)
    client.post(change_url(about), {**data, "wf_token": token_of(client, about), "_wf_save": "1"})
    about.refresh_from_db()
    assert about.title != "Giới thiệu mới"
    preview = client.get(reverse("admin:pages_page_preview", args=[about.pk]))
    assert "Chức năng, nhiệm vụ mới." in text(preview)
    client.post(change_url(about), {**data, "wf_token": token_of(client, about), "_wf_publish": "1"})
    about.refresh_from_db()
    assert about.title == "Giới thiệu mới"
    client.logout()
    assert "Chức năng, nhiệm vụ mới." in text(client.get("/gioi-thieu/"))


def test_pending_card_counts_new_items_and_working_copies(client, people, article, make_article):
    editor, publisher = people
    make_article("Bài mới chờ duyệt", status=Article.Status.PENDING)
    client.force_login(editor)
    submit_edit(client, article, title="Bản sửa chờ duyệt")
    client.force_login(publisher)
    cards = {card.name: card for card in client.get(reverse("admin:index")).context["admin_cards"]}
    articles = cards["news-pending"].figures[0]
    assert articles.count == 2
    assert client.get(articles.url).context["cl"].result_count == 2


def test_notices_are_stored_in_the_database(people, article):
    editor, publisher = people
    service.notify(editor, "Thông báo thử")
    assert Notice.objects.filter(user=editor, seen_at__isnull=True).count() == 1
    assert [row[0] for row in service.seen_notices(editor)] == ["Thông báo thử"]
    assert service.seen_notices(editor) == []


def test_an_image_only_the_pending_edit_shows_cannot_be_deleted(client, people, article, settings, tmp_path):
    """The editor puts a library photo into the body of a live article (a working copy waiting for review):
    the photo is in use by that edit, so the library refuses to delete it; once approved it is the live
    body's, and the "chờ duyệt" usage is gone."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from core import media
    from core.models import MediaItem, MediaUsage

    settings.MEDIA_ROOT = tmp_path
    editor, publisher = people
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 120, 60)).save(out, format="PNG")
    item, _ = media.add_upload(SimpleUploadedFile("hoi-thao.png", out.getvalue()), editor)
    body = article.body + f'<p><img src="{item.file.url}" alt="Hội thảo"></p>'
    client.force_login(editor)
    assert submit_edit(client, article, body=body).status_code == 302
    uses = media.usages_of(item)
    assert [use.what for use in uses] == ["Bài viết, nội dung (bản sửa đổi chờ duyệt)"]
    client.force_login(publisher)
    page = client.post(reverse("admin:core_mediaitem_delete", args=[item.pk]), {"post": "yes"}, follow=True)
    assert "Không thể xoá" in text(page) and MediaItem.objects.filter(pk=item.pk).exists()
    # Approved: the live body uses it; the pending usage went with the working copy.
    token = token_of(client, article)
    response = client.post(change_url(article), article_data(article, wf_token=token, _wf_publish="1", body=body))
    assert response.status_code == 302, text(response)[:2000]
    assert not MediaUsage.objects.filter(item=item, field__endswith=media.PENDING).exists()
    assert [use.what for use in media.usages_of(item)] == ["Bài viết, nội dung"]

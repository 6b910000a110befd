"""The media library ("Thư viện tệp"): every upload becomes an item, the same file is not stored twice, where
an item is used is known (and stops its deletion), replacing a file keeps its links, search ignores accents."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from core import media
from core.models import MediaItem, MediaUsage
from documents.models import Document, DocumentFile, DocumentType, IssuingBody
from news.models import Article, Attachment
from tests.test_admin_roles import article_form
from tests.test_uploads import image_bytes

PDF = b"%PDF-1.7\n" + b"0" * 512


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(name="Ảnh hội nghị.png", color=(30, 90, 160), size=(800, 600)):
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def upload_to_library(client, *files, follow=False, **extra):
    return client.post(reverse("admin:core_mediaitem_add"), {"files": list(files), **extra}, follow=follow)


def test_library_upload_of_several_files(client, editor):
    """An editor uploads two images and a PDF at once: three items with size, dimensions, uploader and title."""
    client.force_login(editor)
    response = upload_to_library(
        client, png("Ảnh hội nghị.png"), png("Lễ ký kết.png", (200, 10, 10)), SimpleUploadedFile("Kế hoạch.pdf", PDF)
    )
    assert response.status_code == 302
    items = {item.title: item for item in MediaItem.objects.all()}
    assert set(items) == {"Ảnh hội nghị", "Lễ ký kết", "Kế hoạch"}
    photo = items["Ảnh hội nghị"]
    assert (photo.kind, photo.width, photo.height, photo.uploaded_by) == ("image", 800, 600, editor)
    assert photo.size > 0 and len(photo.sha256) == 64 and photo.content_type == "image/png"
    assert items["Kế hoạch"].kind == "document" and items["Kế hoạch"].size == len(PDF)


def test_same_file_again_offers_the_existing_item(client, editor):
    """Uploading the same photo again stores no copy and says where the earlier one is."""
    client.force_login(editor)
    upload_to_library(client, png())
    response = upload_to_library(client, png("ban-sao.png"), follow=True)
    assert MediaItem.objects.count() == 1
    assert "đã có trong thư viện" in response.content.decode()


def test_bad_files_refused_with_vietnamese_messages(client, editor):
    """A script, a fake image and a fake PDF are refused by name with a reason; the good file of the batch is kept."""
    client.force_login(editor)
    response = upload_to_library(
        client,
        SimpleUploadedFile("virus.exe", b"MZ\x90\x00"),
        SimpleUploadedFile("anh.jpg", b"khong phai anh"),
        SimpleUploadedFile("van-ban.pdf", b"<html>"),
        png(),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "virus.exe" in page and "không thuộc loại nào" in page
    assert "không phải là ảnh hợp lệ" in page
    assert "không khớp với định dạng .pdf" in page
    assert MediaItem.objects.count() == 1


def test_upload_without_file_says_so(client, editor):
    client.force_login(editor)
    response = upload_to_library(client)
    assert "Hãy chọn ít nhất một tệp để tải lên." in response.content.decode()


def test_editor_upload_becomes_an_item_once(client, editor):
    """CKEditor's upload makes an item; the same image again gives the same URL, no second file."""
    client.force_login(editor)
    first = client.post(reverse("ck_editor_5_upload_file"), {"upload": png()}).json()
    again = client.post(reverse("ck_editor_5_upload_file"), {"upload": png("khac-ten.png")}).json()
    assert first["url"] == again["url"] and first["url"].startswith("/media/editor/")
    assert MediaItem.objects.get().file.url == first["url"]


def test_cover_upload_becomes_item_and_usage(client, editor, category):
    """An uploaded cover is a library item, used by the article, with the alt text learnt for next time."""
    client.force_login(editor)
    data = article_form(category, cover=png(), cover_alt="Toàn cảnh hội nghị")
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    item = MediaItem.objects.get()
    assert article.cover.name == item.file.name
    assert item.alt_text == "Toàn cảnh hội nghị" and item.uploaded_by == editor
    assert [u.label for u in MediaUsage.objects.filter(item=item, field="cover")] == [article.title]
    assert article.cover_400.url  # renditions still made from the shared file


def test_cover_kept_when_the_form_comes_back(client, editor, category):
    """Issue 17: a missing alt text sends the form back with the uploaded cover still chosen (id + preview)."""
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), article_form(category, cover=png()))
    page = response.content.decode()
    assert "Hãy mô tả ảnh đại diện" in page
    item = MediaItem.objects.get()
    assert re.search(rf'name="cover_item" value="{item.pk}"', page)
    assert item.thumbnail.url in page
    # Sent again with the alt text only: the article gets that cover, nothing uploaded twice.
    data = article_form(category, cover_item=str(item.pk), cover_alt="Toàn cảnh hội nghị")
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302
    assert Article.objects.get().cover.name == item.file.name
    assert MediaItem.objects.count() == 1


def test_picked_cover_proposes_its_alt_text(client, editor, category):
    """Choosing a library image with a stored description proposes it (the form says so) instead of refusing."""
    client.force_login(editor)
    item, _ = media.add_upload(png(), editor, alt_text="Lãnh đạo Sở phát biểu")
    response = client.post(reverse("admin:news_article_add"), article_form(category, cover_item=str(item.pk)))
    page = response.content.decode()
    assert "Đã điền mô tả đã lưu cho ảnh này trong thư viện" in page
    assert 'value="Lãnh đạo Sở phát biểu"' in page
    data = article_form(category, cover_item=str(item.pk), cover_alt="Lãnh đạo Sở phát biểu")
    assert client.post(reverse("admin:news_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert article.cover.name == item.file.name
    with Image.open(article.cover_800.path) as rendition:  # the picked photo's renditions are made as for an upload
        assert rendition.width == 800


def test_body_images_and_attachments_are_usages(make_article, editor):
    """Library images in the body and attachments are recorded; removing them clears the usages."""
    item, _ = media.add_upload(png(), editor)
    article = make_article("Hội thảo khoa học", body=f'<p>Ảnh</p><img src="{item.file.url}" alt="Hội thảo">')
    assert list(MediaUsage.objects.filter(field="body").values_list("item", flat=True)) == [item.pk]
    assert MediaItem.objects.get(pk=item.pk).alt_text == "Hội thảo"  # learnt from the body
    attachment = Attachment.objects.create(article=article, file=SimpleUploadedFile("Kế hoạch.pdf", PDF))
    pdf_item = MediaItem.objects.get(file=attachment.file.name)
    assert MediaUsage.objects.filter(item=pdf_item, field="attachments", object_id=str(article.pk)).exists()
    # The same PDF attached again: no second stored file.
    twin = Attachment.objects.create(article=article, file=SimpleUploadedFile("ban-sao.pdf", PDF))
    assert twin.file.name == attachment.file.name and MediaItem.objects.filter(kind="document").count() == 1
    article.body = "<p>Không còn ảnh</p>"
    article.save()
    assert not MediaUsage.objects.filter(item=item).exists()
    attachment.delete()
    twin.delete()
    assert not MediaUsage.objects.filter(item=pdf_item).exists()
    article.cover = item.file.name
    article.save()
    article.delete()
    assert not MediaUsage.objects.exists()


def test_document_files_are_items(editor):
    document = Document.objects.create(
        doc_type=DocumentType.objects.get_or_create(name="Quyết định thử", defaults={"slug": "quyet-dinh-thu"})[0],
        issuer=IssuingBody.objects.get_or_create(name="UBND tỉnh thử", defaults={"slug": "ubnd-tinh-thu"})[0],
        number="12/2023/QĐ-UBND",
        issued_on="2023-01-10",
        summary="Quy định quản lý nhiệm vụ khoa học",
    )
    stored = DocumentFile.objects.create(document=document, file=SimpleUploadedFile("Quyết định 12.pdf", PDF))
    item = MediaItem.objects.get(file=stored.file.name)
    assert item.kind == "document"
    assert media.usages_of(item)[0].label == str(document)


def test_delete_refused_while_used(client, publisher, make_article):
    """Deleting an item in use is refused, naming the article; unused, it goes."""
    client.force_login(publisher)
    item, _ = media.add_upload(png(), publisher)
    article = make_article("Hội nghị tổng kết năm 2023", cover=item.file.name, cover_alt="Hội nghị")
    response = client.post(reverse("admin:core_mediaitem_delete", args=[item.pk]), {"post": "yes"}, follow=True)
    page = response.content.decode()
    assert "Không thể xoá" in page and "Hội nghị tổng kết năm 2023" in page
    assert MediaItem.objects.filter(pk=item.pk).exists()
    change = client.get(reverse("admin:core_mediaitem_change", args=[item.pk])).content.decode()
    assert reverse("admin:news_article_change", args=[article.pk]) in change  # "Đang được dùng ở" links to it
    # Bulk deletion keeps it too, and says why.
    response = client.post(
        reverse("admin:core_mediaitem_changelist"),
        {"action": "delete_unused", "_selected_action": [item.pk]},
        follow=True,
    )
    assert "Không thể xoá" in response.content.decode() and MediaItem.objects.filter(pk=item.pk).exists()
    article.delete()
    client.post(reverse("admin:core_mediaitem_delete", args=[item.pk]), {"post": "yes"})
    assert not MediaItem.objects.filter(pk=item.pk).exists()


def test_replace_keeps_links_and_makes_renditions_again(client, publisher, make_article, settings):
    """ "Thay tệp" puts the new photo under the same URL: the article's cover and renditions show it."""
    client.force_login(publisher)
    item, _ = media.add_upload(png(color=(0, 0, 255)), publisher)
    article = make_article("Bài có ảnh", cover=item.file.name, cover_alt="Ảnh")
    url = item.file.url
    old_rendition = article.cover_400.path
    with Image.open(old_rendition) as before:
        assert before.convert("RGB").getpixel((5, 5))[2] > 200  # blue
    data = {"title": "Ảnh mới", "alt_text": "Ảnh", "caption": "", "replacement": png("moi.png", (255, 0, 0))}
    response = client.post(reverse("admin:core_mediaitem_change", args=[item.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.file.url == url
    with Image.open(item.file.path) as now:
        assert now.convert("RGB").getpixel((5, 5))[0] > 200  # red
    with Image.open(Article.objects.get(pk=article.pk).cover_400.path) as rendition:
        assert rendition.convert("RGB").getpixel((5, 5))[0] > 200
    assert MediaUsage.objects.filter(item=item, field="cover").exists()


def test_replace_with_another_format_refused(client, publisher):
    client.force_login(publisher)
    item, _ = media.add_upload(png(), publisher)
    jpeg = SimpleUploadedFile("moi.jpg", image_bytes("JPEG"), content_type="image/jpeg")
    response = client.post(
        reverse("admin:core_mediaitem_change", args=[item.pk]),
        {"title": "x", "alt_text": "", "caption": "", "replacement": jpeg},
    )
    assert "phải cùng định dạng với tệp cũ (.png)" in response.content.decode()


def test_search_without_accents_and_filters(client, editor, publisher, django_assert_max_num_queries):
    """ "hoi nghi" finds "Hội nghị"; filters by kind and uploader narrow the list; the list's queries are fixed."""
    media.add_upload(png("Hội nghị tổng kết.png"), editor)
    media.add_upload(png("Đồng chí Giám đốc.png", (1, 2, 3)), publisher)
    media.add_upload(SimpleUploadedFile("Kế hoạch hội nghị.pdf", PDF), editor)
    client.force_login(editor)
    url = reverse("admin:core_mediaitem_changelist")

    def titles(**params):
        page = client.get(url, params).content.decode()
        return {t for t in ("Hội nghị tổng kết", "Đồng chí Giám đốc", "Kế hoạch hội nghị") if t in page}

    assert titles(q="hoi nghi") == {"Hội nghị tổng kết", "Kế hoạch hội nghị"}
    assert titles(q="dong chi") == {"Đồng chí Giám đốc"}
    assert titles(kind__exact="document") == {"Kế hoạch hội nghị"}
    assert titles(uploaded_by__id__exact=publisher.pk) == {"Đồng chí Giám đốc"}
    with django_assert_max_num_queries(14):
        client.get(url)
    with django_assert_max_num_queries(10):
        client.get(reverse("admin:core_mediaitem_picker"), {"loai": "image"})
    picker = client.get(reverse("admin:core_mediaitem_picker"), {"loai": "image", "q": "hoi nghi"}).content.decode()
    assert "Hội nghị tổng kết" in picker and "Kế hoạch hội nghị" not in picker


def test_backfill_adopts_stored_files_idempotently(make_article, tmp_path):
    """Files stored before the library: `media_backfill` makes one item each and their usages, twice safely."""
    from django.core.files.storage import default_storage

    name = default_storage.save("covers/2023/01/cu.png", png())
    article = make_article("Bài cũ", cover=name, cover_alt="Ảnh cũ")
    MediaUsage.objects.all().delete()
    MediaItem.objects.all().delete()
    out = io.StringIO()
    call_command("media_backfill", stdout=out)
    call_command("media_backfill", stdout=out)
    item = MediaItem.objects.get()
    assert item.file.name == name and item.alt_text == "Ảnh cũ"
    assert MediaUsage.objects.get().object_id == str(article.pk)


def test_attachment_kept_when_the_form_comes_back(client, editor, category):
    """An attachment uploaded with an article that comes back for another error is still there, then saved."""
    client.force_login(editor)
    rows = {
        "attachments-TOTAL_FORMS": "1",
        "attachments-0-title": "Kế hoạch",
        "attachments-0-position": "0",
    }
    upload = SimpleUploadedFile("Kế hoạch năm 2024.pdf", PDF)
    response = client.post(
        reverse("admin:news_article_add"), article_form(category, title="", **rows, **{"attachments-0-file": upload})
    )
    page = response.content.decode()
    item = MediaItem.objects.get()
    assert item.kind == "document" and item.file.name.startswith("attachments/")
    assert f'name="attachments-0-file_item" value="{item.pk}"' in page and "Kế hoạch năm 2024" in page
    data = article_form(category, title="Có tệp đính kèm", **rows, **{"attachments-0-file_item": str(item.pk)})
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = Attachment.objects.get()
    assert attachment.file.name == item.file.name and attachment.size == len(PDF)
    assert MediaUsage.objects.filter(item=item, field="attachments").exists()


def test_attachment_picked_must_be_a_document(client, editor, category):
    client.force_login(editor)
    image, _ = media.add_upload(png(), editor)
    data = article_form(
        category,
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "Ảnh",
            "attachments-0-position": "0",
            "attachments-0-file_item": str(image.pk),
        },
    )
    response = client.post(reverse("admin:news_article_add"), data)
    assert "Tệp đã chọn không còn trong thư viện" in response.content.decode()


def test_department_pages_and_portraits_are_tracked(publisher):
    """A leader's portrait becomes an item; a library image in a department page's body is a usage of it."""
    from pages.models import Leader, Page

    leader = Leader.objects.create(name="Nguyễn Văn Bình", title="Giám đốc Sở", photo=png("Chân dung.png"))
    portrait = MediaItem.objects.get(file=leader.photo.name)
    assert media.usages_of(portrait)[0].label == str(leader)
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    page.body = f'<p><img src="{portrait.file.url}" alt="Giám đốc Sở"></p>'
    page.save()
    assert MediaUsage.objects.filter(item=portrait, field="body", object_id=str(page.pk)).exists()


def test_removing_the_cover_survives_another_error(client, publisher, make_article):
    """ "Bỏ ảnh này" ticked on a form sent back for another error stays ticked, and the cover goes on save."""
    client.force_login(publisher)
    item, _ = media.add_upload(png(), publisher)
    article = make_article("Bài có ảnh", cover=item.file.name, cover_alt="Ảnh", status=Article.Status.DRAFT)
    url = reverse("admin:news_article_change", args=[article.pk])
    data = article_form(article.category, title="", cover_clear="1", status=Article.Status.DRAFT)
    page = client.post(url, data).content.decode()
    assert re.search(r'name="cover_clear" value="1" checked', page)


def test_library_closed_to_roles_without_it(client, django_user_model):
    """Feedback staff do not see the library nor its picker."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("gopy", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Tiếp nhận góp ý"))
    client.force_login(user)
    assert client.get(reverse("admin:core_mediaitem_picker")).status_code == 403
    assert client.get(reverse("admin:core_mediaitem_changelist")).status_code == 403


def test_document_file_upload_lands_where_documents_go(publisher):
    """A legal document's file uploaded through its form's field (the model's own upload_to) is stored under
    attachments/van-ban/ as before, and is a library item."""
    field = DocumentFile._meta.get_field("file")
    item, _ = media.add_upload(
        SimpleUploadedFile("Quyết định số 12.pdf", PDF),
        publisher,
        name_for=lambda name: field.generate_filename(DocumentFile(), name),
    )
    assert item.file.name.startswith("attachments/van-ban/") and item.file.name.endswith("quyet-dinh-so-12.pdf")
    assert item.kind == "document" and item.uploaded_by == publisher

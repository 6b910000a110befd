"""A citizen attaches up to three photos or scanned pages (JPEG, PNG, PDF) to a question: checked like
staff uploads, stored where the public site cannot reach them, shown to staff only, kept when the form
comes back with an error, and removed with the feedback's contact details."""

import io
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from feedback.models import Attachment, Feedback

from .test_feedback_support import CREATE_URL, form_data, staff_user, text_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(name="anh-hien-truong.jpg", size=(320, 240), exif=False):
    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    extra = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Camera của người dân"  # Make
        extra["exif"] = data.tobytes()
    image.save(out, "JPEG", **extra)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name="giay-to.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def send(client, files, **fields):
    return client.post(CREATE_URL, {**form_data(**fields), "attachments": files})


def test_a_photo_and_a_scanned_page_arrive_with_the_question(client):
    response = send(client, [jpeg(exif=True), pdf()])
    assert response.status_code == 302, text_of(response)[:2000]
    feedback = Feedback.objects.get()
    photo, page = feedback.attachments.order_by("id")
    assert (photo.original_name, photo.content_type) == ("anh-hien-truong.jpg", "image/jpeg")
    assert (page.original_name, page.content_type) == ("giay-to.pdf", "application/pdf")
    # Stored outside the public media folder, without the camera's metadata.
    path = photo.file.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    assert "Camera" not in Image.open(path).getexif().get(0x010F, "")


def test_staff_download_the_files_and_nobody_else_can(client, django_user_model):
    send(client, [pdf()])
    feedback = Feedback.objects.get()
    attachment = feedback.attachments.get()
    url = reverse("admin:feedback_feedback_attachment", args=[feedback.pk, attachment.pk])
    assert client.get(url).status_code == 302  # to the login page
    assert b"giay-to.pdf" not in client.get("/hoi-dap/").content
    client.force_login(staff_user(django_user_model))
    page = text_of(client.get(reverse("admin:feedback_feedback_change", args=[feedback.pk])))
    assert "giay-to.pdf" in page and url in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00" * 100), "Tệp “virus.exe” không nhận được"),
        (SimpleUploadedFile("anh.jpg", b"not an image at all"), "Tệp “anh.jpg” không nhận được"),
        (
            SimpleUploadedFile("tai-lieu.pdf", b"%PDF-" + b"x" * (5 * 1024 * 1024)),
            "Tệp “tai-lieu.pdf” quá lớn (5,0 MB)",
        ),
    ],
)
def test_a_bad_file_is_named_and_nothing_typed_is_lost(client, upload, message):
    data = form_data()
    response = client.post(CREATE_URL, {**data, "attachments": [upload, jpeg()]})
    page = text_of(response)
    assert response.status_code == 200
    assert message in page
    assert data["content"] in page and data["name"] in page
    # The good photo stays chosen: the page lists it and sends it back.
    kept = Attachment.objects.pending().get()
    assert kept.original_name == "anh-hien-truong.jpg"
    assert f'value="{kept.token}"' in page
    assert not Feedback.objects.exists()


def test_files_kept_from_a_failed_attempt_arrive_when_the_form_is_sent_again(client):
    response = send(client, [jpeg()], title="")  # the title was forgotten
    assert "Vui lòng nhập tiêu đề." in text_of(response)
    token = Attachment.objects.pending().get().token
    response = client.post(CREATE_URL, {**form_data(), "kept": [token]})
    assert response.status_code == 302
    assert Feedback.objects.get().attachments.get().token == token
    assert not Attachment.objects.pending().exists()


def test_a_file_the_citizen_unticks_is_not_sent(client):
    send(client, [jpeg()], title="")
    response = client.post(CREATE_URL, form_data())  # the "kept" box unticked: no token sent back
    assert response.status_code == 302
    assert not Feedback.objects.get().attachments.exists()


def test_at_most_three_files(client):
    response = send(client, [jpeg(f"anh-{i}.jpg") for i in range(4)])
    assert "Chỉ đính kèm được tối đa 3 tệp" in text_of(response)
    assert Attachment.objects.pending().count() == 3


def test_someone_elses_or_an_old_token_is_ignored(client):
    send(client, [jpeg()], title="")
    old = Attachment.objects.pending().get()
    Attachment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    response = client.post(CREATE_URL, {**form_data(), "kept": [old.token, "x" * 32]})
    assert response.status_code == 302
    assert not Feedback.objects.get().attachments.exists()


def test_the_form_body_may_hold_the_files_but_not_more(client):
    big = 3 * settings.FEEDBACK_ATTACHMENT_MAX_BYTES + 200 * 1024
    response = client.generic(
        "POST", CREATE_URL, b"x", CONTENT_TYPE="multipart/form-data; boundary=x", CONTENT_LENGTH=str(big)
    )
    assert response.status_code == 413


def test_files_go_with_the_contact_details_and_unsent_ones_after_a_day(
    client, settings, django_capture_on_commit_callbacks
):
    send(client, [pdf()])
    feedback = Feedback.objects.get()
    path = feedback.attachments.get().file.path
    send(client, [jpeg()], title="")
    pending_path = Attachment.objects.pending().get().file.path
    later = timezone.now() + timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS + 2)
    Feedback.objects.filter(pk=feedback.pk).update(
        status=Feedback.Status.ANSWERED, answer="Đã trả lời.", answered_at=timezone.now()
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("feedback_cleanup", stdout=io.StringIO())
    assert not Attachment.objects.exists()
    assert not os.path.exists(path) and not os.path.exists(pending_path)

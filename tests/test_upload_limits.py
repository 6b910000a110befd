"""Request bodies are limited per path (settings.REQUEST_BODY_LIMITS): videos and galleries' photos may be
large in the admin, other admin uploads modest, public forms small; what is over gets a Vietnamese 413
before anything reads it, and a video over VIDEO_MAX_BYTES a Vietnamese message in its form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from gallery.models import Video
from portal.middleware import RequestBodyLimitMiddleware, body_limit

MB = 1024 * 1024


def answer(path, length):
    """The middleware's answer to a POST announcing `length` bytes (nothing is read: there is no body)."""
    request = RequestFactory().post(path, content_type="application/octet-stream", CONTENT_LENGTH=str(length))
    return RequestBodyLimitMiddleware(lambda request: HttpResponse("đã nhận"))(request)


def test_each_place_has_its_limit(settings):
    video = settings.VIDEO_MAX_BYTES
    assert video == 300 * MB
    assert body_limit("/admin/gallery/video/add/")[0] > video
    assert body_limit("/admin/gallery/gallery/3/change/")[0] > video
    assert body_limit("/admin/news/article/add/")[0] == 64 * MB
    assert body_limit("/ckeditor5/image_upload/")[0] == 12 * MB
    assert body_limit("/danh-gia/") == (96 * 1024, False)
    assert body_limit("/admin-gia/")[0] == 96 * 1024  # only the admin's own paths


@pytest.mark.parametrize(
    ("path", "length", "refused"),
    [
        ("/admin/gallery/video/add/", 250 * MB, False),
        ("/admin/gallery/video/add/", 350 * MB, True),
        ("/admin/news/article/add/", 60 * MB, False),
        ("/admin/news/article/add/", 250 * MB, True),  # a video belongs in the gallery's admin
        ("/ckeditor5/image_upload/", 13 * MB, True),
        ("/danh-gia/", 90 * 1024, False),
        ("/danh-gia/", 200 * 1024, True),
    ],
)
def test_bodies_over_their_path_limit_are_refused_unread(path, length, refused):
    response = answer(path, length)
    assert (response.status_code == 413) is refused
    if refused:
        html = response.content.decode()
        assert "Nội dung gửi quá lớn" in html and response["Connection"] == "close"


def test_the_upload_refusal_says_how_large_in_vietnamese():
    html = answer("/admin/gallery/video/add/", 400 * MB).content.decode().replace("\xa0", " ")
    assert "Tệp gửi lên quá lớn (400,0 MB)" in html and "tối đa 304,0 MB" in html
    html = answer("/danh-gia/", 200 * 1024).content.decode()
    assert "Biểu mẫu chỉ nhận tối đa 96 KB" in html


def test_limits_come_from_settings(settings):
    settings.REQUEST_BODY_LIMITS = [("/admin/gallery/", 2 * MB)]
    assert answer("/admin/gallery/video/add/", 3 * MB).status_code == 413
    assert answer("/admin/gallery/video/add/", 1 * MB).status_code == 200
    assert answer("/admin/news/article/add/", 1 * MB).status_code == 413  # now only the public limit


def mp4(size):
    head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
    return SimpleUploadedFile("hoi-nghi.mp4", head + b"\x00" * (size - len(head)), content_type="video/mp4")


def test_an_oversized_video_gets_a_vietnamese_message_and_keeps_the_form(client, publisher, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.VIDEO_MAX_BYTES = 1 * MB
    client.force_login(publisher)
    data = {"title": "Hội nghị tổng kết năm 2025", "date": "2026-01-15"}  # "Lưu nháp"
    data["publish_at_0"], data["publish_at_1"] = "2026-01-15", "08:00"
    response = client.post("/admin/gallery/video/add/", {**data, "video_upload": mp4(int(1.5 * MB))})
    assert response.status_code == 200
    html = response.content.decode().replace("\xa0", " ")
    assert "Video quá lớn (1,5 MB). Dung lượng tối đa là 1,0 MB" in html
    assert 'value="Hội nghị tổng kết năm 2025"' in html  # nothing typed is lost
    assert 'data-max-bytes="1048576"' in html  # the browser says so before uploading (js/video-admin.js)
    assert not Video.objects.exists()

    response = client.post("/admin/gallery/video/add/", {**data, "video_upload": mp4(200 * 1024)})
    assert response.status_code == 302
    video = Video.objects.get()
    assert video.file.kind == "video" and video.file.size == 200 * 1024 and video.file.file.name.endswith(".mp4")

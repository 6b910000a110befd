"""Uploads: real images only, bounded in size and pixels, EXIF removed, renditions made once."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core import images
from news.models import Article, Attachment
from tests.test_admin_roles import article_form


def image_bytes(fmt="JPEG", size=(1600, 900), exif=False):
    image = Image.new("RGB", size, (30, 90, 160))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x8825] = {2: (21.0, 1.0, 0.0)}  # GPS latitude
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def post_cover(client, category, upload, **overrides):
    data = article_form(category, cover=upload, cover_alt="Toàn cảnh hội nghị", **overrides)
    return client.post(reverse("admin:news_article_add"), data)


def test_cover_upload_strips_exif_and_makes_renditions(client, publisher, category):
    """A JPEG with GPS data is stored without it, and the 400/800/1200 renditions exist."""
    client.force_login(publisher)
    upload = SimpleUploadedFile("Ảnh hội nghị.jpg", image_bytes(exif=True), content_type="image/jpeg")
    response = post_cover(client, category, upload)
    assert response.status_code == 302
    article = Article.objects.get()
    with Image.open(article.cover.path) as stored:
        assert not stored.getexif()
    assert article.cover.name.endswith("anh-hoi-nghi.jpg")
    for spec, width in ((article.cover_400, 400), (article.cover_800, 800), (article.cover_1200, 1200)):
        with Image.open(spec.path) as rendition:
            assert rendition.width == width
    html = client.get(article.get_absolute_url()).content.decode()
    assert "400w" in html and "1200w" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.jpg", b"<script>alert(1)</script>", "không phải là ảnh hợp lệ"),
        (
            "vector.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "không phải là ảnh hợp lệ",
        ),
        ("fake.png", b"%PDF-1.4 not an image", "không phải là ảnh hợp lệ"),
        ("broken.jpg", image_bytes()[:200], "không phải là ảnh hợp lệ"),
    ],
)
def test_cover_rejections(client, publisher, category, name, content, message):
    """Non-images and broken images are refused with a Vietnamese message, the form kept."""
    client.force_login(publisher)
    response = post_cover(client, category, SimpleUploadedFile(name, content, content_type="image/jpeg"))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Bài mới của biên tập viên" in html  # what was typed is still there
    assert not Article.objects.exists()


def test_cover_too_many_pixels(client, publisher, category):
    """A decompression bomb (over 40 megapixels) is refused before it is decoded."""
    client.force_login(publisher)
    bomb = image_bytes("PNG", size=(8000, 6000))
    response = post_cover(client, category, SimpleUploadedFile("bom.png", bomb, content_type="image/png"))
    assert "Tối đa 40 triệu điểm ảnh" in response.content.decode()
    assert not Article.objects.exists()


def test_cover_too_large(client, publisher, category):
    """A file over 10 MB is refused with its size in the message."""
    client.force_login(publisher)
    big = SimpleUploadedFile("lon.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 10), content_type="image/jpeg")
    response = post_cover(client, category, big)
    assert "Dung lượng tối đa là 10 MB" in response.content.decode()


def test_cover_requires_alt_text(client, publisher, category):
    """A cover without a description for screen readers is sent back with a message."""
    client.force_login(publisher)
    upload = SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png")
    response = client.post(reverse("admin:news_article_add"), article_form(category, cover=upload))
    assert "Hãy mô tả ảnh đại diện" in response.content.decode()


def test_editor_image_upload(client, editor):
    """CKEditor's image upload stores a cleaned image and returns its URL."""
    client.force_login(editor)
    upload = SimpleUploadedFile("ảnh.png", image_bytes("PNG", exif=False), content_type="image/png")
    response = client.post(reverse("ck_editor_5_upload_file"), {"upload": upload})
    assert response.status_code == 200
    assert response.json()["url"].startswith("/media/editor/")


@pytest.mark.parametrize("user_kind", ["anonymous", "citizen"])
def test_editor_upload_refused_to_non_staff(client, django_user_model, user_kind):
    """Only staff may upload images into the editor."""
    if user_kind == "citizen":
        client.force_login(django_user_model.objects.create_user("dan", password="x"))
    upload = SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png")
    response = client.post(reverse("ck_editor_5_upload_file"), {"upload": upload})
    assert response.status_code == 403


def test_editor_upload_rejects_non_image(client, editor):
    """A non-image sent to the editor's upload gets a Vietnamese error in CKEditor's format."""
    client.force_login(editor)
    upload = SimpleUploadedFile("x.gif", b"GIF89a<script>", content_type="image/gif")
    response = client.post(reverse("ck_editor_5_upload_file"), {"upload": upload})
    assert response.status_code == 400
    assert "không phải là ảnh hợp lệ" in response.json()["error"]["message"]


def test_attachment_checked_by_content(article):
    """An attachment named .pdf that is not a PDF is refused; a real PDF is kept with its size."""
    from django.core.exceptions import ValidationError

    fake = Attachment(article=article, file=SimpleUploadedFile("van-ban.pdf", b"MZ\x90\x00 exe"))
    with pytest.raises(ValidationError, match="không khớp"):
        fake.full_clean()
    real = Attachment(article=article, file=SimpleUploadedFile("van-ban.pdf", b"%PDF-1.7\n" + b"0" * 2048))
    real.full_clean()
    real.save()
    assert real.size == 2057 and real.extension == "PDF"


def test_attachment_listed_on_article(client, article):
    """Attachments show on the article page with type and size."""
    Attachment.objects.create(
        article=article,
        title="Kế hoạch năm 2023",
        file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7\n" + b"0" * 3000),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Kế hoạch năm 2023" in html and "PDF" in html and "2,9" in html


def gif_bytes(frames, canvas=None, comment=None):
    """An animated GIF of small frames; `canvas` rewrites its logical screen size (Pillow decodes every
    frame at that size), which is how a 1 MB file asks for gigabytes."""
    images = [Image.new("L", (4, 4), (i * 37) % 256) for i in range(frames)]  # distinct: Pillow merges equal ones
    out = io.BytesIO()
    extra = {"comment": comment} if comment else {}
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=100, loop=0, **extra)
    data = bytearray(out.getvalue())
    if canvas:
        data[6:10] = canvas[0].to_bytes(2, "little") + canvas[1].to_bytes(2, "little")
    return bytes(data)


def jpeg_markers(data):
    """The marker bytes of a JPEG's segments up to the image data (0xFE is a COM segment)."""
    markers, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return markers


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if an image reaches the decoding child process."""

    def refuse(*args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(images, "_reencode", refuse)


def test_gif_with_too_many_frames_refused_before_decoding(no_decoding):
    """An animated GIF over MAX_FRAMES frames is refused from its headers, frames not decoded."""
    upload = SimpleUploadedFile("dong.gif", gif_bytes(images.MAX_FRAMES + 1), content_type="image/gif")
    with pytest.raises(ValidationError) as caught:
        images.clean_image_upload(upload)
    assert caught.value.code == "too_many_frames"
    assert "Tối đa 200 khung hình" in caught.value.messages[0]


def test_gif_pixel_budget_across_frames(client, publisher, category, no_decoding):
    """40 frames of 6000 × 6000 (each under the 40 Mpx per-image limit) exceed the total budget: the
    editor gets the Vietnamese message in the form, what was typed kept, nothing decoded."""
    client.force_login(publisher)
    bomb = gif_bytes(40, canvas=(6000, 6000))
    assert len(bomb) < 10_000
    response = post_cover(client, category, SimpleUploadedFile("bom.gif", bomb, content_type="image/gif"))
    html = response.content.decode()
    assert "40 khung hình × 6000 × 6000" in html
    assert "Tổng tối đa 100 triệu điểm ảnh" in html
    assert "Bài mới của biên tập viên" in html
    assert not Article.objects.exists()


def test_small_animated_gif_keeps_its_frames():
    """An ordinary animated GIF passes and keeps its animation."""
    clean = images.clean_image_upload(SimpleUploadedFile("a.gif", gif_bytes(12), content_type="image/gif"))
    with Image.open(clean) as image:
        assert image.n_frames == 12


def test_image_work_has_a_hard_time_limit(monkeypatch):
    """Decoding that overruns the time limit is stopped and the upload refused in Vietnamese."""
    monkeypatch.setattr(images, "WORK_SECONDS", 0.001)
    upload = SimpleUploadedFile("a.png", image_bytes("PNG"), content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        images.clean_image_upload(upload)
    assert caught.value.code == "too_heavy"
    assert "vượt giới hạn thời gian hoặc bộ nhớ" in caught.value.messages[0]


def test_image_work_has_a_hard_memory_limit(monkeypatch):
    """An image whose decoding needs more memory than WORK_MEMORY is refused, the worker unharmed."""
    monkeypatch.setattr(images, "WORK_MEMORY", 1024 * 1024 * 1024 // 8)
    monkeypatch.setattr(images, "MAX_TOTAL_PIXELS", 10**12)
    upload = SimpleUploadedFile("bom.gif", gif_bytes(8, canvas=(6000, 6000)), content_type="image/gif")
    with pytest.raises(ValidationError) as caught:
        images.clean_image_upload(upload)
    assert caught.value.code == "too_heavy"


def test_jpeg_comment_removed():
    """A JPEG COM segment (often a camera or editor's note) does not survive the clean-up."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (1, 2, 3)).save(out, format="JPEG", comment=b"Nguyen Van A 0912345678")
    assert 0xFE in jpeg_markers(out.getvalue())
    clean = images.clean_image_upload(SimpleUploadedFile("a.jpg", out.getvalue(), content_type="image/jpeg"))
    data = clean.read()
    assert 0xFE not in jpeg_markers(data)
    assert b"0912345678" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert "comment" not in image.info


def test_gif_comment_removed():
    """A GIF comment extension does not survive the clean-up, animated or not."""
    for frames in (1, 3):
        upload = SimpleUploadedFile(
            "a.gif", gif_bytes(frames, comment=b"toa do 21.03,105.85"), content_type="image/gif"
        )
        with Image.open(upload) as original:
            assert original.info.get("comment")
        data = images.clean_image_upload(upload).read()
        assert b"toa do" not in data
        with Image.open(io.BytesIO(data)) as image:
            assert "comment" not in image.info

"""Uploads: real images only, bounded in size and pixels, EXIF removed, renditions made once."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

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

"""Uploaded files are stored under ASCII names readable from the Vietnamese original, never as paths."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.filenames import ATTACHMENT_EXTENSIONS, IMAGE_EXTENSIONS, normalised_name
from news.models import Article, Attachment
from tests.test_admin_roles import article_form
from tests.test_uploads import image_bytes

PDF = b"%PDF-1.7\n" + b"0" * 512


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Kế hoạch năm 2023.pdf", "ke-hoach-nam-2023.pdf"),
        ("ĐỀ ÁN Đổi mới.DOCX", "de-an-doi-moi.docx"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("/etc/cron.d/job.xls", "job.xls"),
        ("C:\\Users\\Lan\\Báo cáo quý 1.xlsx", "bao-cao-quy-1.xlsx"),
        ("bao\x00cao.pdf", "baocao.pdf"),
        ("ảnh.pdf\x00.php", "anh-pdf-php"),
        ("trang.html", "trang-html"),
        ("thong-bao.pdf.exe", "thong-bao-pdf-exe"),
        ("v1.2 bản cuối.odt", "v1-2-ban-cuoi.odt"),
        ("..", "tep"),
        (".pdf", "tep.pdf"),
        ("", "tep"),
        ("???.pdf", "tep.pdf"),
    ],
)
def test_attachment_names(sent, stored):
    """Vietnamese becomes readable ASCII; directories, NUL bytes and unknown extensions are dropped."""
    assert normalised_name(sent, ATTACHMENT_EXTENSIONS) == stored


def test_long_names_are_cut():
    """A 300-character name keeps at most 80 characters before the extension."""
    name = normalised_name("Quyết định " * 30 + ".pdf", ATTACHMENT_EXTENSIONS)
    assert name.endswith(".pdf") and len(name) <= 84 and not name.startswith("-")


def test_image_extensions():
    """Covers keep .jpg/.jpeg/.png/.webp/.gif only."""
    assert normalised_name("Ảnh Hội Nghị.JPEG", IMAGE_EXTENSIONS) == "anh-hoi-nghi.jpeg"
    assert normalised_name("logo.svg", IMAGE_EXTENSIONS) == "logo-svg"


def test_attachment_stored_under_normalised_name(article):
    """An attachment saved through the model lands in attachments/YYYY/MM/ under its ASCII name."""
    attachment = Attachment.objects.create(
        article=article, file=SimpleUploadedFile("Kế hoạch năm 2023.pdf", PDF, content_type="application/pdf")
    )
    assert attachment.file.name.startswith("attachments/")
    assert attachment.filename == "ke-hoach-nam-2023.pdf"
    assert attachment.title == "Kế hoạch năm 2023.pdf"  # the readable title keeps the Vietnamese
    assert attachment.extension == "PDF"


def test_attachment_upload_through_admin(client, publisher, category, settings):
    """A path-laden Vietnamese file name sent from the admin is stored inside MEDIA_ROOT, ASCII only."""
    client.force_login(publisher)
    data = article_form(
        category,
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "",
            "attachments-0-position": "0",
            "attachments-0-file": SimpleUploadedFile("..\\..\\Thông báo số 5.pdf", PDF),
        },
    )
    response = client.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    attachment = Attachment.objects.get()
    assert attachment.filename == "thong-bao-so-5.pdf"
    path = attachment.file.path
    assert path.startswith(str(settings.MEDIA_ROOT)) and "/attachments/" in path
    assert attachment.file.name.isascii()


def test_cover_stored_under_normalised_name(category):
    """A cover saved without the admin form (a script, the demo loader) is normalised too."""
    article = Article.objects.create(
        title="Ảnh bìa",
        category=category,
        cover=SimpleUploadedFile("Toàn cảnh Hội nghị.PNG", image_bytes("PNG", size=(40, 30))),
    )
    assert article.cover.name.startswith("covers/")
    assert article.cover.name.endswith("/toan-canh-hoi-nghi.png")

"""manage.py import_site: the old portal's pages become articles, their photos library items, their old
addresses redirects; a second run changes nothing; bad pages are reported and leave nothing behind."""

import functools
import http.server
import threading
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core.models import MediaItem
from core.redirects import Redirect
from news.importer.dates import parse_vn_date
from news.importer.decoding import decode
from news.models import Article, ImportedPage
from stats.services import article_views

FIXTURES = Path(__file__).parent / "fixtures" / "old_portal"
SITE = FIXTURES / "site"
RULES = str(FIXTURES / "rules.toml")
SEED_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"
SEED_URL = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
SEED_OLD = "/tin-tuc/hoat-dong-cua-so/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023-1052.html"
CAPTIONS = ["Các đại biểu dự Hội nghị", "Phó Chủ tịch UBND tỉnh Nguyễn Trung Thảo phát biểu chỉ đạo Hội nghị"]
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def run(*args):
    out = StringIO()
    call_command("import_site", *args, "--rules", RULES, "--no-progress", stdout=out)
    return out.getvalue()


def import_folder(*extra):
    return run("--folder", str(SITE), "--publish", *extra)


@pytest.mark.django_db
def test_seed_article_with_date_captions_byline_and_count(client):
    import_folder()
    article = Article.objects.get(title=SEED_TITLE)
    assert article.get_absolute_url() == SEED_URL
    assert article.status == Article.Status.PUBLISHED
    local = article.publish_at.astimezone(VN)
    assert local.strftime("%d/%m/%Y") == "10/01/2023"
    assert local.hour == 14  # "Chiều 10/01/2023" in the lead: the afternoon
    assert ImportedPage.objects.get(article=article).date_estimated
    assert article.author == "Dương Liễu"
    assert "Dương Liễu" not in article.body_text
    assert article.category.name == "Hoạt động của Sở"
    assert article_views(article.pk) == 207
    for caption in CAPTIONS:
        assert f"<figcaption>{caption}</figcaption>" in article.body
        assert MediaItem.objects.filter(kind="image", caption=caption, alt_text=caption).exists()
    # The body's images are the library's copies, not the old site's; the reader form did not come along.
    assert "skhcn.example.gov.vn" not in article.body and "/media/" in article.body
    assert "Mã kiểm tra" not in article.body_text and "Tin liên quan" not in article.body_text
    assert "Lượt xem" not in article.body_text

    page = client.get(SEED_URL)
    assert page.status_code == 200
    assert "Dương Liễu" in page.content.decode()
    old = client.get(SEED_OLD)
    assert old.status_code == 301 and old["Location"] == SEED_URL
    by_id = client.get("/Default.aspx?ArticleID=1052&tabid=112&lang=vi")  # the id form, parameters in any order
    assert by_id.status_code == 301 and by_id["Location"] == SEED_URL
    photo = client.get("/Uploads/images/2023/01/hoi-nghi-1.jpg")
    assert photo.status_code == 301 and photo["Location"].startswith("/media/")


@pytest.mark.django_db
def test_second_run_changes_nothing():
    first = import_folder()
    assert "tạo mới 6" in first
    before = (
        list(Article.objects.values_list("id", "title", "body", "updated_at")),
        MediaItem.objects.count(),
        list(Redirect.objects.values_list("id", "target")),
        article_views(Article.objects.get(title=SEED_TITLE).pk),
    )
    second = import_folder()
    assert "không đổi 6" in second and "tạo mới" not in second
    after = (
        list(Article.objects.values_list("id", "title", "body", "updated_at")),
        MediaItem.objects.count(),
        list(Redirect.objects.values_list("id", "target")),
        article_views(Article.objects.get(title=SEED_TITLE).pk),
    )
    assert after == before


@pytest.mark.django_db
def test_existing_article_is_linked_not_duplicated(make_article, client):
    seed = make_article(SEED_TITLE, publish_at=datetime(2023, 1, 10, 14, 0, tzinfo=VN), body="<p>Bản gõ lại.</p>")
    out = import_folder()
    assert "gắn với bài có sẵn 1" in out
    assert Article.objects.filter(title=SEED_TITLE).count() == 1
    seed.refresh_from_db()
    assert seed.body == "<p>Bản gõ lại.</p>"  # what the Department typed is kept
    assert article_views(seed.pk) == 207
    response = client.get(SEED_OLD)
    assert response.status_code == 301 and response["Location"] == seed.get_absolute_url()


@pytest.mark.django_db
def test_bad_pages_reported_skipped_and_nothing_half_imported():
    out = import_folder()
    reasons = dict(ImportedPage.objects.filter(outcome="failed").values_list("old_url", "error"))
    expected = {
        "hoat-dong-cua-so.html": "trang danh sách",
        "bai-viet-da-xoa-9999.html": "404",
        "hop-ban-chi-dao-1070.html": "cắt cụt",
        "nghiem-thu-de-tai-1071.html": "nghiem-thu.jpg không có",
        "bao-cao-tong-hop-1072.html": "quá lớn",
        "ngay-khoa-hoc-cong-nghe-1073.html": "không đọc được ngày đăng",
    }
    for name, reason in expected.items():
        url = next(u for u in reasons if u.endswith(name))
        assert reason in reasons[url]
        assert f"{url}: " in out  # the report lists it with its reason
    for title in ("Nghiệm thu đề tài giống lúa chịu mặn", "Họp Ban chỉ đạo đổi mới sáng tạo", "Hoạt động của Sở"):
        assert not Article.objects.filter(title=title).exists()
    # With the flag, the article without its photo comes in (and the missing photo is a warning).
    out = import_folder("--skip-missing-media")
    assert Article.objects.filter(title="Nghiệm thu đề tài giống lúa chịu mặn").exists()
    assert "nghiem-thu.jpg" in out


@pytest.mark.django_db
def test_encodings_and_layouts():
    import_folder()
    cp1258 = Article.objects.get(title="Hội thảo ứng dụng công nghệ sinh học trong nông nghiệp")
    assert cp1258.author == "Trần Thị Hương"
    assert cp1258.publish_at.astimezone(VN) == datetime(2023, 3, 16, 8, 30, tzinfo=VN)
    assert cp1258.attachments.count() == 1 and "/media/" in cp1258.body
    lying = Article.objects.get(title="Trao Giấy chứng nhận doanh nghiệp khoa học và công nghệ")
    assert lying.author == "Minh Châu" and "ba doanh nghiệp" in lying.body_text
    decomposed = Article.objects.get(title="Tập huấn sở hữu trí tuệ cho doanh nghiệp")  # NFC, so this matches
    assert "sở hữu công nghiệp" in decomposed.body_text
    broken = Article.objects.get(title="Kiểm định phương tiện đo phục vụ quản lý nhà nước")
    assert "bảo vệ quyền lợi người tiêu dùng" in broken.body_text
    assert not Article.objects.filter(title__contains="\u0301").exists()


@pytest.mark.django_db
def test_warc_gives_the_same_result(client):
    out = run("--warc", str(FIXTURES / "old_portal.warc.gz"), "--review")
    assert "tạo mới 6" in out and "máy chủ cũ đã trả lời 404" in out
    article = Article.objects.get(title=SEED_TITLE)
    assert article.status == Article.Status.PENDING
    assert article.body.count("<figcaption>") == 2
    by_query = Article.objects.get(title="Hội đồng khoa học và công nghệ tỉnh họp phiên thường kỳ")
    response = client.get("/Default.aspx?tabid=112&ArticleID=1064")
    assert response.status_code == 301 and response["Location"] == by_query.get_absolute_url()


@pytest.mark.django_db
def test_url_list_from_a_web_server(tmp_path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        urls = tmp_path / "urls.txt"
        urls.write_text(f"# trang cũ\n{base}{SEED_OLD}\n{base}/tin-tuc/khong-co-trang-nay.html\n", "utf-8")
        out = run("--urls", str(urls), "--draft")
    finally:
        server.shutdown()
    assert "tạo mới 1" in out and "máy chủ trả lời 404" in out
    article = Article.objects.get(title=SEED_TITLE)
    assert article.status == Article.Status.DRAFT and article.body.count("<figcaption>") == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    out = run("--folder", str(SITE), "--dry-run")
    assert f"[tạo mới] {SEED_TITLE}" in out and SEED_URL in out
    assert "Chạy thử" in out
    assert not Article.objects.exists() and not Redirect.objects.exists() and not ImportedPage.objects.exists()
    assert not MediaItem.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected", "estimated"),
    [
        ("Chiều 10/01/2023", datetime(2023, 1, 10, 14, 0), True),
        ("Thứ ba, 10/01/2023 - 14:05", datetime(2023, 1, 10, 14, 5), False),
        ("10-01-2023", datetime(2023, 1, 10, 12, 0), True),
        ("Sáng thứ Năm, 16/03/2023", datetime(2023, 3, 16, 8, 0), True),
        ("Tối 02/09/2022", datetime(2022, 9, 2, 19, 0), True),
        ("10.01.2023 14h05", datetime(2023, 1, 10, 14, 5), False),
        ("Ngày 10 tháng 01 năm 2023", datetime(2023, 1, 10, 12, 0), True),
        ("Cập nhật: 10/01/2023 2:05 PM", datetime(2023, 1, 10, 14, 5), False),
    ],
)
def test_vietnamese_dates(text, expected, estimated):
    assert parse_vn_date(text) == (expected.replace(tzinfo=VN), estimated)


def test_windows_1258_and_a_lying_charset_decode_to_nfc():
    lying = (SITE / "tin-tuc/khoa-hoc-cong-nghe/trao-giay-chung-nhan-doanh-nghiep-1061.html").read_bytes()
    text, codec = decode(lying)
    assert codec == "cp1258" and "Trao Giấy chứng nhận doanh nghiệp" in text
    text, codec = decode("Sở Khoa học".encode(), "text/html; charset=iso-8859-1")
    assert text == "Sở Khoa học"


@pytest.mark.django_db
def test_changed_page_updates_its_article_unless_staff_edited_it():
    import_folder()
    seed = Article.objects.get(title=SEED_TITLE)
    record = ImportedPage.objects.get(article=seed)
    Article.objects.filter(pk=seed.pk).update(summary="Tóm tắt cũ")
    ImportedPage.objects.filter(pk=record.pk).update(content_hash="trang-cu-da-doi")  # as if the old page changed
    assert "cập nhật 1" in import_folder()
    seed.refresh_from_db()
    assert seed.summary == "" and Article.objects.filter(title=SEED_TITLE).count() == 1

    seed.summary = "Biên tập viên đã viết lại tóm tắt."
    seed.save()
    Article.objects.filter(pk=seed.pk).update(updated_at=record.last_run_at + timedelta(minutes=10))
    ImportedPage.objects.filter(pk=record.pk).update(content_hash="trang-cu-lai-doi")
    out = import_folder()
    assert "giữ bản đã sửa 1" in out and "đã được sửa sau lần nhập trước" in out
    seed.refresh_from_db()
    assert seed.summary == "Biên tập viên đã viết lại tóm tắt."


@pytest.mark.django_db
def test_a_page_that_fails_while_written_leaves_nothing_behind(monkeypatch, settings):
    from django.db import DatabaseError

    import news.importer.run as run_module

    def broken(article_id, views):
        raise DatabaseError("mất kết nối")

    monkeypatch.setattr(run_module, "set_initial_views", broken)
    out = run("--folder", str(SITE), "--publish")
    assert "lỗi khi ghi vào cơ sở dữ liệu: mất kết nối" in out
    # Only the page without a view count (nothing to carry over, so nothing failed) came in.
    assert list(Article.objects.values_list("title", flat=True)) == ["Tập huấn sở hữu trí tuệ cho doanh nghiệp"]
    assert not MediaItem.objects.exists()
    assert set(Redirect.objects.values_list("target", flat=True)) == {Article.objects.get().get_absolute_url()}
    stored = (
        [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] if Path(settings.MEDIA_ROOT).exists() else []
    )
    assert stored == []  # the photos stored for the failed pages were removed again

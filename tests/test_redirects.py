"""Redirects ("Chuyển hướng"): where a 404 would be, a known old address leads to its new page; the admin
refuses loops and other sites; every use is counted; the page cache never keeps the old 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.admin_redirects import RedirectForm
from core.redirects import Redirect


def form(**data):
    data = {"old_path": "", "old_query": "", "target": "", "permanent": "on", "note": "", **data}
    return RedirectForm(data=data)


@pytest.mark.django_db
def test_old_address_redirects_and_counts_each_hit(client, article):
    Redirect.objects.create(old_path="http://skhcn.tinh.gov.vn/tin-tuc/Hoi-Nghi-123.html", target="/bai-viet/moi/")
    for _ in range(3):
        response = client.get("/tin-tuc/hoi-nghi-123.html/")  # case and a trailing slash do not matter
        assert response.status_code == 301 and response["Location"] == "/bai-viet/moi/"
    row = Redirect.objects.get()
    assert row.hits == 3 and row.last_hit_at is not None
    assert row.old_path == "/tin-tuc/Hoi-Nghi-123.html"  # the pasted URL kept as its path
    assert client.get("/tin-tuc/hoi-nghi-124.html").status_code == 404


@pytest.mark.django_db
def test_query_string_forms_and_temporary_redirects(client):
    Redirect.objects.create(old_path="/Default.aspx", old_query="ArticleID=123", target="/bai-viet/a/")
    Redirect.objects.create(old_path="/Default.aspx", old_query="ArticleID=123&tabid=9", target="/bai-viet/b/")
    Redirect.objects.create(old_path="/tam-thoi/", target="/gioi-thieu/", permanent=False)
    assert client.get("/Default.aspx?tabid=5&articleid=123")["Location"] == "/bai-viet/a/"
    assert client.get("/Default.aspx?tabid=9&ArticleID=123")["Location"] == "/bai-viet/b/"  # the closer match
    assert client.get("/Default.aspx?ArticleID=999").status_code == 404
    assert client.get("/Default.aspx").status_code == 404
    temporary = client.get("/tam-thoi")
    assert temporary.status_code == 302 and temporary["Location"] == "/gioi-thieu/"


@pytest.mark.django_db
def test_live_pages_are_never_shadowed_and_posts_are_not_redirected(client, article):
    Redirect.objects.create(old_path=article.get_absolute_url(), target="/gioi-thieu/")
    assert client.get(article.get_absolute_url()).status_code == 200
    Redirect.objects.create(old_path="/gui-bai.aspx", target="/gop-y/")
    assert client.post("/gui-bai.aspx").status_code in (403, 404)  # a form post is not sent elsewhere


@pytest.mark.django_db
def test_one_statement_finds_and_counts(client):
    Redirect.objects.create(old_path="/cu.html", target="/moi/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/cu.html")
    redirect_queries = [q["sql"] for q in queries if "core_redirect" in q["sql"]]
    assert len(redirect_queries) == 1 and redirect_queries[0].lstrip().startswith("UPDATE")


@pytest.mark.django_db
def test_page_cache_does_not_keep_the_old_404(client, settings, article):
    """/bai-viet/<slug>/ is a cached page kind: an old slug's 404 must not stay once it redirects."""
    settings.PAGE_CACHE_ENABLED = True
    old = "/bai-viet/ten-cu-cua-bai/"
    assert client.get(old).status_code == 404
    assert client.get(old).status_code == 404
    Redirect.objects.create(old_path=old, target=article.get_absolute_url())
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_path": "/cu/", "target": "https://lua-dao.example.com/"}, "không tới trang web khác"),
        ({"old_path": "/cu/", "target": "//lua-dao.example.com/"}, "không tới trang web khác"),
        ({"old_path": "/cu/", "target": "javascript:alert(1)"}, "không tới trang web khác"),
        ({"old_path": "/cu/", "target": "bai-viet/x/"}, "phải bắt đầu bằng “/”"),
        ({"old_path": "/Cu", "target": "/cu/"}, "trùng với đường dẫn cũ"),
        ({"old_path": "/admin/login/", "target": "/"}, "trang quản trị"),
    ],
)
def test_admin_form_refuses(data, message):
    bound = form(**data)
    assert not bound.is_valid()
    assert message in str(bound.errors)


@pytest.mark.django_db
def test_admin_form_refuses_loops_and_duplicates_and_accepts_own_site_urls(settings):
    Redirect.objects.create(old_path="/b/", target="/c/")
    Redirect.objects.create(old_path="/c/", target="/a/")
    looping = form(old_path="/a/", target="/b/")
    assert not looping.is_valid()
    assert "vòng lặp: /a/ → /b/ → /c/ → /a/" in str(looping.errors)
    duplicate = form(old_path="/B", target="/gioi-thieu/")
    assert not duplicate.is_valid() and "đã có chuyển hướng" in str(duplicate.errors)
    settings.ALLOWED_HOSTS = ["skhcn.tinh.gov.vn"]
    own = form(old_path="/x.aspx?ArticleID=5", target="https://skhcn.tinh.gov.vn/bai-viet/x/")
    assert own.is_valid(), own.errors
    saved = own.save()
    assert saved.target == "/bai-viet/x/" and saved.old_path == "/x.aspx" and saved.old_query == "ArticleID=5"


@pytest.mark.django_db
def test_admin_changelist_shows_hits(client, publisher):
    Redirect.objects.create(old_path="/cu.html", target="/moi/", note="Bài chuyển chuyên mục")
    Redirect.objects.filter(old_path="/cu.html").update(hits=42)
    client.force_login(publisher)
    page = client.get("/admin/core/redirect/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chuyển hướng" in html and "/cu.html" in html and "42" in html


@pytest.mark.django_db
def test_keep_adds_and_moves_redirects_in_one_statement(client):
    """What the importer uses: new old addresses get a row, known ones their new target; a page's own address
    and the home page are never redirected."""
    from core.redirects import keep

    Redirect.objects.create(old_path="/tin-tuc/cu-1.html", target="/bai-viet/tam/", note="Biên tập viên thêm")
    moves = [
        ("/tin-tuc/cu-1.html", "/bai-viet/moi/"),
        ("/Default.aspx?ArticleID=1", "/bai-viet/moi/"),
        ("/bai-viet/moi/", "/bai-viet/moi/"),
        ("/", "/bai-viet/moi/"),
    ]
    with CaptureQueriesContext(connection) as queries:
        keep(moves, note="Nhập từ cổng cũ")
    assert len(queries) == 1
    assert Redirect.objects.count() == 2
    moved = Redirect.objects.get(old_path="/tin-tuc/cu-1.html")
    assert moved.target == "/bai-viet/moi/" and moved.note == "Biên tập viên thêm"
    assert client.get("/Default.aspx?articleid=1&tabid=5")["Location"] == "/bai-viet/moi/"


@pytest.mark.django_db
def test_an_address_with_a_nul_byte_is_a_plain_404_without_a_lookup(client, caplog):
    """Scripts send %00 in paths and queries; PostgreSQL refuses NUL in text, and no old address holds one."""
    Redirect.objects.create(old_path="/cu.html", target="/moi/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cu%00.html").status_code == 404
        assert client.get("/cu.html?a=%00").status_code == 404
    assert not [q for q in queries if "core_redirect" in q["sql"]]
    assert "redirects: lookup failed" not in caplog.text
    assert client.get("/cu.html")["Location"] == "/moi/"

"""The Department's pages: Giới thiệu / Liên hệ and their English versions, the language switch."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from pages.models import ContactInfo, Leader, Page

SITE = "http://127.0.0.1:8000"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def about(db):
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    page.summary = "Sở là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh."
    page.body = "<h2>Chức năng</h2><p>Tham mưu quản lý nhà nước về khoa học.</p><script>alert(1)</script>"
    page.title_en = "About us"
    page.summary_en = "The Department is a specialised agency of the Provincial People's Committee."
    page.body_en = "<h2>Functions</h2><p>Advises on the state management of science.</p>"
    page.save()
    return page


@pytest.fixture
def contact(db):
    page = Page.objects.get(kind=Page.Kind.CONTACT)
    page.body = "<p>Bộ phận Một cửa.</p>"
    page.body_en = "<p>One-stop desk.</p>"
    page.save()
    info = ContactInfo.load()
    info.address_en = "No. 1 Tran Hung Dao Street"
    info.hours = "Thứ Hai đến thứ Sáu"
    info.hours_en = "Monday to Friday"
    info.focal_name = "Lê Thị Thu Hà"
    info.focal_title = "Phó Giám đốc Sở"
    info.focal_title_en = "Deputy Director"
    info.focal_phone = "0912 345 678"
    info.focal_email = "phatngon@example.gov.vn"
    info.save()
    return page


@pytest.fixture
def leaders(db):
    return [
        Leader.objects.create(
            name="Trần Minh Quang",
            title="Giám đốc Sở",
            title_en="Director",
            position=1,
            duties="Phụ trách chung.",
            duties_en="Leads the Department.",
        ),
        Leader.objects.create(name="Lê Thị Thu Hà", title="Phó Giám đốc Sở", title_en="Deputy Director", position=2),
        Leader.objects.create(name="Nghỉ hưu", title="Nguyên Giám đốc", is_shown=False),
    ]


def html_lang(html):
    return re.search(r'<html lang="([a-z-]+)"', html).group(1)


def test_pages_exist_from_the_migration_and_contact_has_the_footer_details(client, db):
    """A fresh install has both pages and the contact row; an empty page says it is being updated."""
    assert Page.objects.count() == 2
    html = client.get(reverse("pages:about")).content.decode()
    assert "Nội dung đang được cập nhật." in html
    info = ContactInfo.load()
    assert info.phone == "0200 3826 789" and info.email == "sokhcn@example.gov.vn"


def test_about_page_in_vietnamese(client, about, leaders):
    response = client.get("/gioi-thieu/")
    html = response.content.decode()
    assert response.status_code == 200 and html_lang(html) == "vi"
    assert '<h1 class="page-title" id="page-title">Giới thiệu</h1>' in html
    assert "Tham mưu quản lý nhà nước về khoa học." in html
    assert "<script>alert(1)</script>" not in html  # sanitised on save
    assert html.index("Trần Minh Quang") < html.index("Lê Thị Thu Hà")
    assert "Nghỉ hưu" not in html
    assert "Lãnh đạo Sở" in html and "Phụ trách chung." in html


def test_english_about_page(client, about, leaders):
    response = client.get("/en/about/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html_lang(html) == "en" and response["Content-Language"] == "en"
    assert "<title>About us | Department of Science and Technology</title>" in html
    assert "Advises on the state management of science." in html
    assert "Tham mưu" not in html
    # English chrome from locale/en: skip link, menu, footer, leadership heading, rating form.
    for text in (
        "Skip to main content",
        "Main menu",
        "Leadership",
        "Director",
        "Leads the Department.",
        "How would you rate this portal?",
        "Very good",
        "Send rating",
        "Text size",
        "Responsible for content: Director of the Department of Science and Technology",
    ):
        assert text in html, text
    # The rating is answered in English too: the footer's form is sent to the English URL.
    assert '<form class="rating-form" method="post" action="/en/rating/" data-rating-form novalidate>' in html


def test_english_contact_page(client, contact):
    html = client.get("/en/contact/").content.decode()
    assert html_lang(html) == "en"
    assert '<h1 class="page-title" id="page-title">Contact</h1>' in html
    assert "No. 1 Tran Hung Dao Street" in html and "Monday to Friday" in html
    assert "Spokesperson and information contact" in html and "Deputy Director" in html
    assert 'href="tel:+84912345678"' in html and 'href="mailto:phatngon@example.gov.vn"' in html
    assert "One-stop desk." in html


def test_vietnamese_contact_page(client, contact):
    html = client.get("/lien-he/").content.decode()
    assert html_lang(html) == "vi"
    for text in (
        "Số 1, đường Trần Hưng Đạo",
        "tel:+842003826789",
        "sokhcn@example.gov.vn",
        "Thứ Hai đến thứ Sáu",
        "Người phát ngôn, cung cấp thông tin",
        "Lê Thị Thu Hà",
        "Bộ phận Một cửa.",
    ):
        assert text in html, text


@pytest.mark.parametrize(("vi", "en"), [("/gioi-thieu/", "/en/about/"), ("/lien-he/", "/en/contact/")])
def test_language_switch_links_both_ways(client, about, contact, vi, en):
    vi_html = client.get(vi).content.decode()
    en_html = client.get(en).content.decode()
    assert f'<a class="language-switch" href="{en}" hreflang="en" lang="en">English</a>' in vi_html
    assert f'<a class="language-switch" href="{vi}" hreflang="vi" lang="vi">Tiếng Việt</a>' in en_html
    for html in (vi_html, en_html):
        assert f'<link rel="alternate" hreflang="vi" href="{SITE}{vi}">' in html
        assert f'<link rel="alternate" hreflang="en" href="{SITE}{en}">' in html


def test_english_does_not_leak_into_other_pages(client, about, article):
    """The language comes from each URL: after an English page the next page is Vietnamese again."""
    client.get("/en/about/")
    assert translation.get_language() == "en"
    html = client.get(article.get_absolute_url()).content.decode()
    assert html_lang(html) == "vi" and "Bỏ qua, đến nội dung chính" in html and "Skip to main" not in html
    assert translation.get_language() in ("vi", None) or translation.get_language().startswith("vi")
    # Every other page offers the English pages, through the English landing page.
    assert '<a class="language-switch" href="/en/" hreflang="en" lang="en">English</a>' in html


def test_english_visitor_box_is_in_english(client, about):
    html = client.get("/en/about/").content.decode()
    assert "Visitor statistics" in html and "Online now" in html
    assert "Thống kê truy cập" in client.get("/gioi-thieu/").content.decode()


def test_menu_and_footer_entries(client, about, article):
    html = client.get("/").content.decode()
    menu = html[html.index('id="menu-list"') : html.index("</nav>", html.index('id="menu-list"'))]
    for name, url in (
        ("Giới thiệu", "/gioi-thieu/"),
        ("Văn bản", "/van-ban/"),
        ("Thủ tục hành chính", "/thu-tuc-hanh-chinh/"),
        ("Liên hệ", "/lien-he/"),
    ):
        assert f'<a href="{url}">{name}</a>' in menu
    footer = html[html.index('class="site-footer"') :]
    for url in ("/gioi-thieu/", "/van-ban/", "/thu-tuc-hanh-chinh/", "/lien-he/"):
        assert f'href="{url}"' in footer


def test_old_documents_category_leaves_the_menu_but_keeps_working(client, make_article, db):
    from news.models import Category

    old = Category.objects.create(name="Văn bản", slug="van-ban", position=5)
    make_article("Kế hoạch cũ trong chuyên mục Văn bản", category=old)
    html = client.get("/").content.decode()
    menu = html[html.index('id="menu-list"') : html.index("</nav>", html.index('id="menu-list"'))]
    assert '<a href="/chuyen-muc/van-ban/">' not in menu and '<a href="/van-ban/">Văn bản</a>' in menu
    assert client.get("/chuyen-muc/van-ban/").status_code == 200


def test_pages_are_cached_and_renewed_on_edit(client, about):
    client.get("/gioi-thieu/")
    assert client.get("/gioi-thieu/")["X-Cache"] == "HIT"
    about.body = "<p>Nội dung mới.</p>"
    about.save()
    response = client.get("/gioi-thieu/")
    assert "X-Cache" not in response and "Nội dung mới." in response.content.decode()


def test_english_pages_stay_english_on_every_request(client, about):
    """Rendered each time (not from the page cache), so the live visitor box is English too."""
    for _ in range(3):
        html = client.get("/en/about/").content.decode()
        assert "Visitor statistics" in html and "Thống kê truy cập" not in html


@pytest.mark.parametrize("url", ["/gioi-thieu/", "/en/about/", "/lien-he/", "/en/contact/"])
def test_page_query_count(client, about, contact, leaders, settings, url, django_assert_max_num_queries):
    """Rendered (not from the page cache), each page costs a small fixed number of queries."""
    settings.PAGE_CACHE_ENABLED = False
    client.get(url)  # warm the menu cache, as on a running site
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200


def test_sitemap_has_the_pages_with_content_in_both_languages(client, about):
    root = ET.fromstring(client.get("/sitemap-trang.xml").content)  # noqa: S314
    locations = [u.findtext("s:loc", namespaces=NS) for u in root.findall("s:url", NS)]
    assert locations == [f"{SITE}/gioi-thieu/", f"{SITE}/en/about/"]  # the contact page is still empty


def test_leader_portrait_alt_text(client, leaders, settings, tmp_path):
    from io import BytesIO

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    Image.new("RGB", (480, 600), (10, 80, 140)).save(buffer, format="JPEG")
    leader = leaders[0]
    leader.photo.save("chan-dung.jpg", SimpleUploadedFile("chan-dung.jpg", buffer.getvalue()), save=True)
    html = client.get("/gioi-thieu/").content.decode()
    assert 'alt="Ảnh chân dung Trần Minh Quang, Giám đốc Sở"' in html
    assert 'alt="Portrait of Trần Minh Quang, Director"' in client.get("/en/about/").content.decode()


def test_page_admin_rejects_images_without_alt(client, publisher):
    """Either language's body: an image without a description is refused with a Vietnamese message."""
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    client.force_login(publisher)
    url = reverse("admin:pages_page_change", args=[page.pk])
    data = {
        "title": "Giới thiệu",
        "summary": "",
        "title_en": "About",
        "summary_en": "",
        "body": '<p>Sơ đồ:</p><figure class="image"><img src="/media/so-do.png" alt=""></figure>',
        "body_en": '<p><img src="/media/chart.png"></p>',
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Có 1 ảnh trong nội dung chưa có mô tả cho người khiếm thị") == 2
    data.update(
        body='<figure class="image"><img src="/media/so-do.png" alt="Sơ đồ tổ chức của Sở"></figure>',
        body_en='<p><img src="/media/chart.png" alt="Organisation chart"></p>',
        _wf_publish="1",  # a live page's edit reaches readers through "Duyệt & xuất bản" (core/workflow)
    )
    assert client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert 'alt="Sơ đồ tổ chức của Sở"' in page.body and page.updated_by == publisher


# The footer's address, phone and e-mail come from the contact record -----------------------------------


def footer_address(html):
    start = html.index('class="footer-contact"')
    return html[start : html.index("</address>", start)]


def test_footer_follows_the_contact_record_edited_in_the_admin(client, publisher):
    """Saved in the admin, new contact details are in the footer of the next page, cached or not."""
    for url in ("/van-ban/", "/"):
        footer = footer_address(client.get(url).content.decode())
        assert "Số 1, đường Trần Hưng Đạo, thành phố, tỉnh" in footer
        assert '<a href="tel:+842003826789">0200 3826 789</a>' in footer
    assert client.get("/")["X-Cache"] == "HIT"
    client.force_login(publisher)
    response = client.post(
        reverse("admin:pages_contactinfo_change", args=[1]),
        {
            "name": "Sở Khoa học và Công nghệ",
            "address": "Số 25, đường Lê Lợi, phường Hải Châu",
            "phone": "0236 3822 111",
            "email": "skhcn@danang.gov.vn",
            "name_en": "Department of Science and Technology",
            "address_en": "No. 25 Le Loi Street",
        },
    )
    assert response.status_code == 302
    client.logout()
    for url in ("/van-ban/", "/"):
        response = client.get(url)
        footer = footer_address(response.content.decode())
        assert "X-Cache" not in response
        assert "Địa chỉ: Số 25, đường Lê Lợi, phường Hải Châu<br>" in footer
        assert '<a href="tel:+842363822111">0236 3822 111</a>' in footer
        assert '<a href="mailto:skhcn@danang.gov.vn">skhcn@danang.gov.vn</a>' in footer
        assert "Trần Hưng Đạo" not in footer and "sokhcn@example.gov.vn" not in footer
    assert "Address: No. 25 Le Loi Street<br>" in footer_address(client.get("/en/about/").content.decode())


def test_footer_without_contact_details_points_to_the_contact_page(client, db):
    ContactInfo.objects.all().delete()
    footer = footer_address(client.get("/van-ban/").content.decode())
    assert '<a href="/lien-he/">Địa chỉ, điện thoại, email của Sở: xem trang Liên hệ</a>' in footer
    assert "Địa chỉ:" not in footer and "tel:" not in footer
    footer = footer_address(client.get("/en/about/").content.decode())
    assert '<a href="/en/contact/">Address, phone and e-mail of the Department: see the Contact page</a>' in footer


def test_footer_costs_no_query_once_read(client, db, settings):
    """Between two changes of content, a process reads the contact record once, not on every page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.pagecache import forget_content_version

    settings.PAGE_CACHE_POLL_SECONDS = 60  # as in production: the version is polled, not read per page
    forget_content_version()
    client.get("/van-ban/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/van-ban/").content.decode()
    assert "0200 3826 789" in footer_address(html)
    assert not [q["sql"] for q in queries if "pages_contactinfo" in q["sql"] or "core_contentversion" in q["sql"]]

"""/en/, the English landing page (who we are, contacts, the English pages, where the rest is), and the
language switch that leads to each page's counterpart."""

import re

import pytest

from pages.models import ContactInfo, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(db):
    page = Page.objects.get(kind=Page.Kind.ABOUT)
    page.title_en = "About us"
    page.summary_en = "The Department advises the Provincial People's Committee on science and technology."
    page.save()
    contact = ContactInfo.load()
    contact.name = "Sở Khoa học và Công nghệ tỉnh"
    contact.name_en = "Department of Science and Technology"
    contact.address = "Số 1 đường Trần Hưng Đạo"
    contact.address_en = "1 Tran Hung Dao Street"
    contact.phone = "0200 3826 789"
    contact.email = "sokhcn@example.gov.vn"
    contact.hours = "Thứ Hai đến thứ Sáu"
    contact.hours_en = "Monday to Friday"
    contact.save()
    return page


def main(html):
    return re.search(r'<main id="main".*?</main>', html, re.S).group(0)


def test_landing_page_in_english(client, english):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    content = main(html)
    assert '<h1 class="page-title" id="page-title">Department of Science and Technology</h1>' in content
    assert '<h2 id="who-title">Who we are</h2>' in content
    assert "The Department advises the Provincial People&#x27;s Committee on science and technology." in content
    assert '<h2 id="contact-title">Contact us</h2>' in content
    for text in ("1 Tran Hung Dao Street", '<a href="tel:+842003826789">0200 3826 789</a>', "Monday to Friday"):
        assert text in content
    assert '<a href="mailto:sokhcn@example.gov.vn">sokhcn@example.gov.vn</a>' in content
    assert '<a href="/en/about/">About us</a>' in content and '<a href="/en/contact/">Contact</a>' in content
    assert '<a href="/en/rating/">Rate this portal</a>' in content
    # No kind of item has an English version yet: the page says so and points to the Vietnamese sections.
    assert "There are no news items in English yet." in content
    assert '<a href="/van-ban/" hreflang="vi">Legal documents (in Vietnamese)</a>' in content
    assert '<a href="/thu-tuc-hanh-chinh/" hreflang="vi">Administrative procedures (in Vietnamese)</a>' in content
    # All the page's own text is English: no Vietnamese letters outside the Vietnamese-language links.
    text = re.sub(r"<[^>]+>", " ", re.sub(r'<a [^>]*hreflang="vi"[^>]*>.*?</a>', "", content))
    assert not re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]", text, re.I), text


def test_landing_page_without_details_yet(client, db):
    """A fresh install: the Department's standard description, and no empty contact rows."""
    ContactInfo.objects.all().delete()
    html = main(client.get("/en/").content.decode())
    assert "The Department advises the Provincial People's Committee on science, technology" in html
    assert "<dt>" not in html
    assert '<a href="/en/contact/">All contact details and the spokesperson</a>' in html


@pytest.mark.parametrize(
    ("vi", "en"),
    [("/", "/en/"), ("/gioi-thieu/", "/en/about/"), ("/lien-he/", "/en/contact/"), ("/danh-gia/", "/en/rating/")],
)
def test_language_switch_leads_to_the_counterpart_both_ways(client, english, vi, en):
    vi_html = client.get(vi).content.decode()
    en_html = client.get(en).content.decode()
    assert f'<a class="language-switch" href="{en}" hreflang="en" lang="en">English</a>' in vi_html
    assert f'<a class="language-switch" href="{vi}" hreflang="vi" lang="vi">Tiếng Việt</a>' in en_html

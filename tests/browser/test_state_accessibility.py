"""Circular 26/2020/TT-BTTTT (WCAG 2.1 AA): axe-core finds no serious or critical violation on the
public pages, at 1280 px and on a phone, also with the largest text size.

(Named test_state_… so it runs after test_editor.py: a live-server test empties the database when it
ends, and test_editor needs the editors' groups made by a migration.)"""

import pytest
from django.core.management import call_command

SEED = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
DESKTOP_PAGES = [
    "/",
    "/chuyen-muc/hoat-dong-cua-so/",
    SEED,
    "/tim-kiem/?q=khoa+hoc",
    "/gop-y/",
    "/hoi-dap/",
    "/van-ban/",
    "/van-ban/?q=12/2023/qd-ubnd&hieu_luc=con-hieu-luc",
    "/van-ban/12-2023-qd-ubnd/",
    "/thu-tuc-hanh-chinh/",
    "/thu-tuc-hanh-chinh/?q=buc+xa",
    "/gioi-thieu/",
    "/lien-he/",
    "/en/about/",
    "/en/contact/",
    "/danh-gia/",
]
PHONE_PAGES = ["/", SEED, "/van-ban/", "/van-ban/12-2023-qd-ubnd/", "/gioi-thieu/", "/en/contact/", "/hoi-dap/"]


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("feedback_demo", verbosity=0)
    call_command("load_state_demo", verbosity=0)
    call_command("load_pages_demo", verbosity=0)


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def check(page, base, paths):
    found = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        violations = serious_violations(page)
        if violations:
            found[path] = violations
    return found


def test_desktop_pages(page, demo, live_server):
    assert check(page, live_server.url, DESKTOP_PAGES) == {}


def test_phone_pages(phone, demo, live_server):
    assert check(phone, live_server.url, PHONE_PAGES) == {}


def test_largest_text_on_a_phone_reflows_without_sideways_scrolling(phone, demo, live_server):
    """WCAG 1.4.4 / 1.4.10: at the largest size (150 %) nothing needs horizontal scrolling at 360 px."""
    phone.goto(live_server.url + "/")
    phone.evaluate("localStorage.setItem('portal:text-size', '3')")
    wide = {}
    for path in [
        "/",
        SEED,
        "/van-ban/",
        "/van-ban/12-2023-qd-ubnd/",
        "/thu-tuc-hanh-chinh/",
        "/gioi-thieu/",
        "/lien-he/",
        "/en/about/",
        "/gop-y/",
    ]:
        phone.goto(live_server.url + path)
        assert "text-size-3" in phone.evaluate("document.documentElement.className")
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 361:
            wide[path] = width
    assert wide == {}
    assert serious_violations(phone) == []


def test_form_errors_are_accessible(page, demo, live_server):
    """Pages showing errors (a bad document filter, a rating without a level) stay free of violations."""
    page.goto(live_server.url + "/van-ban/?nam=1800&loai=khong-co")
    assert page.get_by_text("Chưa có văn bản nào ban hành năm này").is_visible()
    assert serious_violations(page) == []
    page.goto(live_server.url + "/danh-gia/")
    page.locator("main textarea[name=comment]").fill("Chưa chọn mức")
    # A plain POST (as without JavaScript): the server's page with the error and the comment kept.
    with page.expect_navigation():
        page.evaluate("document.querySelector('main form.rating-form').submit()")
    assert page.get_by_text("Hãy chọn một mức đánh giá.").first.is_visible()
    assert page.locator("main textarea[name=comment]").input_value() == "Chưa chọn mức"
    assert serious_violations(page) == []

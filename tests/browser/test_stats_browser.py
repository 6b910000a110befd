"""A reader sees the view counter and the visitor box; a leader reads the dashboard. Real Chromium."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from news.models import Article
from stats.services import article_views

SEED_URL = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
# Headless Chromium says "HeadlessChrome", which counts as a robot: these readers use a phone's UA.
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
DESKTOP_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
)


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("stats_demo", days=90, verbosity=0)


@pytest.fixture
def reader(browser):
    def open_context(phone=False):
        options = {"locale": "vi-VN", "viewport": {"width": 1280, "height": 900}, "user_agent": DESKTOP_UA}
        if phone:
            options.update(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, user_agent=PHONE_UA)
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    contexts = []
    yield open_context
    for context in contexts:
        context.close()


def shown_views(page):
    text = page.locator(".article-header .views").inner_text()
    return int(re.search(r"Lượt xem: ([\d.]+)", text).group(1).replace(".", ""))


def test_reader_sees_the_count_including_their_view_and_the_box(reader, demo, live_server, screenshot):
    before = article_views(Article.objects.get(slug=SEED_URL.split("/")[2]).pk)
    page = reader()
    page.goto(live_server.url + SEED_URL)
    assert shown_views(page) == before + 1
    box = page.get_by_role("region", name="Thống kê truy cập")
    assert box.is_visible()
    for label in ("Đang truy cập", "Hôm nay", "Hôm qua", "Tháng này", "Tổng truy cập"):
        assert box.get_by_text(label, exact=True).is_visible()
    assert box.locator(".stats-online dd").inner_text() == "1"
    total = box.locator(".stats-total dd").inner_text()
    assert re.fullmatch(r"\d{1,3}(\.\d{3})+", total), total  # Vietnamese thousands: 38.123
    full = screenshot(page, "stats-article-1280")
    box.screenshot(path=str(full.with_name("stats-box.png")))

    page.reload()  # the same reader again: not counted twice
    assert shown_views(page) == before + 1
    other = reader(phone=True)
    other.goto(live_server.url + SEED_URL)  # someone else: counted
    assert shown_views(other) == before + 2
    other.get_by_role("region", name="Thống kê truy cập").scroll_into_view_if_needed()
    screenshot(other, "stats-article-360")


def test_home_shows_most_read(reader, demo, live_server, screenshot):
    page = reader()
    page.goto(live_server.url + "/")
    block = page.get_by_role("region", name="Đọc nhiều")
    assert block.is_visible()
    assert block.get_by_role("listitem").count() == 5
    assert block.get_by_text(re.compile(r"[\d.]+ lượt xem")).first.is_visible()
    screenshot(page, "stats-home-1280")


def test_privacy_page(reader, demo, live_server, screenshot):
    page = reader(phone=True)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Quyền riêng tư").click()
    page.wait_for_url("**/quyen-rieng-tu/")
    assert page.get_by_role("heading", level=1).inner_text() == "Quyền riêng tư và cookie thống kê"
    screenshot(page, "stats-privacy-360")


def test_leader_reads_the_dashboard(page, demo, live_server, django_user_model, screenshot):
    leader = django_user_model.objects.create_user(username="lanhdao", password="mat-khau-123", is_staff=True)
    # (A live-server test empties the tables after each test, the groups made by migrations too.)
    leader.user_permissions.add(Permission.objects.get(content_type__app_label="stats", codename="view_dashboard"))
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill("mat-khau-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="Bảng thống kê").click()
    page.wait_for_url("**/admin/stats/dashboard/")
    charts = page.get_by_role("img")
    assert charts.filter(has_text="Lượt xem bài viết mỗi ngày, 30 ngày qua").count() == 1
    assert page.locator("svg rect").count() == 60
    assert page.locator("section[aria-labelledby=top-title] .stats-table").locator("tbody tr").count() == 20
    screenshot(page, "stats-dashboard-1280")

    page.get_by_label("Biểu đồ").select_option("90")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**days=90**")
    assert page.locator("svg rect").count() == 180
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải CSV").first.click()
    path = download.value.path()
    content = Path(path).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0] == "Ngày,Lượt truy cập,Lượt xem bài viết"
    assert len(content.splitlines()) == 91


@pytest.mark.parametrize("path", ["/quyen-rieng-tu/", SEED_URL])
def test_accessibility_of_the_stats_blocks(reader, demo, live_server, path):
    """axe-core finds no serious or critical violation in the box, the counter and the privacy page."""
    from axe_playwright_python.sync_playwright import Axe

    page = reader()
    page.goto(live_server.url + path)
    results = Axe().run(page, context={"include": [[".stats-box"], ["main"]]})
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []

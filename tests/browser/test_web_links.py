"""A citizen on a phone picks an agency in "Liên kết website" and presses "Đi" (navigation/views.py): with and
without JavaScript, arriving at the agency's site (a tiny local HTTP server here: another origin, no internet);
choosing alone goes nowhere (WCAG 3.2.2); an unknown id stays on the portal."""

import http.server
import threading

import pytest
from playwright.sync_api import expect

from navigation.models import WebLink

from .staff import new_context


class Agency(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = "<!doctype html><html lang='vi'><title>Sở Thông tin và Truyền thông</title><h1>Cổng Sở TT&TT</h1>"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.server.seen.append((self.path, self.headers.get("Referer")))

    def log_message(self, *args):
        pass


@pytest.fixture
def agency_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Agency)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def links(transactional_db, agency_site):
    port = agency_site.server_address[1]
    WebLink.objects.create(title="Bộ Khoa học và Công nghệ", url=f"http://127.0.0.1:{port}/bo-khcn/", position=1)
    return WebLink.objects.create(
        title="Sở Thông tin và Truyền thông tỉnh (Cổng thông tin điện tử chính thức)",
        url=f"http://127.0.0.1:{port}/so-tttt/",
        position=2,
    )


def sidebar_box(page):
    return page.locator(".web-links")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_citizen_picks_an_agency_and_goes(browser, live_server, links, agency_site, screenshot, javascript):
    context = new_context(browser, phone=True, java_script_enabled=javascript)
    page = context.new_page()
    blocked = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and blocked.append(msg.text))
    page.goto(live_server.url + "/")
    box = sidebar_box(page)
    choice = box.get_by_label("Chọn website liên kết")
    choice.scroll_into_view_if_needed()
    expect(choice).to_be_visible()
    # At 390 px the select (with a long name among its options) stays inside the page and beside "Đi".
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    select_box = choice.bounding_box()
    go = box.get_by_role("button", name="Đi")
    go_box = go.bounding_box()
    assert select_box["x"] >= 0 and go_box["x"] + go_box["width"] <= 390
    assert go_box["height"] >= 44 and select_box["height"] >= 44
    choice.select_option(label=links.title)
    page.wait_for_timeout(500)
    assert page.url.startswith(live_server.url)  # choosing alone goes nowhere
    if javascript:
        screenshot(page, "web-links-select-390")
        box.screenshot(path=str(screenshot(page, "web-links-select-390").with_name("web-links-box-390.png")))
    go.click()
    page.wait_for_url(links.url)
    expect(page.get_by_role("heading", name="Cổng Sở TT&TT")).to_be_visible()
    assert blocked == []
    referers = [referer for path, referer in agency_site.seen if path == "/so-tttt/"]
    assert len(referers) == 1
    assert referers[0] in (None, live_server.url + "/")  # the portal's origin at most, never a page address
    context.close()


def test_unknown_or_withdrawn_link_stays_on_the_portal(browser, live_server, links, agency_site, screenshot):
    context = new_context(browser, phone=True)
    page = context.new_page()
    page.goto(live_server.url + "/lien-ket/?id=999999")
    assert page.url == live_server.url + "/lien-ket/?id=999999"
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy liên kết bạn chọn")
    expect(page.get_by_role("heading", name="Liên kết website", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Bộ Khoa học và Công nghệ")).to_be_visible()  # the plain list
    screenshot(page, "web-links-unknown-390")
    links.status = WebLink.Status.DRAFT
    links.save()
    page.goto(live_server.url + f"/lien-ket/?id={links.pk}")
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy liên kết bạn chọn")
    assert agency_site.seen == []
    context.close()

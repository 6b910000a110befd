"""Menu order through review (navigation/ordering.py): an editor's ↑ waits in the items' working copies, the
public footer keeps its order until the publisher approves, "Xem trước menu" shows the order to be, and the
history of each item keeps the versions."""

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from navigation.models import MenuItem

from .staff import activate, add_staff, admin_page, new_context

PASSWORD = "Hoa sen nở giữa hồ 2025"


@pytest.fixture
def footer(transactional_db, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    MenuItem.objects.filter(menu="footer").delete()
    return {
        title: MenuItem.objects.create(menu="footer", kind="internal", title=title, url=url, position=position)
        for title, url, position in (
            ("Giới thiệu", "/gioi-thieu/", 10),
            ("Văn bản", "/van-ban/", 20),
            ("Liên hệ", "/lien-he/", 30),
        )
    }


def footer_order(page):
    links = page.locator(".site-footer a").evaluate_all("links => links.map(a => a.textContent.trim())")
    return [title for title in links if title in ("Giới thiệu", "Văn bản", "Liên hệ")]


def approve(page, live_server, item):
    page.goto(f"{live_server.url}/admin/navigation/menuitem/{item.pk}/change/")
    expect(page.get_by_text("Chờ duyệt").first).to_be_visible()
    page.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(page.get_by_text("Đã duyệt và xuất bản.")).to_be_visible()


def test_an_editors_new_order_reaches_readers_once_approved(browser, live_server, footer, deliver_mail, screenshot):
    giam = admin_page(browser, live_server)  # the director: publishes menus
    lan_user = add_staff(giam, live_server, "Trần Thị Lan", "lan@sokhcn.gov.vn", "lan.tran", ["Biên tập viên"])
    lan_user.user_permissions.set(  # the administrator lets Lan edit menus (no role does yet), not publish them
        Permission.objects.filter(
            content_type__app_label="navigation", codename__in=["change_menuitem", "view_menuitem"]
        )
    )
    lan = activate(browser, live_server, deliver_mail, "lan@sokhcn.gov.vn", PASSWORD)
    reader = new_context(browser, phone=True).new_page()
    reader.goto(live_server.url + "/")
    assert footer_order(reader) == ["Giới thiệu", "Văn bản", "Liên hệ"]

    # Lan moves "Văn bản" up: it waits for review.
    lan.goto(live_server.url + "/admin/navigation/menuitem/?menu__exact=footer")
    lan.get_by_role("button", name="Chuyển lên: Văn bản").click()
    expect(lan.locator(".messagelist")).to_contain_text("Đã đổi thứ tự “Văn bản” trong bản sửa đổi, chờ duyệt.")
    rows = lan.locator("#result_list tbody tr")
    expect(rows.nth(0)).to_contain_text("Văn bản")
    expect(rows.nth(0)).to_contain_text("thứ tự mới")
    expect(rows.nth(1)).to_contain_text("Giới thiệu")
    screenshot(lan, "menu-order-waiting-1366")

    reader.reload()
    assert footer_order(reader) == ["Giới thiệu", "Văn bản", "Liên hệ"]  # readers: unchanged
    lan.get_by_role("link", name="Xem trước menu").click()
    preview = lan.locator("#content ul").last
    expect(preview.locator("a")).to_contain_text(["Văn bản", "Giới thiệu", "Liên hệ"])
    screenshot(lan, "menu-order-preview-1366")

    # The director finds both items waiting and approves them.
    giam.goto(live_server.url + "/admin/navigation/menuitem/?cho_duyet=1")
    expect(giam.locator("#result_list tbody tr")).to_have_count(2)
    approve(giam, live_server, footer["Văn bản"])
    approve(giam, live_server, footer["Giới thiệu"])
    reader.reload()
    assert footer_order(reader) == ["Văn bản", "Giới thiệu", "Liên hệ"]
    screenshot(reader, "menu-order-approved-390")

    # The history of "Văn bản": as it was, Lan's proposal, the approval.
    giam.goto(f"{live_server.url}/admin/navigation/menuitem/{footer['Văn bản'].pk}/history/")
    versions = giam.locator("tr.version")
    expect(versions.nth(0)).to_contain_text("Duyệt & xuất bản")
    expect(versions.nth(0)).to_contain_text("Lê Minh Giám")
    expect(giam.locator("tr.version", has_text="Bản sửa đổi (chưa xuất bản)")).to_contain_text("Trần Thị Lan")
    expect(giam.locator("tr.version", has_text="Bản có từ trước")).to_have_count(1)
    screenshot(giam, "menu-order-history-1366")
    assert giam.csp_violations == [] and lan.csp_violations == []

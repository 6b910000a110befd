"""Staff edit the portal's frame in the admin (a menu item, an agency link, a banner with dates) and readers
see it at once on a laptop (1366×768) and a phone (360×780, DPR 2). axe: nothing serious or critical."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from .staff import admin_page


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.OTP_REQUIRED_FOR_STAFF = False
    call_command("load_demo", verbosity=0)
    call_command("load_pages_demo", verbosity=0)
    call_command("load_navigation_demo", verbosity=0)


def serious_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def banner_png(path):
    from core.fonts import font

    image = Image.new("RGB", (1200, 150), "#0b4d8c")
    ImageDraw.Draw(image).text(
        (600, 75), "Tuần lễ đổi mới sáng tạo 2025", fill="white", font=font(48, bold=True), anchor="mm"
    )
    image.save(path, "PNG")
    return path


def phone_context(browser):
    return browser.new_context(
        locale="vi-VN", viewport={"width": 360, "height": 780}, device_scale_factor=2, is_mobile=True, has_touch=True
    )


def test_staff_add_a_menu_item_a_link_and_a_banner(browser, demo, live_server, screenshot, tmp_path):
    admin = admin_page(browser, live_server)
    # A menu item, through the admin's form.
    admin.goto(live_server.url + "/admin/navigation/menuitem/add/")
    admin.locator("#id_title").fill("Chuyển đổi số")
    admin.locator("#id_kind").select_option("internal")
    admin.locator("#id_url").fill("/chuyen-doi-so/")
    admin.locator("#id_position").fill("75")
    admin.locator("button[name=_wf_publish]").click()
    admin.wait_for_url("**/admin/navigation/menuitem/")
    screenshot(admin, "frame-admin-menu-list")
    # An agency link and a banner with its dates.
    admin.goto(live_server.url + "/admin/navigation/weblink/add/")
    admin.locator("#id_title").fill("Sở Thông tin và Truyền thông")
    admin.locator("#id_url").fill("https://stttt.example.gov.vn")
    admin.locator("button[name=_wf_publish]").click()
    admin.goto(live_server.url + "/admin/navigation/banner/add/")
    admin.locator("#id_place").select_option("home-top")
    admin.locator("#id_title").fill("Tuần lễ đổi mới sáng tạo")
    admin.locator("#id_image").set_input_files(str(banner_png(tmp_path / "tuan-le.png")))
    admin.locator("#id_url").fill("/chuyen-doi-so/")
    # Shown from now (the form's default) to the end of next year: the date typed as the form writes dates.
    start = admin.locator("#id_publish_at_0").input_value()
    end = start.replace(str(timezone.localdate().year), str(timezone.localdate().year + 1))
    admin.locator("#id_shown_until_0").fill(end)
    admin.locator("#id_shown_until_1").fill("17:00:00")
    admin.locator("button[name=_wf_publish]").click()
    expect(admin.locator(".field-alt_text .errorlist")).to_have_count(1)  # alt text required: said, nothing lost
    assert admin.locator("#id_title").input_value() == "Tuần lễ đổi mới sáng tạo"
    admin.locator("#id_image").set_input_files(str(banner_png(tmp_path / "tuan-le.png")))
    admin.locator("#id_alt_text").fill("Tuần lễ đổi mới sáng tạo tỉnh 2025")
    admin.locator("button[name=_wf_publish]").click()
    admin.wait_for_url("**/admin/navigation/banner/")

    # A reader on a laptop: the new item in a one-row menu, the banner on top, the link in the sidebar.
    laptop = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    page = laptop.new_page()
    page.goto(live_server.url + "/")
    item = page.locator("#menu-list > li > a", has_text="Chuyển đổi số")
    assert item.is_visible()
    tops = page.locator("#menu-list > li").evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")
    assert max(tops) - min(tops) < 2, tops  # one row
    assert page.get_by_alt_text("Tuần lễ đổi mới sáng tạo tỉnh 2025").is_visible()
    assert page.locator(".lead-headlines li").count() >= 3
    choice = page.locator(".web-links").get_by_label("Chọn website liên kết")  # the select box, and "Đi"
    assert "Sở Thông tin và Truyền thông" in choice.locator("option").all_inner_texts()
    assert page.locator(".web-links").get_by_role("button", name="Đi").is_visible()
    page.locator("#menu-list > li.has-children > a", has_text="Văn bản").hover()
    assert page.locator("#menu-list a", has_text="Công khai ngân sách").is_visible()
    screenshot(page, "frame-home-1366")
    assert serious_axe_violations(page) == []
    laptop.close()

    # A reader on a phone: the menu button opens the list with the new item.
    context = phone_context(browser)
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    assert not phone.locator("#menu-list").is_visible()
    phone.get_by_role("button", name="Danh mục").click()
    assert phone.locator("#menu-list a", has_text="Chuyển đổi số").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 361
    screenshot(phone, "frame-home-phone-360")
    assert serious_axe_violations(phone) == []
    context.close()

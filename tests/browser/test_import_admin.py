"""The Department's IT officer checks the move from the old portal: opens "Trang đã chuyển từ cổng cũ" on a
laptop, looks at the pages that could not be imported and why, and follows an imported page to its new
public article."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.staff import activate, add_staff, admin_page

FIXTURES = Path(__file__).parent.parent / "fixtures" / "old_portal"
SEED_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"


def test_it_officer_reviews_the_import_and_opens_an_imported_article(
    browser, live_server, settings, deliver_mail, screenshot, tmp_path
):
    settings.OTP_REQUIRED_FOR_STAFF = False
    settings.MEDIA_ROOT = str(tmp_path / "media")
    rules = str(FIXTURES / "rules.toml")
    site = str(FIXTURES / "site")
    call_command("import_site", "--folder", site, "--publish", "--rules", rules, "--no-progress", stdout=StringIO())

    admin = admin_page(browser, live_server)
    add_staff(admin, live_server, "Trần Văn Tín", "tin@sokhcn.gov.vn", "tin.tran", ["Quản trị"])
    officer = activate(browser, live_server, deliver_mail, "tin@sokhcn.gov.vn", "Hoa sen nở giữa hồ 2025")

    officer.goto(live_server.url + "/admin/")
    officer.get_by_role("link", name="Trang đã chuyển từ cổng cũ").first.click()
    officer.wait_for_url("**/admin/news/importedpage/")
    rows = officer.locator("#result_list tbody tr")
    expect(rows.first).to_contain_text("Không nhập được")  # the failed pages first
    screenshot(officer, "import-admin-list")

    officer.locator("#changelist-filter").get_by_role("link", name="Không nhập được").click()
    expect(rows).to_have_count(6)
    expect(officer.get_by_text("phần lớn nội dung là đường dẫn: đây là trang danh sách")).to_be_visible()
    expect(officer.get_by_text("không đọc được ngày đăng")).to_be_visible()
    screenshot(officer, "import-admin-failed")

    officer.locator("#changelist-filter").get_by_role("link", name="Tất cả").first.click()
    expect(rows).to_have_count(12)
    officer.locator("#searchbar").fill("triển khai nhiệm vụ")
    officer.locator("#searchbar").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SEED_TITLE)
    with officer.context.expect_page() as opened:
        rows.first.get_by_role("link", name="Xem trên cổng").click()
    article = opened.value
    article.wait_for_load_state()
    assert article.url == live_server.url + "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
    expect(article.get_by_role("heading", name=SEED_TITLE)).to_be_visible()
    expect(article.get_by_text("Các đại biểu dự Hội nghị").first).to_be_visible()
    screenshot(article, "import-admin-public-article")
    assert not officer.csp_violations

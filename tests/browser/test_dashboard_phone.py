"""A leader, added through "Thêm cán bộ" with the role "Lãnh đạo", opens the invitation on her phone and
reads the dashboard there (390×844, DPR 2): this month against the last, feedback handling, searches,
devices, the charts; nothing scrolls sideways."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.staff import activate, add_staff, admin_page


def test_a_leader_reads_the_dashboard_on_her_phone(browser, live_server, settings, screenshot, request, make_article):
    settings.OTP_REQUIRED_FOR_STAFF = False
    deliver_mail = request.getfixturevalue("deliver_mail")
    make_article(
        "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023", publish_at=timezone.now() - timedelta(days=120)
    )
    call_command("stats_demo", days=90, verbosity=0)
    call_command("feedback_demo", verbosity=0)

    director = admin_page(browser, live_server)
    add_staff(director, live_server, "Trần Thị Lan", "lan.tran@sokhcn.gov.vn", "lan.tran", ["Lãnh đạo"])
    lan = activate(
        browser, live_server, deliver_mail, "lan.tran@sokhcn.gov.vn", "Trống đồng Đông Sơn 2025", phone=True
    )

    lan.goto(live_server.url + "/admin/stats/dashboard/")
    expect(lan.get_by_role("heading", name="Truy cập so với kỳ trước")).to_be_visible()
    expect(lan.get_by_text("kỳ trước:").first).to_be_visible()
    expect(lan.get_by_role("heading", name="Góp ý của người dân")).to_be_visible()
    expect(lan.get_by_role("heading", name="Người đọc tìm gì")).to_be_visible()
    expect(lan.get_by_role("table", name="Lượt truy cập theo loại thiết bị")).to_contain_text("Điện thoại")
    expect(lan.get_by_role("table", name="Tìm mà không thấy kết quả (nên bổ sung nội dung)")).to_contain_text(
        "tuyển dụng viên chức 2024"
    )
    assert lan.locator(".stats-chart rect").count() >= 60  # 30 days in each chart, every day with traffic
    expect(lan.locator(".stats-figures").first).not_to_contain_text("Lượt xem bài viết 0")
    assert lan.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(lan, "dashboard-leader-390-dpr2")
    assert lan.csp_violations == []

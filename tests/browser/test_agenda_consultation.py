"""Staff enter a week of the leaders' calendar in the admin and citizens read it (phone 360×780 at device
pixel ratio 2, laptop 1366×768); a draft goes out for public comment, a citizen comments (reading the
captcha), staff moderate, the deadline passes and the summary report is published; the budget and S&T
task pages. axe-core: no serious or critical violation on any of these pages."""

import re
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from agenda.models import Entry, week_start
from consultation.management.commands.load_consultation_demo import draft_pdf
from consultation.models import Comment, Consultation

from .staff import activate, add_staff, admin_page, new_context

PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PASSWORD = "Lịch công tác tuần này 2026"


@pytest.fixture
def open_screen(browser):
    contexts = []

    def open_(screen):
        context = browser.new_context(locale="vi-VN", **(PHONE if screen == "phone" else LAPTOP))
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.csp_violations = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
        return page

    yield open_
    for context in contexts:
        assert all(not page.csp_violations for page in context.pages)
        context.close()


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_sideways_scroll(page):
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url}: {width}px wide"


def publisher(browser, live_server, settings, request, name, email, username):
    settings.OTP_REQUIRED_FOR_STAFF = False
    deliver_mail = request.getfixturevalue("deliver_mail")
    admin = admin_page(browser, live_server)
    add_staff(admin, live_server, name, email, username, ["Duyệt bài"])
    admin.context.close()
    return activate(browser, live_server, deliver_mail, email, PASSWORD)


def add_entry(page, live_server, day, start, end, content, leaders, host, attendees, place, another=True):
    if not page.url.startswith(live_server.url + "/admin/agenda/entry/add/"):
        page.goto(live_server.url + "/admin/agenda/entry/add/")
    page.locator("#id_day").fill(f"{day:%d/%m/%Y}")
    page.locator("#id_starts_at").fill(start)
    page.locator("#id_ends_at").fill(end)
    page.locator("#id_content").fill(content)
    page.locator("#id_leaders").fill(leaders)
    page.locator("#id_host_unit").fill(host)
    page.locator("#id_attendees").fill(attendees)
    page.locator("#id_place").fill(place)
    # "Lưu và thêm mới" keeps a draft; the last one is approved at once ("Duyệt & xuất bản", core/workflow).
    page.get_by_role("button", name="Lưu và thêm mới" if another else "Duyệt & xuất bản").click()


def test_staff_enter_a_week_and_citizens_read_it(
    browser, live_server, transactional_db, settings, request, open_screen, screenshot
):
    staff = publisher(browser, live_server, settings, request, "Phạm Thu Trang", "trang@sokhcn.gov.vn", "trang.pham")
    monday = week_start(timezone.localdate())

    # An entry ending before it starts: the message is on the field and nothing typed is lost.
    add_entry(
        staff,
        live_server,
        monday,
        "14:00",
        "09:00",
        "Họp Hội đồng tư vấn xác định nhiệm vụ",
        "Phó Giám đốc Trần Minh Quang",
        "Phòng Quản lý khoa học",
        "Thành viên Hội đồng",
        "Phòng họp tầng 3",
    )
    expect(staff.get_by_text("Giờ kết thúc phải sau giờ bắt đầu.")).to_be_visible()
    expect(staff.locator("#id_content")).to_have_value("Họp Hội đồng tư vấn xác định nhiệm vụ")
    screenshot(staff, "agenda-admin-error-1366")
    staff.locator("#id_ends_at").fill("16:30")
    staff.get_by_role("button", name="Lưu và thêm mới").click()
    expect(staff.get_by_text("Đã lưu bản nháp.").first).to_be_visible()
    expect(staff.locator("#id_day")).to_have_value(f"{monday:%d/%m/%Y}")  # "Lưu và thêm mới" keeps the day

    week = [
        (
            monday,
            "07:30",
            "09:00",
            "Giao ban Lãnh đạo Sở đầu tuần",
            "Giám đốc Sở Lê Văn Minh",
            "Văn phòng Sở",
            "Ban Giám đốc; Trưởng các phòng, đơn vị",
            "Phòng họp tầng 2",
        ),
        (
            monday + timedelta(days=2),
            "08:00",
            "11:00",
            "Kiểm tra đo lường xăng dầu tại các cửa hàng",
            "Phó Giám đốc Nguyễn Thị Hoa",
            "Chi cục Tiêu chuẩn Đo lường Chất lượng",
            "Đoàn kiểm tra",
            "Huyện Vĩnh Tường",
        ),
        (
            monday + timedelta(days=4),
            "15:00",
            "16:30",
            "Họp giao ban công tác chuyển đổi số",
            "Giám đốc Sở Lê Văn Minh",
            "Văn phòng Sở",
            "Các phòng, đơn vị trực thuộc",
            "Phòng họp tầng 2",
        ),
    ]
    for index, row in enumerate(week):
        add_entry(staff, live_server, *row, another=index < len(week) - 1)
    staff.wait_for_url(re.compile(r"/admin/agenda/entry/$"))
    expect(staff.get_by_role("link", name="Họp giao ban công tác chuyển đổi số", exact=True)).to_be_visible()
    assert Entry.objects.published().count() == 1
    # The drafts of the week are published from the list in one go (the workflow's bulk action).
    staff.locator("#action-toggle").check()
    staff.locator("select[name=action]").select_option(label="Xuất bản các mục lịch công tác đã chọn")
    staff.get_by_role("button", name="Đi đến").click()
    expect(staff.get_by_text("Đã xuất bản 3 mục lịch công tác.")).to_be_visible()
    screenshot(staff, "agenda-admin-list-1366")
    assert Entry.objects.published().count() == 4

    for screen in ("phone", "laptop"):
        page = open_screen(screen)
        page.goto(live_server.url + "/lich-cong-tac/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Lịch công tác của Lãnh đạo Sở")
        monday_section = page.locator(f"#ngay-{monday:%Y-%m-%d}")
        expect(monday_section.get_by_role("heading")).to_contain_text(f"Thứ Hai, {monday:%d/%m/%Y}")
        expect(monday_section).to_contain_text("07h30")
        expect(monday_section).to_contain_text("Giao ban Lãnh đạo Sở đầu tuần")
        expect(monday_section).to_contain_text("Thành phần: Ban Giám đốc; Trưởng các phòng, đơn vị")
        expect(monday_section).to_contain_text("Đơn vị chủ trì: Phòng Quản lý khoa học")
        expect(page.locator(".agenda-today-mark")).to_have_text("Hôm nay")
        texts = monday_section.locator(".agenda-content").all_inner_texts()
        assert texts == ["Giao ban Lãnh đạo Sở đầu tuần", "Họp Hội đồng tư vấn xác định nhiệm vụ"]  # by time
        no_sideways_scroll(page)
        screenshot(page, "agenda-week-360-dpr2" if screen == "phone" else "agenda-week-1366")
        assert serious_violations(page) == []

    # Next week, then the printable week.
    page.get_by_role("link", name="Tuần sau →").click()
    expect(page.get_by_text("Không có lịch.").first).to_be_visible()
    expect(page.get_by_role("link", name="Tuần này")).to_be_visible()
    page.get_by_role("link", name="Tuần trước").click()
    page.get_by_role("link", name="Bản in lịch tuần").click()
    expect(page.get_by_text("Giao ban Lãnh đạo Sở đầu tuần")).to_be_visible()
    assert serious_violations(page) == []
    page.emulate_media(media="print")
    screenshot(page, "agenda-print-1366")
    assert not page.locator(".agenda-print-back").is_visible()

    # The home page: this week's block.
    home = open_screen("phone")
    home.goto(live_server.url + "/")
    block = home.locator(".agenda-home")
    if Entry.objects.published().filter(day__gte=timezone.localdate()).exists():
        expect(block.get_by_role("heading")).to_have_text("Lịch công tác tuần này")
        block.scroll_into_view_if_needed()
        no_sideways_scroll(home)
        screenshot(home, "agenda-home-block-360-dpr2")


def test_a_draft_for_comment_from_opening_to_report(
    browser, live_server, transactional_db, settings, request, open_screen, screenshot, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    staff = publisher(browser, live_server, settings, request, "Đỗ Minh Khoa", "khoa@sokhcn.gov.vn", "khoa.do")
    now = timezone.localtime()
    title = "Dự thảo Quyết định ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh"

    # Staff open the draft for comment, with its file.
    staff.goto(live_server.url + "/admin/consultation/consultation/add/")
    staff.locator("#id_title").fill(title)
    staff.locator("#id_drafting_unit").fill("Sở Khoa học và Công nghệ")
    staff.locator("#id_summary").fill("Đơn giản hoá hồ sơ đề xuất nhiệm vụ, cho phép nộp hồ sơ trực tuyến.")
    staff.locator("#id_opens_at_0").fill(f"{now:%Y-%m-%d}")
    staff.locator("#id_opens_at_1").fill("00:00:00")
    staff.locator("#id_closes_at_0").fill(f"{now + timedelta(days=30):%Y-%m-%d}")
    staff.locator("#id_closes_at_1").fill("17:00:00")
    staff.locator("#id_files-0-title").fill("Dự thảo Quyết định")
    staff.locator("#id_files-0-file").set_input_files(
        {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": draft_pdf(title)}
    )
    screenshot(staff, "consultation-admin-add-1366")
    staff.get_by_role("button", name="Duyệt & xuất bản").click()
    staff.wait_for_url(re.compile(r"/admin/consultation/consultation/$"))
    consultation = Consultation.objects.get()

    # A citizen on a phone finds it open, reads the draft and comments.
    citizen = open_screen("phone")
    citizen.goto(live_server.url + "/lay-y-kien/")
    expect(citizen.locator(".cs-item").first).to_contain_text("Đang lấy ý kiến")
    assert serious_violations(citizen) == []
    no_sideways_scroll(citizen)
    screenshot(citizen, "consultation-list-360-dpr2")
    citizen.get_by_role("link", name=title).click()
    expect(citizen.get_by_role("link", name="Dự thảo Quyết định")).to_have_attribute("download", "")
    citizen.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    citizen.get_by_label("Cơ quan, tổ chức").fill("Công ty TNHH Công nghệ Sao Việt")
    citizen.get_by_label("Số điện thoại").fill("0912 345 678")
    citizen.get_by_role("textbox", name="Ý kiến góp ý").fill(
        "Đề nghị làm rõ Điều 8: hồ sơ đề xuất nộp trực tuyến gồm những gì?"
    )
    key = citizen.locator('input[name="captcha_0"]').input_value()
    citizen.get_by_label("Mã kiểm tra").fill(CaptchaStore.objects.get(hashkey=key).response.upper())
    assert serious_violations(citizen) == []
    no_sideways_scroll(citizen)
    screenshot(citizen, "consultation-form-360-dpr2")
    citizen.get_by_role("button", name="Gửi ý kiến").click()
    expect(citizen.get_by_text("Cảm ơn bạn. Ý kiến đã được gửi")).to_be_visible()
    expect(citizen.locator(".cs-comments")).to_have_count(0)  # private until staff publish it
    comment = Comment.objects.get()
    assert comment.phone == "0912345678" and not comment.is_public

    # Staff moderate: publish it and say how it was taken in.
    staff.goto(live_server.url + "/admin/consultation/comment/")
    staff.locator(f"input[name=_selected_action][value='{comment.pk}']").check()
    staff.locator("select[name=action]").select_option("make_public")
    staff.locator("button[name=index], input[name=index]").first.click()
    expect(staff.get_by_text("Đã công khai 1 ý kiến.")).to_be_visible()
    staff.goto(live_server.url + f"/admin/consultation/comment/{comment.pk}/change/")
    staff.locator("#id_response").fill("Tiếp thu: bổ sung danh mục hồ sơ nộp trực tuyến tại Điều 8.")
    staff.locator("input[name=_save]").click()
    staff.wait_for_url(re.compile(r"/admin/consultation/comment/"))

    # The deadline passes.
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=31), closes_at=timezone.now() - timedelta(minutes=1)
    )
    staff.goto(live_server.url + f"/admin/consultation/consultation/{consultation.pk}/change/")
    staff.locator("#id_report").fill(
        "Sở nhận được 1 ý kiến của doanh nghiệp. Tiếp thu ý kiến về Điều 8: bổ sung danh mục hồ sơ nộp trực tuyến."
    )
    staff.locator("#id_report_published").check()
    staff.get_by_role("button", name="Duyệt & xuất bản").click()  # the edit of a live draft, approved
    staff.wait_for_url(re.compile(r"/admin/consultation/consultation/$"))

    for screen in ("phone", "laptop"):
        page = open_screen(screen)
        page.goto(live_server.url + consultation.get_absolute_url())
        expect(page.locator(".cs-phase").first).to_have_text("Đã kết thúc")
        expect(page.get_by_role("heading", name="Báo cáo tổng hợp, tiếp thu, giải trình")).to_be_visible()
        expect(page.locator(".cs-report")).to_contain_text("Tiếp thu ý kiến về Điều 8")
        expect(page.locator(".cs-comment")).to_contain_text("Công ty TNHH Công nghệ Sao Việt")
        expect(page.locator(".cs-comment")).to_contain_text("Tiếp thu: bổ sung danh mục hồ sơ")
        expect(page.locator("body")).not_to_contain_text("0912345678")
        expect(page.locator("form.cs-form")).to_have_count(0)
        no_sideways_scroll(page)
        screenshot(page, "consultation-report-360-dpr2" if screen == "phone" else "consultation-report-1366")
        assert serious_violations(page) == []
    page.goto(live_server.url + "/lay-y-kien/?trang-thai=da-ket-thuc")
    expect(page.locator(".cs-item")).to_contain_text("Đã có báo cáo tiếp thu, giải trình")
    screenshot(page, "consultation-list-closed-1366")


def test_budget_and_task_pages(live_server, transactional_db, settings, tmp_path, open_screen, screenshot):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_sections_demo", verbosity=0)
    year = timezone.localdate().year
    for screen in ("phone", "laptop"):
        page = open_screen(screen)
        page.goto(live_server.url + "/cong-khai-ngan-sach/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Công khai ngân sách")
        expect(page.locator(".doc-item")).to_have_count(4)
        page.get_by_label("Năm").select_option(str(year - 1))
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator(".doc-item")).to_have_count(2)
        no_sideways_scroll(page)
        assert serious_violations(page) == []
        screenshot(page, f"budget-{'360-dpr2' if screen == 'phone' else '1366'}")
        page.goto(live_server.url + "/nhiem-vu-khcn/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Nhiệm vụ khoa học và công nghệ")
        page.get_by_label("Nhóm").select_option(label="Kết quả thực hiện")
        page.get_by_role("button", name="Lọc").click()
        expect(page.locator(".doc-item")).to_have_count(2)
        expect(page.locator(".doc-item").first).to_contain_text("Kết quả thực hiện")
        no_sideways_scroll(page)
        assert serious_violations(page) == []
        screenshot(page, f"tasks-{'360-dpr2' if screen == 'phone' else '1366'}")


def test_calendar_entry_and_consultation_go_through_review_and_history(
    browser, live_server, transactional_db, settings, request, open_screen, screenshot, tmp_path
):
    """An editor enters a calendar entry and a draft for public comment and sends both for review; a publisher
    approves (the entry from the list, the draft from its form); a citizen reads both, on a laptop and on a
    phone; the publisher brings the draft's first version back from "Lịch sử" and approves it."""
    settings.MEDIA_ROOT = tmp_path
    settings.OTP_REQUIRED_FOR_STAFF = False
    deliver_mail = request.getfixturevalue("deliver_mail")
    director = admin_page(browser, live_server)
    add_staff(director, live_server, "Nguyễn Văn An", "an@sokhcn.gov.vn", "an.nguyen", ["Biên tập viên"])
    add_staff(director, live_server, "Trần Thị Bình", "binh@sokhcn.gov.vn", "binh.tran", ["Duyệt bài"])
    director.context.close()
    an = activate(browser, live_server, deliver_mail, "an@sokhcn.gov.vn", PASSWORD)
    binh = activate(browser, live_server, deliver_mail, "binh@sokhcn.gov.vn", PASSWORD)
    monday = week_start(timezone.localdate())
    now = timezone.localtime()
    first_title = "Dự thảo Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh"
    second_title = "Dự thảo Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh (sửa đổi)"

    # An enters Wednesday's inspection and sends it for review.
    an.goto(live_server.url + "/admin/agenda/entry/add/")
    expect(an.locator("#id_status")).to_have_count(0)  # buttons, not a drop-down
    expect(an.get_by_role("button", name="Duyệt & xuất bản")).to_have_count(0)
    an.locator("#id_day").fill(f"{monday + timedelta(days=2):%d/%m/%Y}")
    an.locator("#id_starts_at").fill("08:00")
    an.locator("#id_ends_at").fill("11:00")
    an.locator("#id_content").fill("Kiểm tra đo lường xăng dầu tại các cửa hàng")
    an.locator("#id_leaders").fill("Phó Giám đốc Nguyễn Thị Hoa")
    an.locator("#id_place").fill("Huyện Vĩnh Tường")
    screenshot(an, "review-agenda-editor-form-1366")
    an.get_by_role("button", name="Gửi duyệt", exact=True).click()
    expect(an.get_by_text("Đã gửi duyệt")).to_be_visible()

    # An writes the draft for comment: saved once, then renamed and sent for review.
    an.goto(live_server.url + "/admin/consultation/consultation/add/")
    an.locator("#id_title").fill(first_title)
    an.locator("#id_drafting_unit").fill("Sở Khoa học và Công nghệ")
    an.locator("#id_summary").fill("Đơn giản hoá hồ sơ đề xuất nhiệm vụ, cho phép nộp hồ sơ trực tuyến.")
    an.locator("#id_opens_at_0").fill(f"{now:%Y-%m-%d}")
    an.locator("#id_opens_at_1").fill("00:00:00")
    an.locator("#id_closes_at_0").fill(f"{now + timedelta(days=30):%Y-%m-%d}")
    an.locator("#id_closes_at_1").fill("17:00:00")
    an.locator("#id_files-0-title").fill("Dự thảo Quy định")
    an.locator("#id_files-0-file").set_input_files(
        {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": draft_pdf(first_title)}
    )
    an.get_by_role("button", name="Lưu nháp").click()
    expect(an.get_by_text("Đã lưu bản nháp.")).to_be_visible()
    an.locator("#id_title").fill(second_title)
    screenshot(an, "review-consultation-editor-form-1366")
    an.get_by_role("button", name="Gửi duyệt", exact=True).click()
    expect(an.get_by_text("Đã gửi duyệt")).to_be_visible()
    consultation = Consultation.objects.get()
    assert consultation.status == Consultation.Status.PENDING
    mails = [m.subject for m in deliver_mail() if m.to == ["binh@sokhcn.gov.vn"]]
    assert any("Kiểm tra đo lường" in s for s in mails) and any(second_title in s for s in mails)

    # Bình publishes the entry from the list of what waits, and the draft from its form.
    binh.goto(live_server.url + "/admin/agenda/entry/?cho_duyet=1")
    binh.get_by_role("row", name=re.compile("Kiểm tra đo lường")).get_by_role("checkbox").check()
    binh.locator("select[name=action]").select_option(label="Xuất bản các mục lịch công tác đã chọn")
    binh.get_by_role("button", name="Đi đến").click()
    expect(binh.get_by_text("Đã xuất bản 1 mục lịch công tác.")).to_be_visible()
    screenshot(binh, "review-agenda-bulk-published-1366")
    binh.goto(live_server.url + f"/admin/consultation/consultation/{consultation.pk}/change/")
    expect(binh.locator(".workflow-state")).to_contain_text("Chờ duyệt")
    binh.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(binh.get_by_text("Đã duyệt và xuất bản")).to_be_visible()

    # A citizen reads both, on a laptop and on a phone (390 px, DPR 2).
    for screen in ("laptop", "phone"):
        citizen = new_context(browser, phone=screen == "phone").new_page()
        citizen.goto(live_server.url + "/lich-cong-tac/")
        expect(citizen.locator(f"#ngay-{monday + timedelta(days=2):%Y-%m-%d}")).to_contain_text(
            "Kiểm tra đo lường xăng dầu tại các cửa hàng"
        )
        no_sideways_scroll(citizen)
        screenshot(citizen, f"review-agenda-public-{'390-dpr2' if screen == 'phone' else '1366'}")
        citizen.goto(live_server.url + "/lay-y-kien/")
        citizen.get_by_role("link", name=second_title).click()
        expect(citizen.get_by_role("heading", level=1)).to_have_text(second_title)
        expect(citizen.get_by_role("link", name="Dự thảo Quy định")).to_be_visible()
        no_sideways_scroll(citizen)
        screenshot(citizen, f"review-consultation-public-{'390-dpr2' if screen == 'phone' else '1366'}")
        citizen.context.close()

    # Bình brings the first version back from "Lịch sử", compares, and approves it.
    binh.goto(live_server.url + f"/admin/consultation/consultation/{consultation.pk}/change/")
    binh.get_by_role("link", name="Lịch sử").click()
    rows = binh.locator("table.workflow-versions tbody tr.version")
    expect(rows).to_have_count(3)  # "Lưu nháp", "Gửi duyệt", "Duyệt & xuất bản"
    expect(rows.last).to_contain_text("Lưu nháp")
    expect(rows.last).to_contain_text("Nguyễn Văn An")
    screenshot(binh, "review-consultation-history-1366")
    rows.last.locator("input[name=a]").check()
    rows.first.locator("input[name=b]").check()
    binh.get_by_role("button", name="So sánh hai phiên bản đã chọn").click()
    expect(binh.locator(".workflow-table ins").first).to_contain_text("(sửa đổi)")
    screenshot(binh, "review-consultation-compare-1366")
    binh.go_back()
    rows.last.get_by_role("button", name="Khôi phục").click()
    expect(binh.get_by_text("Đã khôi phục phiên bản thành bản nháp")).to_be_visible()
    expect(binh.locator("#id_title")).to_have_value(first_title)
    reader = new_context(browser, phone=True).new_page()
    reader.goto(live_server.url + consultation.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text(second_title)  # live until approved
    binh.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(binh.get_by_text("Đã duyệt và xuất bản")).to_be_visible()
    reader.goto(live_server.url + consultation.get_absolute_url())
    expect(reader.get_by_role("heading", level=1)).to_have_text(first_title)
    no_sideways_scroll(reader)
    screenshot(reader, "review-consultation-restored-390-dpr2")
    for page in (an, binh, reader):
        assert page.csp_violations == [] if hasattr(page, "csp_violations") else True

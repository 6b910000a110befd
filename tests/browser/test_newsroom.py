"""The newsroom's safety net, as the people do it (issue 17): an editor changes a live article, readers keep
the old text, the publisher compares and approves, readers see the new text; the history shows three
versions; the first is restored as a draft and approved; readers see the first text again. Staff are made
through "Thêm cán bộ" (tests/browser/staff.py)."""

import re

from playwright.sync_api import expect

from core.workflow.models import WorkingCopy
from news.models import Article, Category

from .staff import activate, add_staff, admin_page, new_context

PASSWORD = "Hoa sen nở giữa hồ 2025"
FIRST_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2024"
FIRST_BODY = "Sáng nay, Sở tổ chức hội nghị triển khai nhiệm vụ năm 2024."
NEW_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2025"
NEW_BODY = "Sáng nay, Sở tổ chức hội nghị triển khai nhiệm vụ năm 2025 với 40 đề tài."


def change_url(live_server, article):
    return f"{live_server.url}/admin/news/article/{article.pk}/change/"


def reader_sees(reader, live_server, article, present, absent):
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.locator("main")).to_contain_text(present)
    expect(reader.locator("main")).not_to_contain_text(absent)


def replace_body(page, text):
    editable = page.locator(".ck-editor__editable").first
    editable.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def test_live_article_edit_review_history_restore(browser, live_server, settings, screenshot, request):
    settings.OTP_REQUIRED_FOR_STAFF = False  # (two-factor has its own journey: test_onboarding.py)
    deliver_mail = request.getfixturevalue("deliver_mail")
    category = Category.objects.create(name="Hoạt động của Sở", slug="hoat-dong-cua-so", position=1)
    director = admin_page(browser, live_server)
    add_staff(director, live_server, "Nguyễn Văn An", "an@sokhcn.gov.vn", "an.nguyen", ["Biên tập viên"])
    add_staff(director, live_server, "Trần Thị Bình", "binh@sokhcn.gov.vn", "binh.tran", ["Duyệt bài"])
    an = activate(browser, live_server, deliver_mail, "an@sokhcn.gov.vn", PASSWORD)
    binh = activate(browser, live_server, deliver_mail, "binh@sokhcn.gov.vn", PASSWORD)
    reader = new_context(browser).new_page()

    # Bình writes and publishes the first version.
    binh.goto(live_server.url + "/admin/news/article/add/")
    expect(binh.get_by_label("Trạng thái:")).to_have_count(0)  # buttons, not a drop-down
    binh.locator("#id_title").fill(FIRST_TITLE)
    binh.locator("#id_category").select_option(label=category.name)
    replace_body(binh, FIRST_BODY)
    binh.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(binh.get_by_text("Đã duyệt và xuất bản")).to_be_visible()
    article = Article.objects.get(title=FIRST_TITLE)
    assert article.status == Article.Status.PUBLISHED
    reader_sees(reader, live_server, article, FIRST_BODY, NEW_BODY)

    # An, an editor, changes the live article: first a preview in a new tab, then "Gửi duyệt".
    an.goto(change_url(live_server, article))
    expect(an.get_by_text("Mọi thay đổi được lưu thành bản sửa đổi")).to_be_visible()
    for hidden in ("Duyệt & xuất bản", "Gỡ xuống", "Lên lịch"):
        expect(an.get_by_role("button", name=hidden)).to_have_count(0)
    an.locator("#id_title").fill(NEW_TITLE)
    replace_body(an, NEW_BODY)
    with an.expect_popup() as popup:
        an.get_by_role("button", name="Xem trước").click()
    preview = popup.value
    expect(preview.locator("main")).to_contain_text(NEW_BODY)
    expect(preview.get_by_text("Xem trước").first).to_be_visible()
    screenshot(preview, "newsroom-preview-1366")
    preview.close()
    screenshot(an, "newsroom-editor-form-1366")
    an.get_by_role("button", name="Gửi duyệt").click()
    expect(an.get_by_text("Đã gửi duyệt")).to_be_visible()
    expect(an.get_by_role("row", name=re.compile(NEW_TITLE))).to_have_count(0)  # the list shows the live title
    reader_sees(reader, live_server, article, FIRST_BODY, NEW_BODY)  # readers keep the live text
    (mail,) = [m for m in deliver_mail() if m.to == ["binh@sokhcn.gov.vn"] and "Chờ duyệt" in m.subject]
    assert "Nguyễn Văn An" in mail.body

    # Bình: the admin home says something waits; she compares and approves.
    binh.goto(live_server.url + "/admin/")
    expect(binh.locator("#content-main")).to_contain_text("Bài chờ duyệt")
    binh.goto(change_url(live_server, article))
    binh.get_by_role("link", name="So sánh với bản đang xuất bản").click()
    expect(binh.locator(".workflow-table del").first).to_contain_text("2024")
    expect(binh.locator(".workflow-table ins").first).to_contain_text("2025")
    screenshot(binh, "newsroom-compare-1366")
    phone = new_context(browser, phone=True, storage_state=binh.context.storage_state()).new_page()
    phone.goto(binh.url)
    expect(phone.locator(".workflow-table ins").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "newsroom-compare-390")
    binh.goto(change_url(live_server, article))
    binh.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(binh.get_by_text("Đã duyệt và xuất bản")).to_be_visible()
    reader_sees(reader, live_server, article, NEW_BODY, FIRST_BODY)

    # An is told on his next admin page.
    an.goto(live_server.url + "/admin/")
    expect(an.get_by_text(re.compile("đã được Trần Thị Bình duyệt"))).to_be_visible()

    # The history: three versions; the first comes back as a draft, and is approved.
    binh.goto(change_url(live_server, article))
    binh.get_by_role("link", name="Lịch sử").click()
    rows = binh.locator("table.workflow-versions tbody tr.version")
    expect(rows).to_have_count(3)
    screenshot(binh, "newsroom-history-1366")
    phone.goto(binh.url)
    expect(phone.locator("table.workflow-versions tr.version")).to_have_count(3)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "newsroom-history-390")
    rows.last.get_by_role("button", name="Khôi phục").click()
    expect(binh.get_by_text("Đã khôi phục phiên bản thành bản nháp")).to_be_visible()
    expect(binh.locator("#id_title")).to_have_value(FIRST_TITLE)
    reader_sees(reader, live_server, article, NEW_BODY, FIRST_BODY)  # restoring never touches the live text
    binh.goto(change_url(live_server, article))
    screenshot(binh, "newsroom-restored-form-1366")
    phone.goto(binh.url)
    expect(phone.get_by_role("button", name="Duyệt & xuất bản")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "newsroom-restored-form-390")
    binh.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(binh.get_by_text("Đã duyệt và xuất bản")).to_be_visible()
    reader_sees(reader, live_server, article, FIRST_BODY, NEW_BODY)
    article.refresh_from_db()
    assert article.title == FIRST_TITLE and not WorkingCopy.objects.exists()
    for page in (director, an, binh, phone):
        assert page.csp_violations == [] if hasattr(page, "csp_violations") else True

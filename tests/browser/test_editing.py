"""Autosave and edit locks in the admin, as the newsroom meets them (core/editing.py, static/admin/js/editing.js):
a closed tab's text comes back, a second editor meets the lock, a publisher takes over, leaving asks first."""

import re
import time

import pytest
from playwright.sync_api import expect

from core.editstate import AutosaveSlot, EditLock
from news.models import Article
from tests.browser.staff import activate, add_staff, admin_page, log_in, new_context

PASSWORD = "Hoa sen nở giữa hồ 2025"
TYPED = "Hội đồng đã nghe báo cáo kết quả trồng thử nấm linh chi tại ba huyện miền núi."


@pytest.fixture(autouse=True)
def _patient_expect():
    """Admin pages with CKEditor on a busy 2-core machine: wait up to 15 s (Playwright's default is 5 s)."""
    expect.set_options(timeout=15000)
    yield
    expect.set_options(timeout=5000)


@pytest.fixture
def quick(settings):
    """Autosave and heartbeats every second (the real ones: every 30 s), no second factor in these journeys."""
    settings.OTP_REQUIRED_FOR_STAFF = False
    settings.EDITING_AUTOSAVE_SECONDS = 1
    settings.EDITING_HEARTBEAT_SECONDS = 1


@pytest.fixture
def draft(category):
    return Article.objects.create(
        title="Nghiệm thu đề tài nấm linh chi",
        category=category,
        summary="Hội đồng khoa học tỉnh nghiệm thu đề tài.",
        body="<p>Sáng nay, Hội đồng KH&amp;CN tỉnh đã họp.</p>",
        status=Article.Status.DRAFT,
    )


def staff(browser, live_server, deliver_mail, people):
    """The administrator adds each (full name, user name, role) through "Thêm cán bộ"; each activates."""
    admin = admin_page(browser, live_server)
    for full_name, username, role in people:
        add_staff(admin, live_server, full_name, f"{username}@sokhcn.gov.vn", username, [role])
    admin.context.close()
    pages = {
        username: activate(browser, live_server, deliver_mail, f"{username}@sokhcn.gov.vn", PASSWORD)
        for _full_name, username, _role in people
    }
    for page in pages.values():
        page.js_errors = []
        page.on("pageerror", lambda error, page=page: page.js_errors.append(str(error)))
    return pages


def fresh_page(browser, phone=False):
    """A new window (laptop, or a 390×844 phone at DPR 2) whose CSP violations the test checks."""
    page = new_context(browser, phone=phone).new_page()
    page.set_default_timeout(15000)
    page.csp_violations, page.js_errors = [], []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


def closed(page, leave_first=True):
    """Close the page's window, after checking no script failed and the Content-Security-Policy refused nothing.

    First the page is left (its last autosave and the lock's release go out as beacons) and the server given a
    moment to answer them: a beacon still being written when the test's database is emptied could deadlock
    with the TRUNCATE."""
    assert page.csp_violations == [] and page.js_errors == []
    if leave_first:
        page.goto("about:blank")
        time.sleep(0.5)
    page.context.close()


def change_url(live_server, article):
    return f"{live_server.url}/admin/news/article/{article.pk}/change/"


def wait_for(condition, timeout=15.0):
    """Poll (the autosave is every second here) until `condition()` is true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError("timed out")


def until(page, condition, timeout=15000):
    """Like wait_for, but the page's events (requests seen) are dispatched while waiting."""
    waited = 0
    while not condition():
        assert waited < timeout, "timed out"
        page.wait_for_timeout(200)
        waited += 200


def type_in_body(page, text):
    editable = page.locator(".ck-editor__editable").first
    editable.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(text)


def test_autosave_survives_closing_the_tab(browser, live_server, quick, draft, deliver_mail, screenshot):
    """An types in the body, the tab is closed; on a phone the form offers the text back and restores it."""
    an = staff(browser, live_server, deliver_mail, [("Nguyễn Văn An", "an.nguyen", "Biên tập viên")])["an.nguyen"]
    an.goto(change_url(live_server, draft))
    expect(an.locator("#editing-panel[data-ready='1']")).to_have_count(1)
    type_in_body(an, TYPED)
    slot = wait_for(lambda: AutosaveSlot.objects.filter(user=an.user, object_id=str(draft.pk)).first())
    wait_for(lambda: TYPED in AutosaveSlot.objects.get(pk=slot.pk).data["body"][0])
    closed(an, leave_first=False)  # the tab (and the browser window) closed without saving

    again = fresh_page(browser, phone=True)  # An goes on from a phone
    log_in(again, live_server, "an.nguyen", PASSWORD)
    again.goto(change_url(live_server, draft))
    saved_at = AutosaveSlot.objects.get().saved_at
    from django.utils import timezone

    question = f"Khôi phục bản đang soạn lúc {timezone.localtime(saved_at):%H:%M}?"
    expect(again.get_by_role("heading", name=question)).to_be_visible()
    offer = again.locator("[data-editing-offer]")
    expect(offer.locator("dt")).to_have_text(["Nội dung"])  # only the body differs from the stored article
    expect(offer.locator("ins")).to_contain_text("trồng thử nấm linh chi")
    expect(again.locator(".ck-editor__editable").first).not_to_contain_text(TYPED)
    screenshot(again, "editing-offer-390")
    again.get_by_role("button", name="Khôi phục").click()
    expect(offer).to_be_hidden()
    expect(again.locator(".ck-editor__editable").first).to_contain_text(TYPED)
    expect(again.get_by_text("Đã điền lại bản đang soạn vào biểu mẫu.")).to_be_visible()
    again.get_by_role("button", name="Lưu nháp").click()
    expect(again.locator(".messagelist .success")).to_be_visible()
    draft.refresh_from_db()
    assert TYPED in draft.body
    assert not AutosaveSlot.objects.exists()  # saved: the slot is gone
    closed(again)


def test_second_editor_meets_the_lock_and_a_publisher_takes_over(
    browser, live_server, quick, draft, deliver_mail, screenshot
):
    people = staff(
        browser,
        live_server,
        deliver_mail,
        [
            ("Nguyễn Văn An", "an.nguyen", "Biên tập viên"),
            ("Trần Thị Bình", "binh.tran", "Biên tập viên"),
            ("Lê Minh Chi", "chi.le", "Duyệt bài"),
        ],
    )
    an = people["an.nguyen"]
    an.goto(change_url(live_server, draft))
    expect(an.locator("#editing-panel[data-ready='1']")).to_have_count(1)
    an.get_by_label("Tiêu đề:").fill("Nghiệm thu đề tài nấm linh chi và nấm hương")

    # Bình, another editor, on a phone: who edits since when, the article read-only, no "Tiếp quản".
    binh = people["binh.tran"]
    closed(binh)
    binh = fresh_page(browser, phone=True)
    log_in(binh, live_server, "binh.tran", PASSWORD)
    binh.goto(change_url(live_server, draft))
    expect(binh.get_by_text(re.compile(r"^Đang được Nguyễn Văn An chỉnh sửa từ \d\d:\d\d\.$"))).to_be_visible()
    expect(binh.get_by_text("Bạn đang xem ở chế độ chỉ đọc.")).to_be_visible()
    expect(binh.get_by_label("Tiêu đề:")).to_have_count(0)  # no input: the admin's read-only view
    expect(binh.get_by_role("button", name="Tiếp quản")).to_have_count(0)
    screenshot(binh, "editing-locked-390")
    closed(binh)

    # Chi, a publisher, takes over; An's tab is told at its next heartbeat, An's typing kept in An's slot.
    chi = people["chi.le"]
    chi.goto(change_url(live_server, draft))
    expect(chi.get_by_text(re.compile(r"^Đang được Nguyễn Văn An chỉnh sửa từ"))).to_be_visible()
    screenshot(chi, "editing-takeover-offered-1366")
    chi.get_by_role("button", name="Tiếp quản").click()
    expect(chi.get_by_text("Bạn đã tiếp quản việc chỉnh sửa. Nguyễn Văn An sẽ được báo")).to_be_visible()
    expect(chi.get_by_label("Tiêu đề:")).to_be_editable()

    told = an.get_by_role("alert").filter(has_text="Lê Minh Chi đã tiếp quản việc chỉnh sửa lúc")
    expect(told).to_be_visible()
    expect(told).to_contain_text("đã được giữ trong bản tự lưu của bạn")
    wait_for(
        lambda: AutosaveSlot.objects.filter(
            user=an.user, data__title=["Nghiệm thu đề tài nấm linh chi và nấm hương"]
        ).exists()
    )
    screenshot(an, "editing-taken-over-1366")

    # An tries to save anyway: refused, with the text still on the page.
    an.get_by_role("button", name="Lưu nháp").click()
    expect(an.get_by_text(re.compile("Chưa lưu: Lê Minh Chi đã tiếp quản việc chỉnh sửa từ")).first).to_be_visible()
    expect(an.get_by_label("Tiêu đề:")).to_have_value("Nghiệm thu đề tài nấm linh chi và nấm hương")
    screenshot(an, "editing-save-refused-1366")
    draft.refresh_from_db()
    assert draft.title == "Nghiệm thu đề tài nấm linh chi"
    closed(an)
    closed(chi)


def test_leaving_with_unsaved_changes_asks_first(browser, live_server, quick, draft, deliver_mail):
    an = staff(browser, live_server, deliver_mail, [("Nguyễn Văn An", "an.nguyen", "Biên tập viên")])["an.nguyen"]
    an.goto(change_url(live_server, draft))
    expect(an.locator("#editing-panel[data-ready='1']")).to_have_count(1)
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "stay on this page"

    an.on("dialog", answer)
    an.get_by_role("link", name="Trang chủ").first.click()  # nothing changed yet: leaves without asking
    an.wait_for_url(live_server.url + "/admin/")
    assert asked == []
    an.goto(change_url(live_server, draft))
    expect(an.locator("#editing-panel[data-ready='1']")).to_have_count(1)
    type_in_body(an, "Một câu chưa lưu.")
    an.get_by_role("link", name="Trang chủ").first.click()
    wait_for(lambda: asked == ["beforeunload"])
    assert an.url == change_url(live_server, draft)  # stayed, the text still there
    expect(an.locator(".ck-editor__editable").first).to_contain_text("Một câu chưa lưu.")
    an.remove_listener("dialog", answer)
    an.on("dialog", lambda dialog: dialog.accept())  # now leave
    closed(an)


def test_new_document_draft_comes_back_with_its_fields(browser, live_server, quick, deliver_mail, screenshot):
    """The "add" form of a legal document: its summary and chosen fields (a two-box selector) are restored."""
    from documents.models import Field

    Field.objects.create(name="Sở hữu trí tuệ", slug="so-huu-tri-tue")
    Field.objects.create(name="Năng lượng nguyên tử", slug="nang-luong-nguyen-tu")
    an = staff(browser, live_server, deliver_mail, [("Nguyễn Văn An", "an.nguyen", "Biên tập viên")])["an.nguyen"]
    an.goto(live_server.url + "/admin/documents/document/add/")
    expect(an.locator("#editing-panel[data-ready='1']")).to_have_count(1)
    an.get_by_label("Số ký hiệu:").fill("05/KH-SKHCN")
    an.get_by_label("Trích yếu:").fill("Kế hoạch phát triển tài sản trí tuệ năm 2026")
    an.locator("#id_fields_from").select_option(label="Sở hữu trí tuệ")
    an.locator("#id_fields_add").click()
    wait_for(lambda: AutosaveSlot.objects.filter(user=an.user, object_id="", data__number=["05/KH-SKHCN"]).exists())
    wait_for(lambda: len(AutosaveSlot.objects.get(user=an.user).data.get("fields", [])) == 1)
    closed(an)

    again = fresh_page(browser)
    log_in(again, live_server, "an.nguyen", PASSWORD)
    again.goto(live_server.url + "/admin/documents/document/add/")
    offer = again.locator("[data-editing-offer]")
    expect(offer).to_contain_text("Kế hoạch phát triển tài sản trí tuệ năm 2026")
    expect(offer.locator("dd ins").filter(has_text="Sở hữu trí tuệ")).to_be_visible()
    screenshot(again, "editing-document-offer-1366")
    again.get_by_role("button", name="Khôi phục").click()
    expect(again.get_by_label("Trích yếu:")).to_have_value("Kế hoạch phát triển tài sản trí tuệ năm 2026")
    expect(again.get_by_label("Số ký hiệu:")).to_have_value("05/KH-SKHCN")
    expect(again.locator("#id_fields_to option")).to_have_text(["Sở hữu trí tuệ"])
    expect(again.locator("#id_fields_from option")).to_have_text(["Năng lượng nguyên tử"])
    closed(again)


def test_read_only_page_says_when_the_lock_frees(
    browser, live_server, quick, draft, deliver_mail, settings, screenshot
):
    """Bình (phone) opens what An edits: read-only; An saves and leaves; Bình's page says so out loud and its
    "Tải lại để sửa" opens the form for editing."""
    settings.EDITING_STATUS_SECONDS = 1  # (20 s in real life)
    people = staff(
        browser,
        live_server,
        deliver_mail,
        [("Nguyễn Văn An", "an.nguyen", "Biên tập viên"), ("Trần Thị Bình", "binh.tran", "Biên tập viên")],
    )
    an = people["an.nguyen"]
    an.goto(change_url(live_server, draft))
    expect(an.locator("#editing-panel[data-ready='1']")).to_have_count(1)
    closed(people["binh.tran"])
    binh = fresh_page(browser, phone=True)
    log_in(binh, live_server, "binh.tran", PASSWORD)
    asked = []
    binh.on("request", lambda request: "/editing/status/" in request.url and asked.append(request.url))
    binh.goto(change_url(live_server, draft))
    expect(binh.get_by_text("Bạn đang xem ở chế độ chỉ đọc.")).to_be_visible()
    expect(binh.locator("#editing-panel[data-watching='1']")).to_have_count(1)
    until(binh, lambda: len(asked) >= 2)  # asking, and still read-only while An is there
    region = binh.locator("[data-editing-freed]")
    assert region.get_attribute("aria-live") == "polite"
    expect(binh.get_by_role("link", name="Tải lại để sửa")).to_be_hidden()

    an.get_by_label("Tiêu đề:").fill("Nghiệm thu đề tài nấm linh chi (đã sửa)")
    an.get_by_role("button", name="Lưu nháp").click()  # saved: the lock is let go
    expect(an.locator(".messagelist .success")).to_be_visible()
    closed(an)  # and the tab closed

    expect(region).to_contain_text("Nguyễn Văn An đã đóng bài viết này. Bạn có thể sửa ngay:")
    reload = binh.get_by_role("link", name="Tải lại để sửa")
    expect(reload).to_be_visible()
    screenshot(binh, "editing-lock-freed-390")
    seen = len(asked)
    binh.wait_for_timeout(2500)
    assert len(asked) == seen  # told once: no more asking
    reload.click()
    expect(binh.get_by_label("Tiêu đề:")).to_have_value("Nghiệm thu đề tài nấm linh chi (đã sửa)")
    expect(binh.get_by_label("Tiêu đề:")).to_be_editable()
    wait_for(lambda: EditLock.objects.filter(user__username="binh.tran").exists())
    closed(binh)


def test_hidden_read_only_tab_does_not_ask(browser, live_server, quick, draft, deliver_mail, settings):
    """While the read-only tab is out of sight it asks nothing; back in sight it asks at once."""
    settings.EDITING_STATUS_SECONDS = 1
    people = staff(
        browser,
        live_server,
        deliver_mail,
        [("Nguyễn Văn An", "an.nguyen", "Biên tập viên"), ("Trần Thị Bình", "binh.tran", "Biên tập viên")],
    )
    an, binh = people["an.nguyen"], people["binh.tran"]
    an.goto(change_url(live_server, draft))
    expect(an.locator("#editing-panel[data-ready='1']")).to_have_count(1)
    asked = []
    binh.on("request", lambda request: "/editing/status/" in request.url and asked.append(request.url))
    binh.goto(change_url(live_server, draft))
    until(binh, lambda: len(asked) >= 1)
    hide = "v => { Object.defineProperty(document, 'hidden', {value: v, configurable: true}); "
    hide += "document.dispatchEvent(new Event('visibilitychange')); }"
    binh.evaluate(hide, True)
    binh.wait_for_timeout(500)
    seen = len(asked)
    binh.wait_for_timeout(2500)
    assert len(asked) == seen
    binh.evaluate(hide, False)
    until(binh, lambda: len(asked) > seen)
    closed(an)
    closed(binh)

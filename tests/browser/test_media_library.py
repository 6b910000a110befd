"""The media library as an editor meets it: a photo uploaded as one article's cover (kept when the form comes back
for its missing description) is picked from the library in a second article, as cover and into the body, with
its description proposed; deleting it is refused with where it is used; the library works at 390 px."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from core.models import MediaItem
from news.models import Article
from tests.browser.staff import activate, add_staff, admin_page, new_context

ALT = "Toàn cảnh hội nghị tổng kết năm 2023"


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "Hội nghị tổng kết.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), (40, 90, 160)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def save(page, done=False):
    """The form's save button ("Lưu nháp" with the workflow buttons, else "Lưu lại"); with `done`, waits for the
    success message."""
    page.get_by_role("button", name=re.compile(r"^(Lưu lại|Lưu nháp)$")).first.click()
    if done:
        expect(page.locator(".messagelist .success").first).to_be_visible()


def start_article(page, live_server, title, category):
    page.goto(live_server.url + "/admin/news/article/add/")
    page.get_by_label("Tiêu đề:").fill(title)
    page.get_by_label("Chuyên mục:").select_option(label=category.name)


def pick(page, button_name, search=None, shot=None):
    """Open the library's picker from `button_name` and choose its first image (after a search)."""
    with page.expect_popup() as opened:
        page.get_by_role("button", name=button_name).first.click()
    picker = opened.value
    picker.wait_for_load_state()
    if search:
        picker.get_by_label("Tìm trong thư viện").fill(search)
        picker.get_by_role("button", name="Tìm").click()
        picker.wait_for_load_state()
    expect(picker.locator(".media-choice").first).to_be_visible()
    expect(picker.locator(".media-choice").first).to_contain_text(ALT)  # its description, shown before choosing
    if shot:
        shot(picker, "media-picker")
    with picker.expect_event("close"):
        picker.locator(".media-choice").first.click()


def test_pick_an_earlier_photo_from_the_library(
    browser, live_server, settings, tmp_path, category, photo, request, screenshot
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OTP_REQUIRED_FOR_STAFF = False
    deliver_mail = request.getfixturevalue("deliver_mail")
    admin = admin_page(browser, live_server)
    add_staff(admin, live_server, "Trần Thị Mai", "mai@sokhcn.gov.vn", "mai.tran", ["Biên tập viên"])
    mai = activate(browser, live_server, deliver_mail, "mai@sokhcn.gov.vn", "Hoa sen nở giữa hồ 2025")

    # First article: the cover is uploaded but its description forgotten; the form comes back with the photo kept.
    start_article(mai, live_server, "Hội nghị tổng kết công tác khoa học năm 2023", category)
    mai.locator("input[type=file][name=cover]").set_input_files(str(photo))
    save(mai)
    expect(mai.get_by_text("Hãy mô tả ảnh đại diện")).to_be_visible()
    preview = mai.locator(".field-cover .media-image-preview img")
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("src", re.compile(r"/media/CACHE/"))
    screenshot(mai, "media-cover-kept-after-error")
    mai.get_by_label("Mô tả ảnh (cho người khiếm thị):").fill(ALT)
    save(mai, done=True)
    item = MediaItem.objects.get()
    first = Article.objects.get(title__startswith="Hội nghị tổng kết")
    assert first.cover.name == item.file.name and item.uploaded_by.username == "mai.tran"

    # Second article: the same photo from the library, as cover and in the body; its description is proposed.
    start_article(mai, live_server, "Triển khai nhiệm vụ khoa học năm 2024", category)
    pick(mai, "Chọn từ thư viện")
    expect(mai.locator(".field-cover .media-image-preview img")).to_be_visible()
    expect(mai.get_by_label("Mô tả ảnh (cho người khiếm thị):")).to_have_value(ALT)
    editable = mai.locator(".ck-editor__editable").first
    editable.click()
    mai.keyboard.type("Sở đã giao nhiệm vụ cho các đơn vị.")
    pick(mai, "Chèn ảnh từ thư viện", search="hoi nghi", shot=screenshot)
    body_image = editable.locator(f"img[src='{item.file.url}']")
    expect(body_image).to_have_count(1)
    expect(body_image).to_have_attribute("alt", ALT)
    screenshot(mai, "media-picked-into-article")
    save(mai, done=True)
    second = Article.objects.get(title__startswith="Triển khai")
    assert second.cover.name == item.file.name and second.cover_alt == ALT
    assert f'src="{item.file.url}"' in second.body and f'alt="{ALT}"' in second.body
    assert MediaItem.objects.count() == 1

    # The library, from the admin's menu: the item says where it is used, and cannot be deleted.
    mai.goto(live_server.url + "/admin/")
    mai.locator("#content-main").get_by_role("link", name="Thư viện tệp").click()
    mai.wait_for_url(re.compile(r"/admin/core/mediaitem/$"))
    expect(mai.locator("#result_list img.media-thumb")).to_have_count(1)
    screenshot(mai, "media-library-laptop")
    mai.get_by_role("link", name=re.compile("Hội nghị tổng kết")).first.click()
    usages = mai.locator(".media-usages")
    expect(usages.get_by_role("link", name="Hội nghị tổng kết công tác khoa học năm 2023")).to_be_visible()
    # the second article uses it twice: as its cover and in its body
    expect(usages.get_by_role("link", name="Triển khai nhiệm vụ khoa học năm 2024")).to_have_count(2)
    expect(usages).to_contain_text("ảnh đại diện")
    expect(usages).to_contain_text("nội dung")
    mai.get_by_role("link", name="Xoá", exact=True).or_(mai.get_by_role("link", name="Xóa", exact=True)).first.click()
    expect(mai.get_by_text(re.compile("Không thể xoá .* vì tệp đang được dùng ở"))).to_be_visible()
    expect(mai.locator(".messagelist")).to_contain_text("Triển khai nhiệm vụ khoa học năm 2024")
    screenshot(mai, "media-delete-refused")
    assert MediaItem.objects.filter(pk=item.pk).exists()
    assert mai.csp_violations == []

    # On a phone: the library is a grid of cards, no sideways scrolling, search works.
    phone = new_context(browser, phone=True, storage_state=mai.context.storage_state()).new_page()
    phone.goto(live_server.url + "/admin/core/mediaitem/?q=hoi+nghi")
    expect(phone.locator("#result_list img.media-thumb")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "media-library-phone")
    phone.get_by_role("link", name="Tải tệp lên").click()
    expect(phone.get_by_label("Chọn tệp")).to_be_attached()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "media-upload-phone")
    phone.context.close()

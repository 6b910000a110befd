"""An editor writes an article in CKEditor 5 with an image; a publisher publishes it; readers see it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from news.models import Article

TITLE = "Nghiệm thu đề tài ứng dụng công nghệ sinh học trong sản xuất nấm"


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "nấm linh chi.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1000, 600), (40, 120, 80)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def login(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_write_review_publish(
    browser, live_server, editor, publisher, category, photo, settings, tmp_path, screenshot
):
    settings.MEDIA_ROOT = tmp_path
    writer = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 1000}).new_page()
    violations = []
    writer.on("console", lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text))
    login(writer, live_server, "bientap")
    writer.goto(live_server.url + "/admin/news/article/add/")
    writer.get_by_label("Tiêu đề:").fill(TITLE)
    writer.get_by_label("Chuyên mục:").select_option(label=category.name)
    writer.get_by_label("Tóm tắt (sapo):").fill("Đề tài giúp nông dân nâng năng suất nấm linh chi.")

    editable = writer.locator(".ck-editor__editable").first
    editable.click()
    writer.keyboard.type("Sáng nay, Hội đồng KH&CN tỉnh đã nghiệm thu đề tài.")
    writer.keyboard.press("Enter")
    with writer.expect_response(lambda r: "image_upload" in r.url) as upload:
        writer.locator(".ck-toolbar input[type=file]").first.set_input_files(str(photo))
    assert upload.value.status == 200
    editable.locator("img[src*='/media/editor/']").wait_for()
    assert violations == []  # CKEditor works under the admin's Content Security Policy
    # Every image needs a text alternative: the image's own toolbar (first button) sets it.
    editable.locator("img[src*='/media/editor/']").click()
    writer.locator(".ck-balloon-panel_visible .ck-toolbar button").first.click()
    alt_input = writer.locator(".ck-text-alternative-form input")
    alt_input.fill("Nấm linh chi trồng trong nhà màng")
    alt_input.press("Enter")

    expect(writer.get_by_role("button", name="Duyệt & xuất bản")).to_have_count(0)  # editors cannot publish
    screenshot(writer, "admin-editor-article")
    writer.get_by_role("button", name="Gửi duyệt", exact=True).click()  # the workflow's buttons (core/workflow)
    writer.wait_for_url(live_server.url + "/admin/news/article/")
    expect(writer.get_by_text("Đã gửi duyệt")).to_be_visible()

    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.PENDING
    assert article.slug == "nghiem-thu-de-tai-ung-dung-cong-nghe-sinh-hoc-trong-san-xuat-nam"
    assert '<img src="/media/editor/' in article.body and "nghiệm thu đề tài" in article.body
    assert 'alt="Nấm linh chi trồng trong nhà màng"' in article.body

    reviewer = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()
    login(reviewer, live_server, "duyetbai")
    reviewer.goto(live_server.url + "/admin/news/article/?status__exact=pending")
    reviewer.get_by_role("row", name=TITLE).get_by_role("checkbox").check()
    reviewer.locator("select[name=action]").select_option(label="Xuất bản các bài viết đã chọn")
    reviewer.get_by_role("button", name="Đi đến").click()
    expect(reviewer.get_by_text("Đã xuất bản 1 bài viết.")).to_be_visible()

    reader = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 740}).new_page()
    reader.goto(live_server.url + "/")
    reader.get_by_role("link", name=TITLE).first.click()
    assert reader.get_by_role("heading", level=1).inner_text() == TITLE
    image = reader.locator(".article-body img").first
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(reader, "article-published-by-editor-360")

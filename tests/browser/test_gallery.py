"""Photos and video, as the Department uses them: a staff member (added through "Thêm cán bộ") builds a
gallery of a conference in the admin with captions, places it in the article about it, uploads the clip
with its poster and Vietnamese captions; readers on a phone (360×780, DPR 2) and a laptop (1366×768) see
the gallery in the article and at /thu-vien-anh/, browse the photos with JavaScript off, and play the
video, served in byte ranges by the app itself. axe-core finds no serious problem on the new pages."""

import re
from fractions import Fraction

import pytest
from django.test.testcases import _MediaFilesHandler
from PIL import Image
from playwright.sync_api import expect

from gallery.models import Gallery, Video
from news.models import Article

from .staff import activate, add_staff, admin_page
from .test_state_accessibility import serious_violations

PASSWORD = "Ảnh hội nghị đẹp 2026"
TITLE = "Hội nghị tổng kết công tác khoa học và công nghệ năm 2025"
CAPTIONS = [
    "Giám đốc Sở phát biểu khai mạc hội nghị",
    "Các đại biểu thảo luận tại hội trường",
    "Trao bằng khen cho các tập thể xuất sắc",
]
VTT = "WEBVTT\n\n00:00.000 --> 00:01.500\nGiám đốc Sở phát biểu khai mạc.\n\n00:01.500 --> 00:03.000\nHội nghị bắt đầu.\n"
PHONE = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}


def photo_file(path, color, label):
    from PIL import ImageDraw

    image = Image.new("RGB", (1600, 1067), color)
    ImageDraw.Draw(image).rectangle((200, 200, 1400, 867), outline=(255, 255, 255), width=24)
    ImageDraw.Draw(image).text((260, 260), label, fill=(255, 255, 255))
    image.save(path, format="JPEG", quality=85)
    return path


def small_mp4(path, seconds=3, fps=10):
    """A real H.264 MP4 (320×180, `seconds` long, moov atom first so it can start at once), made with PyAV."""
    import av
    from PIL import ImageDraw

    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for n in range(seconds * fps):
            image = Image.new("RGB", (320, 180), ((n * 8) % 256, 40, 90))
            ImageDraw.Draw(image).rectangle(((n * 9) % 280, 40, (n * 9) % 280 + 40, 140), fill=(250, 220, 0))
            video_frame = av.VideoFrame.from_image(image)
            video_frame.pts = n
            for packet in stream.encode(video_frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture
def app_serves_media(monkeypatch):
    """Django's live server answers /media/ itself (django.views.static.serve, no ranges); let the portal's
    own media view (SERVE_MEDIA=1, core.mediaserve) answer, as it does on a single server."""
    monkeypatch.setattr(_MediaFilesHandler, "_should_handle", lambda self, path: False)


def open_as(browser, device, **extra):
    context = browser.new_context(locale="vi-VN", **device, **extra)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
    return context, page


def test_gallery_and_video_from_admin_to_readers(
    browser, live_server, settings, tmp_path, screenshot, category, request, app_serves_media
):
    settings.OTP_REQUIRED_FOR_STAFF = False
    settings.MEDIA_ROOT = tmp_path / "media"
    deliver_mail = request.getfixturevalue("deliver_mail")
    files = tmp_path / "upload"
    files.mkdir()
    colors = [(20, 80, 150), (150, 60, 20), (30, 120, 60)]
    photos = [photo_file(files / f"hoi-nghi-{n + 1}.jpg", colors[n], CAPTIONS[n]) for n in range(3)]

    director = admin_page(browser, live_server)
    add_staff(
        director, live_server, "Trần Thị Hoa", "hoa.tran@sokhcn.gov.vn", "hoa.tran", ["Biên tập viên", "Duyệt bài"]
    )
    staff = activate(browser, live_server, deliver_mail, "hoa.tran@sokhcn.gov.vn", PASSWORD)

    # The gallery, photos uploaded with their captions.
    staff.goto(live_server.url + "/admin/gallery/gallery/add/")
    staff.get_by_label("Tiêu đề:").fill(TITLE)
    staff.get_by_label("Mô tả:").fill("Sáng 15/01/2026, Sở Khoa học và Công nghệ tổ chức hội nghị tổng kết năm 2025.")
    for n, path in enumerate(photos):
        staff.locator(f"input[name='photos-{n}-image']").set_input_files(str(path))
        staff.locator(f"input[name='photos-{n}-caption']").fill(CAPTIONS[n])
        staff.locator(f"input[name='photos-{n}-position']").fill(str(n + 1))
    screenshot(staff, "gallery-admin-add")
    staff.get_by_role("button", name="Lưu nháp").click()
    expect(staff.get_by_text("Đã lưu bản nháp.")).to_be_visible()
    gallery = Gallery.objects.get(title=TITLE)
    assert [p.caption for p in gallery.photos.all()] == CAPTIONS
    code = staff.locator("code.embed-code").inner_text()
    assert code == f"[thu-vien-anh:{gallery.pk}]"
    expect(staff.locator("img[src*='/media/CACHE/']")).to_have_count(3)  # the photos' thumbnails
    screenshot(staff, "gallery-admin-change")
    staff.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(staff.get_by_text("Đã duyệt và xuất bản.")).to_be_visible()
    gallery.refresh_from_db()
    assert gallery.is_public

    # The video: an MP4 with its poster and captions.
    clip = small_mp4(files / "hoi-nghi.mp4")
    (files / "phu-de.vtt").write_text(VTT, encoding="utf-8")
    staff.goto(live_server.url + "/admin/gallery/video/add/")
    staff.get_by_label("Tiêu đề:").fill("Toàn cảnh hội nghị tổng kết năm 2025")
    staff.get_by_label("Tệp video (MP4):").set_input_files(str(clip))
    staff.get_by_label("Ảnh đại diện:").set_input_files(str(photos[1]))
    staff.get_by_label("Phụ đề (WebVTT):").set_input_files(str(files / "phu-de.vtt"))
    staff.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(staff.get_by_text("Đã duyệt và xuất bản.")).to_be_visible()
    video = Video.objects.get()
    assert video.file.kind == "video" and video.captions and video.poster and video.is_public
    staff.goto(live_server.url + f"/admin/gallery/video/{video.pk}/change/")
    video_code = staff.locator("code.embed-code").inner_text()

    # The article: the codes pasted as paragraphs of their own in CKEditor.
    article = Article.objects.create(
        title="Tổng kết năm 2025: nhiều kết quả nổi bật",
        category=category,
        status="draft",
        body="<p>Sáng 15/01/2026, Sở tổ chức hội nghị tổng kết.</p>",
    )
    staff.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    editable = staff.locator(".ck-editor__editable").first
    editable.click()
    staff.keyboard.press("Control+End")
    for text in (code, "Phát biểu của Giám đốc Sở:", video_code):
        staff.keyboard.press("Enter")
        staff.keyboard.type(text)
    staff.get_by_role("button", name="Duyệt & xuất bản").click()
    expect(staff.get_by_text("Đã duyệt và xuất bản.")).to_be_visible()
    article.refresh_from_db()
    assert f'<div data-embed="thu-vien-anh:{gallery.pk}">' in article.body, article.body
    assert f'<div data-embed="video:{video.pk}">' in article.body
    assert article.is_public
    assert staff.csp_violations == []

    # Readers on a phone and a laptop: the gallery and the video in the article, and the lists.
    for name, device in (("360", PHONE), ("1366", LAPTOP)):
        context, reader = open_as(browser, device)
        reader.goto(live_server.url + article.get_absolute_url())
        embed = reader.locator(".embed-gallery")
        expect(embed.get_by_role("heading", name=TITLE)).to_be_visible()
        thumbs = embed.locator("img")
        expect(thumbs).to_have_count(3)
        embed.scroll_into_view_if_needed()
        for n in range(3):
            thumbs.nth(n).scroll_into_view_if_needed()
            expect(thumbs.nth(n)).to_have_attribute("alt", CAPTIONS[n])
            reader.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbs.nth(n).element_handle())
        expect(reader.locator(".article-body video")).to_have_count(1)
        assert reader.evaluate("document.documentElement.scrollWidth") <= device["viewport"]["width"]
        screenshot(reader, f"gallery-in-article-{name}")
        reader.goto(live_server.url + "/thu-vien-anh/")
        expect(reader.get_by_role("link", name=TITLE)).to_be_visible()
        screenshot(reader, f"gallery-list-{name}")
        reader.goto(live_server.url + "/video/")
        expect(reader.get_by_role("link", name=re.compile("Toàn cảnh hội nghị"))).to_be_visible()
        screenshot(reader, f"video-list-{name}")
        assert reader.csp_violations == []
        context.close()

    # Browsing the photos with JavaScript off: thumbnail → photo page → next → previous.
    context, nojs = open_as(browser, PHONE, java_script_enabled=False)
    nojs.goto(live_server.url + gallery.get_absolute_url())
    screenshot(nojs, "gallery-detail-360-nojs")
    nojs.locator(".photo-grid a").first.click()
    expect(nojs.get_by_text("Ảnh 1 / 3")).to_be_visible()
    expect(nojs.locator("figcaption")).to_have_text(CAPTIONS[0])
    nojs.get_by_role("link", name="Ảnh sau ›").click()
    expect(nojs.get_by_text("Ảnh 2 / 3")).to_be_visible()
    expect(nojs.locator("figcaption")).to_have_text(CAPTIONS[1])
    image = nojs.locator(".photo-large img")
    nojs.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert image.bounding_box()["width"] <= 360
    screenshot(nojs, "gallery-photo-360-nojs")
    nojs.get_by_role("link", name="‹ Ảnh trước").click()
    expect(nojs.get_by_text("Ảnh 1 / 3")).to_be_visible()
    context.close()

    # The video plays, its bytes fetched in ranges from the app's own media view.
    context, viewer = open_as(browser, LAPTOP)
    media_answers = []
    viewer.on("response", lambda r: r.url.endswith(".mp4") and media_answers.append((r.status, r.headers)))
    viewer.goto(live_server.url + video.get_absolute_url())
    player = viewer.locator("video.video-player")
    expect(player).to_have_attribute("poster", re.compile(r"/media/CACHE/"))
    expect(player.locator("track")).to_have_attribute("srclang", "vi")
    viewer.evaluate("v => { v.muted = true; return v.play(); }", player.element_handle())
    viewer.wait_for_function(
        "v => v.readyState >= 2 && v.currentTime > 0.5", arg=player.element_handle(), timeout=15000
    )
    assert viewer.evaluate("v => v.textTracks[0].mode", player.element_handle()) == "showing"
    assert any(status == 206 for status, _ in media_answers), media_answers
    src = player.locator("source").get_attribute("src")
    ranged = viewer.request.get(live_server.url + src, headers={"Range": "bytes=0-1"})
    assert ranged.status == 206 and ranged.headers["content-range"].endswith(f"/{clip.stat().st_size}")
    assert ranged.body() == clip.read_bytes()[:2]
    viewer.evaluate("v => v.pause()", player.element_handle())
    screenshot(viewer, "video-page-1366")
    assert viewer.csp_violations == []
    context.close()

    # axe-core: no serious or critical problem on the new pages, on a laptop and a phone.
    pages = [
        "/thu-vien-anh/",
        gallery.get_absolute_url(),
        f"{gallery.get_absolute_url()}anh-2/",
        "/video/",
        video.get_absolute_url(),
        article.get_absolute_url(),
    ]
    for device in (LAPTOP, PHONE):
        context, checker = open_as(browser, device)
        found = {}
        for path in pages:
            assert checker.goto(live_server.url + path).status == 200, path
            if violations := serious_violations(checker):
                found[path] = violations
        assert found == {}
        context.close()

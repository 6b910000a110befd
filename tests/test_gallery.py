"""Photo galleries and videos: built in the admin by staff (photos with captions into the media library,
a video with its poster and captions, or a YouTube link), published through review, listed at
/thu-vien-anh/ and /video/, browsed one photo per page, and placed in an article by their embed code."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from core import embeds, media
from core.models import MediaItem, MediaUsage
from core.sanitize import sanitize_html
from gallery.forms import youtube_id
from gallery.models import Gallery, Photo, Video

VTT = "WEBVTT\n\n00:00.000 --> 00:02.000\nGiám đốc Sở phát biểu khai mạc hội nghị.\n"


def jpeg(name="anh.jpg", size=(1200, 800), color=(30, 90, 160)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def make_gallery(db, media_root):
    def make(title="Hội nghị tổng kết năm 2025", photos=3, status=Gallery.Status.PUBLISHED, **fields):
        gallery = Gallery.objects.create(
            title=title,
            status=status,
            publish_at=timezone.now() - timedelta(hours=1),
            date=date(2026, 1, 15),
            **fields,
        )
        for n in range(1, photos + 1):
            item, _ = media.add_upload(jpeg(f"anh-{n}.jpg", color=(n * 40, 90, 160)), kinds=("image",))
            Photo.objects.create(gallery=gallery, item=item, caption=f"Chú thích ảnh {n}", position=n)
        return gallery

    return make


def test_embed_codes_become_placeholders_and_other_divs_go():
    g = Gallery.embed_kind
    assert embeds.kinds() >= {"thu-vien-anh", "video"}
    assert sanitize_html(f"<p>Mở đầu</p><p> [{g}:12] </p>") == (
        f'<p>Mở đầu</p><div data-embed="{g}:12">[{g}:12]</div>'
    )
    # Stable: what is stored is what every later cleaning gives (also after CKEditor turned it back).
    stored = sanitize_html(f"<p>[{g}:12]</p>")
    assert sanitize_html(stored) == stored
    assert sanitize_html(f"<p>[{g}:12]</p>".replace("12", "0")) == f"<p>[{g}:0]</p>"  # not an id
    assert sanitize_html("<p>[khong-co:3]</p>") == "<p>[khong-co:3]</p>"  # not a registered kind
    assert sanitize_html('<div class="x" onclick="alert(1)">chữ</div>') == "chữ"
    assert sanitize_html('<div data-embed="javascript:1">a</div>') == "a"
    assert sanitize_html(f'<div data-embed="{g}:1"><div data-embed="video:2">x</div></div>') == (
        f'<div data-embed="{g}:1">x</div>'
    )


def queries_of(client, url):
    """Queries of an uncached request for `url` (the page and fragment caches emptied first)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_gallery_in_an_article(client, make_article, make_gallery):
    """Its photos link to one page each; a missing or unpublished gallery shows nothing; fixed queries."""
    shown = make_gallery()
    draft = make_gallery("Ảnh chưa duyệt", status=Gallery.Status.DRAFT)
    body = f"<p>Đoạn đầu.</p><p>{shown.embed_code}</p><p>{draft.embed_code}</p><p>[thu-vien-anh:999999]</p>"
    article = make_article("Tổng kết năm 2025", body=body)
    assert article.body.count("data-embed") == 3
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="embed embed-gallery"') == 1
    assert "Hội nghị tổng kết năm 2025" in html and "Ảnh chưa duyệt" not in html
    assert html.count("css/gallery.css") == 1
    assert f'href="/thu-vien-anh/{shown.slug}/anh-2/"' in html
    assert 'alt="Chú thích ảnh 1"' in html and 'loading="lazy"' in html
    assert "[thu-vien-anh:" not in html  # no code left showing, not even in the meta description
    assert "Xem cả 3 ảnh" in html
    one_gallery = queries_of(client, article.get_absolute_url())

    # More galleries and a video cost no more queries (one or two per kind, whatever the number).
    others = [make_gallery(f"Thư viện {n}", photos=2) for n in range(3)]
    video = Video.objects.create(title="Clip hội nghị", youtube_id="dQw4w9WgXcQ", status="published")
    article.body = body + "".join(f"<p>{g.embed_code}</p>" for g in others) + f"<p>{video.embed_code}</p>"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert queries_of(client, article.get_absolute_url()) <= one_gallery + 1
    assert html.count('class="embed embed-gallery"') == 4
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html


def test_gallery_pages_for_readers(client, make_gallery):
    gallery = make_gallery(description="Sáng 15/01, Sở tổ chức hội nghị tổng kết.")
    hidden = make_gallery("Bản nháp", status=Gallery.Status.PENDING)
    one = queries_of(client, "/thu-vien-anh/")
    for n in range(4):
        make_gallery(f"Sự kiện {n}", photos=2)
    assert queries_of(client, "/thu-vien-anh/") == one  # a page of galleries: three queries of its own
    html = client.get("/thu-vien-anh/").content.decode()
    assert "Hội nghị tổng kết năm 2025" in html and "Bản nháp" not in html
    assert "3 ảnh" in html and "15/01/2026" in html
    assert client.get(hidden.get_absolute_url()).status_code == 404

    html = client.get(gallery.get_absolute_url()).content.decode()
    assert html.count(f'<a href="/thu-vien-anh/{gallery.slug}/anh-') == 3
    assert "Chú thích ảnh 3" in html and "Sáng 15/01" in html

    first = client.get(f"/thu-vien-anh/{gallery.slug}/anh-1/").content.decode()
    assert "Ảnh 1 / 3" in first and "Chú thích ảnh 1" in first
    assert f'rel="next" href="/thu-vien-anh/{gallery.slug}/anh-2/"' in first and "Ảnh trước" not in first
    last = client.get(f"/thu-vien-anh/{gallery.slug}/anh-3/").content.decode()
    assert f'rel="prev" href="/thu-vien-anh/{gallery.slug}/anh-2/"' in last and "Ảnh sau" not in last
    assert re.search(r'srcset="[^"]+ 800w, [^"]+ 1200w"', last)  # 1200 px source: no upscaled 1600
    assert client.get(f"/thu-vien-anh/{gallery.slug}/anh-4/").status_code == 404
    assert client.get(f"/thu-vien-anh/{gallery.slug}/anh-0/").status_code == 404
    assert client.get("/thu-vien-anh/?page=99").status_code == 404


def test_staff_preview_a_draft(client, make_gallery, publisher):
    draft = make_gallery("Ảnh chờ duyệt", status=Gallery.Status.PENDING)
    client.force_login(publisher)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "Xem trước" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_video_pages_play_in_the_browser(client, db, media_root):
    mp4 = MediaItem.objects.create(kind="video", file="library/2026/01/hoi-nghi.mp4", title="Hội nghị")
    captions = MediaItem.objects.create(kind="other", file="library/2026/01/hoi-nghi.vtt")
    video = Video.objects.create(title="Hội nghị tổng kết", file=mp4, captions=captions, status="published")
    youtube = Video.objects.create(title="Phóng sự", youtube_id="dQw4w9WgXcQ", status="published")
    Video.objects.create(title="Chưa duyệt", youtube_id="dQw4w9WgXcQ", status="pending")

    html = client.get("/video/").content.decode()
    assert "Hội nghị tổng kết" in html and "Phóng sự" in html and "Chưa duyệt" not in html
    response = client.get(video.get_absolute_url())
    html = response.content.decode()
    assert '<video class="video-player" controls preload="metadata" playsinline' in html
    assert '<source src="/media/library/2026/01/hoi-nghi.mp4" type="video/mp4">' in html
    assert '<track kind="captions" src="/media/library/2026/01/hoi-nghi.vtt" srclang="vi"' in html
    html = client.get(youtube.get_absolute_url()).content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html

    policy = dict(p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";") if p.strip())
    assert policy["frame-src"] == "https://www.youtube-nocookie.com"  # the only frame a page may hold
    assert policy["frame-ancestors"] == "'none'" and policy["media-src"] == "'self'"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s", "dQw4w9WgXcQ"),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", "dQw4w9WgXcQ"),
        ("youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("dQw4w9WgXcQ", "dQw4w9WgXcQ"),
        ("https://evil.example/watch?v=dQw4w9WgXcQ", None),
        ("https://www.youtube.com/watch?v=ngắn", None),
        ("javascript:alert(1)", None),
    ],
)
def test_youtube_addresses(address, expected):
    assert youtube_id(address) == expected


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def gallery_post(button="_wf_submit", **extra):
    data = {
        button: "1",  # core/workflow's buttons: "_wf_submit" (Gửi duyệt), "_wf_publish" (Duyệt & xuất bản)…
        "title": "Hội thảo chuyển đổi số",
        "date": "2026-03-02",
        "description": "",
        "publish_at_0": "2026-03-02",
        "publish_at_1": "08:00",
        **management("photos", 3),
    }
    data.update(extra)
    return data


def test_an_editor_builds_a_gallery_in_the_admin(client, editor, media_root):
    client.force_login(editor)
    response = client.post(
        "/admin/gallery/gallery/add/",
        gallery_post(
            **{
                "photos-0-image": jpeg("Khai mạc hội thảo.jpg"),
                "photos-0-caption": "Phó Giám đốc Sở phát biểu khai mạc",
                "photos-0-position": "1",
                "photos-1-image": jpeg("toàn cảnh.png", color=(200, 30, 30)),
                "photos-1-alt_text": "Toàn cảnh hội trường",
                "photos-1-position": "2",
                "new_photos": [jpeg("them-1.jpg", color=(9, 9, 9)), jpeg("them-2.jpg", color=(1, 2, 3))],
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    gallery = Gallery.objects.get()
    assert gallery.status == "pending" and gallery.slug == "hoi-thao-chuyen-doi-so"
    assert gallery.created_by == editor
    photos = list(gallery.photos.select_related("item"))
    assert [p.caption for p in photos[:2]] == ["Phó Giám đốc Sở phát biểu khai mạc", ""]
    assert photos[1].item.alt_text == "Toàn cảnh hội trường"
    assert len(photos) == 4 and {p.item.kind for p in photos} == {"image"}
    assert photos[0].item.uploaded_by == editor and photos[0].item.title == "Khai mạc hội thảo"
    assert MediaUsage.objects.filter(object_id=str(gallery.pk), field="photos").count() == 4
    html = client.get(f"/admin/gallery/gallery/{gallery.pk}/change/").content.decode()
    assert f"[thu-vien-anh:{gallery.pk}]" in html  # "Mã nhúng", to paste into an article


def test_bad_gallery_input_gets_vietnamese_messages(client, editor, media_root):
    client.force_login(editor)
    not_an_image = SimpleUploadedFile("anh.jpg", b"khong phai anh", content_type="image/jpeg")
    response = client.post(
        "/admin/gallery/gallery/add/",
        gallery_post(
            button="_wf_publish",
            **{"photos-0-image": jpeg(), "photos-1-image": not_an_image, "photos-1-caption": "Ảnh hỏng"},
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Gallery.objects.exists()
    assert "Bạn không có quyền duyệt, xuất bản hay gỡ mục này" in html  # editors cannot publish
    assert "Hãy ghi chú thích hoặc mô tả ảnh cho người đọc dùng trình đọc màn hình." in html
    assert "không phải là ảnh hợp lệ" in html
    assert 'value="Hội thảo chuyển đổi số"' in html


def test_video_admin_checks_each_file(client, publisher, media_root):
    client.force_login(publisher)
    base = {"title": "Phóng sự KH&CN", "date": "2026-03-02", "_wf_publish": "Duyệt & xuất bản"}
    base["publish_at_0"], base["publish_at_1"] = "2026-03-02", "08:00"

    def post(**files):
        return client.post("/admin/gallery/video/add/", {**base, **files})

    html = post().content.decode()
    assert "Hãy tải lên tệp video MP4 hoặc dán đường dẫn YouTube." in html
    html = post(youtube_url="https://vimeo.com/123").content.decode()
    assert "Đường dẫn YouTube không hợp lệ" in html
    fake = SimpleUploadedFile("clip.mp4", b"<html>not a video</html>", content_type="video/mp4")
    assert "Chỉ nhận video MP4" in post(video_upload=fake).content.decode()
    bad_vtt = SimpleUploadedFile("phu-de.vtt", b"1\n00:00 chu\n", content_type="text/vtt")
    html = post(youtube_url="https://youtu.be/dQw4w9WgXcQ", captions_upload=bad_vtt).content.decode()
    assert "không đúng định dạng WebVTT" in html
    assert not Video.objects.exists()

    vtt = SimpleUploadedFile("phụ đề.vtt", VTT.encode(), content_type="text/vtt")
    response = post(youtube_url="https://youtu.be/dQw4w9WgXcQ", captions_upload=vtt, poster_upload=jpeg("poster.jpg"))
    assert response.status_code == 302
    video = Video.objects.get()
    assert video.youtube_id == "dQw4w9WgXcQ" and video.is_public
    assert video.captions.file.name.endswith(".vtt") and video.poster.kind == "image"
    assert video.captions.file.read().decode().startswith("WEBVTT")


def test_an_unpublished_gallery_leaves_the_cached_article(client, make_article, make_gallery):
    """The article page is cached for readers; taking the gallery down changes it at once."""
    gallery = make_gallery()
    article = make_article("Bài có ảnh", body=f"<p>{gallery.embed_code}</p>")
    assert "embed-gallery" in client.get(article.get_absolute_url()).content.decode()
    assert "embed-gallery" in client.get(article.get_absolute_url()).content.decode()  # from the page cache
    gallery.status = Gallery.Status.DRAFT
    gallery.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "embed-gallery" not in html and "[thu-vien-anh:" not in html


def test_sitemap_lists_published_galleries_and_videos(client, make_gallery):
    shown = make_gallery()
    make_gallery("Bản nháp", status=Gallery.Status.DRAFT)
    video = Video.objects.create(title="Phóng sự", youtube_id="dQw4w9WgXcQ", status="published")
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/thu-vien-anh/{shown.slug}/</loc>" in xml and f"/video/{video.slug}/</loc>" in xml
    assert "ban-nhap" not in xml


def test_the_admin_preview_shows_the_page_as_readers_will(client, publisher, make_gallery):
    """core/workflow's "Xem trước" for a draft gallery: its public page, marked, never cached."""
    draft = make_gallery("Ảnh chưa duyệt", status=Gallery.Status.DRAFT)
    client.force_login(publisher)
    response = client.get(f"/admin/gallery/gallery/{draft.pk}/xem-truoc/")
    html = response.content.decode()
    assert response.status_code == 200 and "Xem trước" in html and "Chú thích ảnh 3" in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_demo_gallery_and_video_once(client, settings, tmp_path):
    """`make run` shows a gallery with five captioned photos and a video on a fresh install; twice, still one."""
    from django.core.management import call_command

    settings.MEDIA_ROOT = tmp_path
    call_command("load_gallery_demo", verbosity=0)
    call_command("load_gallery_demo", verbosity=0)
    (gallery,) = Gallery.objects.published()
    assert [photo.caption for photo in gallery.photos.all()][:2] == [
        "Toàn cảnh hội nghị",
        "Lãnh đạo Sở phát biểu khai mạc",
    ]
    assert gallery.photos.count() == 5 and all(photo.item.alt_text for photo in gallery.photos.all())
    page = client.get(gallery.get_absolute_url()).content.decode()
    assert "Toàn cảnh hội nghị" in page
    assert Video.objects.published().count() == 1

"""Hostile input: every public URL and form gets a designed answer, never a 500, and nothing is
reflected unescaped.

The corpus covers XSS vectors, SQL and full-text-search metacharacters, path traversal, overlong
strings, invalid UTF-8 and broken percent-encodings, NUL bytes, silly page numbers, odd Host and
X-Forwarded-For headers and forged cookies. Raw bytes are sent percent-encoded in the path or the
query string: Django's test client hands them to the handler undecoded, as a WSGI server would.
"""

from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.test import Client

from feedback.models import Feedback

ALLOWED = {200, 301, 302, 304, 400, 403, 404, 405, 429}
# django-simple-captcha answers 410 Gone for an unknown or expired challenge image (so crawlers drop it).
ALLOWED_CAPTCHA = ALLOWED | {410}

# Payload, and the part that must never appear unescaped in an HTML answer (None: nothing to look for).
XSS = [
    ("<script>alert(1)</script>", "<script>alert(1)"),
    ('"><img src=x onerror=alert(1)>', "<img src=x onerror"),
    ("'><svg/onload=alert(1)>", "<svg/onload"),
    ("</textarea><script>alert(2)</script>", "<script>alert(2)"),
    ("</title><iframe src=javascript:alert(3)>", "<iframe src=javascript"),
    ('" autofocus onfocus="alert(4)', '" autofocus onfocus="alert(4)'),
    ("javascript:alert(5)//", 'href="javascript:alert(5)'),
    ('<a href="javascript:alert(6)">x</a>', '<a href="javascript:alert(6)'),
    ("{{ 7|add:7 }}{% debug %}", None),  # template syntax is only text
]
TEXT = [
    "' OR '1'='1",
    "1; DROP TABLE news_article;--",
    '" OR ""="',
    "%' AND 1=1 --",
    "\\",
    "'))); SELECT pg_sleep(5);--",
    '"unterminated phrase',
    "- - - or or !! :* & | ! ( )",
    "<->",
    "../../../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "....//....//etc/passwd",
    "/etc/passwd",
    "a" * 10_001,
    "đ" * 12_000,
    "<" * 10_001,
    "\x00",
    "abc\x00def",
    "\u202eevil\u202c",
    "🙂" * 3000,
    "e\u0302\u0301" * 100,
    " ",
    "",
]
# Sent as they are in the query string or path: broken encodings and invalid UTF-8.
RAW = [
    "%ff",
    "%c0%ae%c0%ae%2f",
    "%00",
    "%",
    "%zz",
    "%e2%82",
    "%ed%a0%80",
    "%c3%28",
    "%f8%88%80%80%80",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2f",
    "%252e%252e%252f",
    "a%00b",
    "%u003cscript%u003e",
]
PAGES = [
    "-1",
    "0",
    "1.5",
    "1e10",
    "abc",
    "",
    "99999999999999999999999999",
    "100001",
    "2147483648",
    "9" * 400,
    "1 OR 1=1",
    "١",
    "²",
    "0x10",
    "+1",
    " 1",
    "1,2",
    "[]",
    "NaN",
    "inf",
]

PAYLOADS = [p for p, _ in XSS] + TEXT
MARKERS = [(p, m) for p, m in XSS if m]

HOSTS = [
    "evil.example",
    "localhost:abc",
    "[::1",
    "a" * 300,
    "127.0.0.1@evil.example",
    "127.0.0.1 evil.example",
    "127.0.0.1,evil.example",
    "<script>",
    "..",
    "xn--",
    "-",
    "testserver.evil",
]
FORWARDED = [
    "1.2.3.4, <script>alert(1)</script>",
    "999.999.999.999",
    "a" * 5000,
    "::ffff:1.2.3.4",
    "\x00",
    ", ,",
    "unknown",
    "1.2.3.4:80",
    "[::1]:80",
    "2001:db8::1%eth0",
    "127.0.0.1, 10.0.0.1",
    "đ",
    "-1",
    "0.0.0.0/0",
    "1.2.3.4\r\nX-Evil: 1",
]


def q(value):
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


class Recorder:
    """Sends requests and notes any answer outside ALLOWED or any unescaped reflection."""

    def __init__(self):
        self.client = Client(raise_request_exception=True)
        self.problems = []

    def send(self, method, path, data=None, markers=(), **extra):
        try:
            if method == "POST":
                response = self.client.post(path, data or {}, **extra)
            else:
                response = self.client.generic(method, path, **extra)
        except Exception as error:  # noqa: BLE001 - a 500: report it with the request that caused it
            self.problems.append(f"{method} {path[:120]!r} {sorted(extra)}: exception {error!r}"[:400])
            return None
        allowed = ALLOWED_CAPTCHA if path.startswith("/captcha/") else ALLOWED
        if response.status_code not in allowed:
            self.problems.append(f"{method} {path[:120]!r} {sorted(extra)}: status {response.status_code}")
        self.check_reflection(method, path, response, markers)
        return response

    def check_reflection(self, method, path, response, markers):
        if "html" not in response.get("Content-Type", "") or response.streaming:
            return
        body = response.content.decode("utf-8", "replace")
        self.problems.extend(
            f"{method} {path[:120]!r}: reflected {marker!r}" for _, marker in markers if marker in body
        )

    def get_with_params(self, path, names, values=None):
        for name in names:
            for payload in values or PAYLOADS + PAGES:
                self.send("GET", f"{path}?{name}={q(payload)}", markers=MARKERS)
            for raw in RAW:
                self.send("GET", f"{path}?{name}={raw}")
        for raw in RAW:
            self.send("GET", f"{path}?{raw}={raw}")
        self.send("GET", f"{path}?" + "&".join(f"x{i}=1" for i in range(500)))

    def assert_clean(self):
        assert not self.problems, f"{len(self.problems)} problems:\n" + "\n".join(self.problems[:40])


@pytest.fixture
def recorder(db):
    return Recorder()


@pytest.fixture
def site(article, make_article, category):
    """A published article in a category, a draft, and an answered public question."""
    make_article("Bản nháp chưa xuất bản", status="draft")
    Feedback.objects.create(
        code="GY-7K3P9QXM",
        name="Nguyễn Văn A",
        title="Hỏi về đề tài",
        content="Nội dung câu hỏi đủ dài.",
        status=Feedback.Status.ANSWERED,
        answer="Trả lời của Sở.",
        public_answer="Trả lời của Sở.",
        is_public=True,
        ip_hash="0" * 64,
    )
    return article


def test_listing_and_article_urls(recorder, site):
    """/, categories, articles and their feeds with hostile query strings and path segments."""
    category = site.category.slug
    for path in ["/", f"/chuyen-muc/{category}/", site.get_absolute_url(), "/rss/", f"/chuyen-muc/{category}/rss/"]:
        recorder.get_with_params(path, ["page", "p", "q"])
    for page in PAGES:
        recorder.send("GET", f"/chuyen-muc/{category}/?page={q(page)}")
        recorder.send("GET", f"/?page={q(page)}")
    for payload in PAYLOADS + RAW:
        segment = payload if payload in RAW else q(payload)
        for prefix in ("/chuyen-muc/", "/bai-viet/"):
            recorder.send("GET", f"{prefix}{segment}/", markers=MARKERS)
            recorder.send("GET", f"{prefix}{segment}/rss/", markers=MARKERS)
        recorder.send("GET", f"/{segment}", markers=MARKERS)
        recorder.send("GET", f"/media/{segment}", markers=MARKERS)
        recorder.send("GET", f"/static/{segment}", markers=MARKERS)
    recorder.assert_clean()


def test_search(recorder, site):
    """/tim-kiem/ with every payload in every parameter, and payloads combined."""
    recorder.get_with_params("/tim-kiem/", ["q", "chuyen_muc", "tu_ngay", "den_ngay", "page"])
    for page in PAGES:
        recorder.send("GET", "/tim-kiem/?" + urlencode({"q": "khoa hoc", "page": page}))
    for payload in PAYLOADS[:12]:
        params = {"q": payload, "chuyen_muc": payload, "tu_ngay": payload, "den_ngay": "31/02/2023", "page": payload}
        recorder.send("GET", "/tim-kiem/?" + urlencode(params), markers=MARKERS)
    for day in ["0001-01-01", "9999-12-31", "2023-02-30", "10/01/99999", "-1-01-01", "2023-13-01", "1899-12-31"]:
        recorder.send("GET", "/tim-kiem/?" + urlencode({"q": "khoa", "tu_ngay": day, "den_ngay": day}))
    recorder.assert_clean()


def test_feedback_pages(recorder, site):
    """/gop-y/ (GET and POST), the thanks page, the lookup, the Q&A and the challenge."""
    recorder.get_with_params("/gop-y/", ["bai-viet"])
    recorder.get_with_params("/gop-y/da-gui/", ["t"])
    recorder.get_with_params("/gop-y/tra-cuu/", ["ma"])
    recorder.get_with_params("/hoi-dap/", ["q", "page"])
    for page in PAGES:
        recorder.send("GET", f"/hoi-dap/?page={q(page)}")
    for _ in range(3):
        recorder.send("GET", "/gop-y/ma-kiem-tra/")
    recorder.assert_clean()


def test_feedback_form_posts(recorder, site):
    """Every field of the feedback form, the captcha's hidden key included, gets every payload."""
    fields = ["name", "email", "phone", "title", "content", "website", "article", "captcha_0", "captcha_1"]
    good = {
        "name": "Nguyễn Văn A",
        "email": "a@example.com",
        "phone": "0912345678",
        "title": "Tiêu đề",
        "content": "Nội dung góp ý đủ dài để gửi.",
        "captcha_0": "khong-co",
        "captcha_1": "ABCDE",
    }
    for field in fields:
        for payload in PAYLOADS:
            recorder.send("POST", "/gop-y/", {**good, field: payload}, markers=MARKERS)
    for payload in PAYLOADS[:12]:
        recorder.send("POST", "/gop-y/", dict.fromkeys(fields, payload), markers=MARKERS)
        recorder.send("POST", site.get_absolute_url(), {**good, "content": payload}, markers=MARKERS)
    recorder.send("POST", "/gop-y/", {"captcha_0": ["a", "b", "c"], "captcha_1": ["x"] * 5})
    recorder.send("POST", "/gop-y/", {})
    for raw in RAW:
        recorder.send(
            "POST",
            "/gop-y/",
            f"name={raw}&title={raw}&content={raw}{raw}{raw}&captcha_0={raw}",
            content_type="application/x-www-form-urlencoded",
        )
    recorder.send("POST", "/gop-y/", b"\xff\xfe\x00garbage", content_type="application/x-www-form-urlencoded")
    recorder.send("POST", "/gop-y/", b"--x\r\n", content_type="multipart/form-data; boundary=x")
    recorder.send("POST", "/gop-y/", b"{}", content_type="application/json")
    assert not Feedback.objects.exclude(code="GY-7K3P9QXM").exists()  # no captcha was solved: nothing stored
    recorder.assert_clean()


def test_other_public_urls(recorder, site):
    """Sitemaps, robots.txt, health check, captcha images and refresh, privacy page, unknown URLs."""
    paths = [
        "/sitemap.xml",
        "/sitemap-index.xml",
        "/sitemap-articles.xml",
        "/robots.txt",
        "/healthz",
        "/captcha/refresh/",
        "/quyen-rieng-tu/",
    ]
    for path in paths:
        recorder.get_with_params(path, ["p", "page"])
    recorder.send("GET", "/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    for payload in PAYLOADS[:15] + RAW:
        segment = payload if payload in RAW else q(payload)
        recorder.send("GET", f"/sitemap-{segment}.xml")
        recorder.send("GET", f"/captcha/image/{segment}/")
        recorder.send("GET", f"/captcha/image/{segment}@2/")
        recorder.send("GET", f"/captcha/audio/{segment}.wav")
    recorder.send("GET", "/captcha/image/" + "a" * 5000 + "/")
    recorder.assert_clean()


def test_admin_login(recorder, site):
    """The admin login form with hostile user names and passwords (the lockout answers 429)."""
    recorder.send("GET", "/admin/login/")
    for payload in PAYLOADS:
        recorder.send("POST", "/admin/login/", {"username": payload, "password": payload}, markers=MARKERS)
    for payload in PAYLOADS[:10] + RAW:
        recorder.send("GET", f"/admin/login/?next={q(payload)}", markers=MARKERS)
    for raw in RAW:
        recorder.send(
            "POST", "/admin/login/", f"username={raw}&password={raw}", content_type="application/x-www-form-urlencoded"
        )
        recorder.send("POST", f"/admin/login/?next={raw}", {"username": "khach", "next": raw, "password": raw})
    for payload in PAYLOADS:
        recorder.send("POST", "/admin/dang-nhap/ma-xac-thuc/", {"token": payload}, markers=MARKERS)
    recorder.assert_clean()


def test_second_login_step(recorder, editor, settings):
    """The two-factor code step, half-way through a login, with hostile codes: form errors or the lockout."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    TOTPDevice.objects.create(user=editor, name="Điện thoại", confirmed=True)
    assert (
        recorder.client.post("/admin/login/", {"username": "bientap", "password": "mat-khau-123"}).status_code == 302
    )
    for payload in PAYLOADS + PAGES:
        recorder.send("POST", "/admin/dang-nhap/ma-xac-thuc/", {"token": payload}, markers=MARKERS)
    for raw in RAW:
        recorder.send(
            "POST", "/admin/dang-nhap/ma-xac-thuc/", f"token={raw}", content_type="application/x-www-form-urlencoded"
        )
    recorder.assert_clean()


def test_reflection_is_escaped(site):
    """The corpus's check is not vacuous: payloads do come back, escaped, in the search box and the form."""
    client = Client()
    html = client.get("/tim-kiem/?" + urlencode({"q": XSS[0][0]})).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and XSS[0][1] not in html
    html = client.post("/gop-y/", {"name": XSS[1][0], "title": "x", "content": "y"}).content.decode()
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html and XSS[1][1] not in html


def test_methods(recorder, site):
    """Methods a page does not handle get 405 (or the page), never a 500."""
    for path in [
        "/",
        site.get_absolute_url(),
        "/tim-kiem/",
        "/gop-y/",
        "/hoi-dap/",
        "/gop-y/tra-cuu/",
        "/gop-y/ma-kiem-tra/",
        "/rss/",
        "/sitemap.xml",
        "/robots.txt",
        "/healthz",
        "/captcha/refresh/",
    ]:
        for method in ["HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FOO"]:
            recorder.send(method, path)
    recorder.assert_clean()


@pytest.mark.parametrize("host", HOSTS)
def test_odd_host_headers_are_400(site, host):
    """A Host outside ALLOWED_HOSTS is a 400 (Django's check), on cached pages and forms alike."""
    client = Client(raise_request_exception=True)
    for path in ["/", site.get_absolute_url(), "/gop-y/", "/healthz", "/admin/login/"]:
        assert client.get(path, HTTP_HOST=host).status_code == 400
    assert client.post("/gop-y/", {"name": "x"}, HTTP_HOST=host).status_code == 400


def test_forwarded_for_and_forged_headers(recorder, site, settings):
    """Garbage in X-Forwarded-For (from a trusted proxy or not), cookies and validators never break a page."""
    for trusted in ([], ["127.0.0.1"]):
        settings.TRUSTED_PROXIES = trusted
        for value in FORWARDED:
            for path in [
                "/",
                site.get_absolute_url(),
                "/gop-y/",
                "/gop-y/tra-cuu/?ma=GY-AAAAAAAA",
                "/gop-y/ma-kiem-tra/",
            ]:
                recorder.send("GET", path, HTTP_X_FORWARDED_FOR=value)
            recorder.send(
                "POST", "/gop-y/", {"name": "A", "title": "B", "content": "C" * 20}, HTTP_X_FORWARDED_FOR=value
            )
            recorder.send(
                "POST", "/admin/login/", {"username": "khach", "password": "sai"}, HTTP_X_FORWARDED_FOR=value
            )
    forged = {
        "HTTP_COOKIE": "vid=<script>alert(1)</script>; vid_seen=%ff; sessionid=../../x; csrftoken=\x00",
        "HTTP_IF_NONE_MATCH": '"' + "a" * 5000,
        "HTTP_IF_MODIFIED_SINCE": "Sun, 99 Foo 99999 99:99:99 GMT",
        "HTTP_USER_AGENT": "<script>alert(1)</script>" * 100,
        "HTTP_REFERER": "javascript:alert(1)",
        "HTTP_ACCEPT_LANGUAGE": "vi;q=abc," * 100,
        "HTTP_RANGE": "bytes=99999999999-",
    }
    for name, value in forged.items():
        for path in ["/", site.get_absolute_url(), "/gop-y/", "/tim-kiem/?q=khoa", "/robots.txt"]:
            recorder.send("GET", path, markers=MARKERS, **{name: value})
    recorder.assert_clean()


def test_state_portal_pages(recorder, site):
    """The document register, procedures, department pages and the site rating form."""
    params = {
        "/van-ban/": ["q", "loai", "co_quan", "linh_vuc", "nam", "hieu_luc", "page"],
        "/thu-tuc-hanh-chinh/": ["q", "linh_vuc", "cap", "page"],
        "/van-ban/rss/": ["q"],
        "/gioi-thieu/": ["page"],
        "/lien-he/": ["page"],
        "/en/about/": ["page"],
        "/en/contact/": ["page"],
        "/danh-gia/": ["page"],
        "/danh-gia/cam-on/": ["page"],
    }
    # A lighter corpus than the news and feedback pages get: the same kinds of trouble, fewer of each.
    values = [p for p, _ in XSS[:4]] + TEXT[:6] + TEXT[13:17] + PAGES[:10]
    for path, names in params.items():
        recorder.get_with_params(path, names, values)
    for payload in PAYLOADS[:15] + RAW:
        segment = payload if payload in RAW else q(payload)
        recorder.send("GET", f"/van-ban/{segment}/", markers=MARKERS)
    for field in ["level", "comment", "website", "page"]:
        for payload in values:
            recorder.send("POST", "/danh-gia/", {"level": "5", field: payload}, markers=MARKERS)
    recorder.assert_clean()


def test_oversized_public_post_is_a_vietnamese_413(site):
    """A public form post over PUBLIC_POST_MAX_BYTES is refused from its Content-Length, unread, in Vietnamese."""
    client = Client()
    big = urlencode({"name": "x", "title": "x", "content": "a" * (200 * 1024)})
    for path in ["/gop-y/", site.get_absolute_url(), "/tim-kiem/", "/khong-co/"]:
        response = client.post(path, big, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 413, path
        html = response.content.decode()
        assert "Nội dung gửi quá lớn" in html and "tối đa 96 KB" in html and 'lang="vi"' in html
    # The feedback form takes files (multipart): up to its attachments' total, not one byte more.
    response = client.generic(
        "POST",
        "/gop-y/",
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.FEEDBACK_POST_MAX_BYTES + 1),
    )
    assert response.status_code == 413
    assert not Feedback.objects.exclude(code="GY-7K3P9QXM").exists()
    # A question as long as the form allows, in 4-byte characters, still reaches the form and its message.
    longest = {"name": "x", "title": "x", "content": "🙂" * 5000, "captcha_0": "k", "captcha_1": "x"}
    assert client.post("/gop-y/", longest).status_code == 200


def test_admin_and_editor_uploads_keep_the_12_mb_limit(client, editor):
    """The admin and CKEditor's image upload are not held to the public forms' limit."""
    client.force_login(editor)
    body = {"upload": "a" * (200 * 1024)}
    assert client.post("/ckeditor5/image_upload/", body).status_code != 413
    assert client.post("/admin/login/", {"username": "a" * (200 * 1024)}).status_code != 413


@pytest.mark.parametrize(
    ("path", "host"),
    [("/", "evil.example.com"), ("/media/../../etc/passwd", "testserver"), ("/media/..%2f..%2fsecret", "testserver")],
)
def test_scripted_noise_logs_one_warning_line(site, path, host, settings):
    """A bad Host or a `../` path is logged as one WARNING line by the console handler, no traceback."""
    import io
    import logging

    settings.SERVE_MEDIA = True
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "name", None) == "console")
    stream = io.StringIO()
    old = handler.setStream(stream)
    try:
        response = Client().get(path, HTTP_HOST=host)
    finally:
        handler.setStream(old)
    assert response.status_code in (400, 404)
    logged = [line for line in stream.getvalue().splitlines() if "django.security" in line]
    if host != "testserver":
        assert len(logged) == 1
    assert all(" WARNING " in line for line in logged)
    assert "Traceback" not in stream.getvalue() and " ERROR " not in stream.getvalue()

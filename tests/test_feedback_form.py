"""The citizen's form: under articles and at /gop-y/, its checks, the captcha, limits and e-mails."""

import json
import re
import unicodedata
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from core.clientip import hash_ip
from core.mail import OutgoingMail
from feedback import services
from feedback.codes import PATTERN
from feedback.models import Feedback
from news.models import Article

from .subprocesses import free_port
from .test_feedback_support import CREATE_URL, LOCAL_IP, form_data, make_feedback, staff_user, text_of

pytestmark = pytest.mark.django_db

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
NFD_CONTENT = unicodedata.normalize("NFD", "Đề nghị Sở hướng dẫn thủ tục đánh giá, thẩm định công nghệ. ")


def post(client, data, **extra):
    return client.post(CREATE_URL, data, **extra)


def thanks_page(client, response):
    assert response.status_code == 302, text_of(response)[:2000]
    assert response["Location"].startswith("/gop-y/da-gui/?t=")
    return client.get(response["Location"])


def assert_kept(html, data, skip=()):
    """Everything the citizen typed (but the captcha) is back in the form."""
    for name in ("name", "email", "phone", "title", "content"):
        if name in skip or not data.get(name):
            continue
        assert escape(data[name].strip()) in html, f"{name} was lost"


# --- The bad-input table ---------------------------------------------------------------------------

BAD_INPUTS = [
    pytest.param(
        {"name": "", "title": "", "content": "", "email": "", "phone": ""},
        ["Họ và tên: Vui lòng nhập họ và tên.", "Tiêu đề: Vui lòng nhập tiêu đề.", "Vui lòng nhập nội dung góp ý"],
        id="empty",
    ),
    pytest.param(
        {"name": "   ", "title": "\t \u3000 ", "content": " \n\r\n  \t "},
        ["Vui lòng nhập họ và tên.", "Vui lòng nhập tiêu đề.", "Vui lòng nhập nội dung góp ý hoặc câu hỏi."],
        id="whitespace-only",
    ),
    pytest.param(
        {"content": "Ý" * 5001},
        ["Tối đa 5.000 ký tự; bạn đã nhập 5.001 ký tự. Vui lòng rút gọn."],
        id="content-5001-chars",
    ),
    pytest.param({"content": "Quá ngắn"}, ["Cần ít nhất 10 ký tự; bạn mới nhập 8 ký tự."], id="content-too-short"),
    pytest.param({"name": "Lê " * 34}, ["Tối đa 100 ký tự; bạn đã nhập 101 ký tự."], id="name-101-chars"),
    pytest.param({"title": "Đ" * 201}, ["Tối đa 200 ký tự; bạn đã nhập 201 ký tự."], id="title-201-chars"),
    pytest.param({"email": "an.nguyen@"}, ["Địa chỉ email chưa đúng."], id="bad-email"),
    pytest.param({"phone": "12345"}, ["Số điện thoại chưa đúng. Ví dụ: 0912 345 678"], id="bad-phone"),
    pytest.param({"title": "\x00\x07\x1b"}, ["Vui lòng nhập tiêu đề."], id="title-only-control-chars"),
    pytest.param({"captcha_1": "sai-ma"}, ["Mã kiểm tra chưa đúng."], id="wrong-captcha"),
    pytest.param({"captcha_1": ""}, ["Vui lòng nhập mã kiểm tra"], id="missing-captcha"),
    pytest.param({"captcha_0": "", "captcha_1": "abcde"}, ["Mã kiểm tra đã được dùng hoặc đã hết hạn."], id="no-key"),
    pytest.param({"captcha_1": "mã tiếng việt"}, ["Mã kiểm tra chưa đúng."], id="non-ascii-captcha"),
    pytest.param(
        {"website": "http://spam.example"},
        ["ô “Để trống ô này” (dùng để chặn thư rác tự động) đã bị điền"],
        id="honeypot",
    ),
]


@pytest.mark.parametrize(("overrides", "messages"), BAD_INPUTS)
def test_bad_input_is_refused_with_a_message_and_nothing_typed_is_lost(client, overrides, messages):
    """Each bad input: the form comes back (200) with the message, nothing stored, the text kept."""
    data = form_data(**overrides)
    response = post(client, data)
    html = text_of(response)
    assert response.status_code == 200
    assert "Chưa gửi được góp ý" in html
    for message in messages:
        assert escape(message) in html
    assert Feedback.objects.count() == 0
    assert_kept(html, data, skip=[key for key, value in overrides.items() if not value.strip("\x00\x07\x1b")])
    # A new challenge is rendered; the old answer is not echoed back.
    assert 'name="captcha_1" ' in html and 'value="sai-ma"' not in html


def test_honeypot_value_is_not_shown_back(client):
    """A person who filled the trap by mistake only has to send again."""
    html = text_of(post(client, form_data(website="http://spam.example")))
    assert "http://spam.example" not in html


def test_reused_captcha_is_refused(client):
    """A challenge is good for one attempt: sending it again is refused, text kept."""
    data = form_data()
    thanks_page(client, post(client, data))
    again = post(client, {**data, "title": "Câu hỏi thứ hai"})
    assert "Mã kiểm tra đã được dùng hoặc đã hết hạn." in text_of(again)
    assert "Câu hỏi thứ hai" in text_of(again)
    assert Feedback.objects.count() == 1


def test_wrong_answer_burns_the_challenge(client):
    """After a wrong guess the same challenge cannot be answered right (no brute force)."""
    data = form_data()
    right = data["captcha_1"]
    post(client, {**data, "captcha_1": "xxxxx"})
    response = post(client, {**data, "captcha_1": right})
    assert "Mã kiểm tra đã được dùng hoặc đã hết hạn." in text_of(response)
    assert Feedback.objects.count() == 0


def test_expired_captcha_is_refused(client):
    """An expired challenge gets its own message, even with the right answer."""
    data = form_data()
    CaptchaStore.objects.filter(hashkey=data["captcha_0"]).update(expiration=timezone.now() - timedelta(seconds=1))
    response = post(client, data)
    html = text_of(response)
    assert "Mã kiểm tra đã hết hạn." in html
    assert_kept(html, data)
    assert Feedback.objects.count() == 0


def test_captcha_answer_is_case_insensitive_and_trimmed(client):
    data = form_data()
    data["captcha_1"] = f"  {data['captcha_1'].upper()} "
    thanks_page(client, post(client, data))
    assert Feedback.objects.count() == 1


def test_sixth_submission_in_an_hour_gets_429_and_keeps_the_text(client):
    """5 per hour per client: the 6th is refused politely with 429, stored nowhere, text kept."""
    for number in range(5):
        thanks_page(client, post(client, form_data(title=f"Góp ý số {number + 1}")))
    data = form_data(title="Góp ý số 6", content="Nội dung của góp ý thứ sáu, không được mất.")
    response = post(client, data)
    html = text_of(response)
    assert response.status_code == 429
    assert "Bạn đã gửi nhiều góp ý trong thời gian ngắn" in html
    assert "tối đa 5 góp ý mỗi giờ và 20 góp ý mỗi ngày" in html
    assert "Vui lòng gửi lại sau khoảng 60 phút." in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert_kept(html, data)
    assert Feedback.objects.count() == 5


def test_daily_limit(client, settings):
    """20 per day: older than an hour still counts for the day; the wait is until the oldest leaves."""
    now = timezone.now()
    for hours in range(20):
        item = make_feedback(ip_hash=hash_ip(LOCAL_IP))
        Feedback.objects.filter(pk=item.pk).update(created_at=now - timedelta(hours=2 + hours / 2))
    response = post(client, form_data())
    assert response.status_code == 429
    assert 11 * 3600 < int(response["Retry-After"]) <= 12.5 * 3600
    assert Feedback.objects.count() == 20


def test_old_submissions_do_not_count(client):
    item = make_feedback(ip_hash=hash_ip(LOCAL_IP))
    Feedback.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    for _ in range(5):
        thanks_page(client, post(client, form_data()))
    assert Feedback.objects.count() == 6


def test_limit_is_per_client_behind_a_trusted_proxy(client, settings):
    """Behind the trusted proxy, each reader has their own limit; a forged header from elsewhere does not help."""
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    for _ in range(5):
        thanks_page(client, post(client, form_data(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5"))
    assert post(client, form_data(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Another reader behind the same proxy:
    thanks_page(client, post(client, form_data(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.6"))
    # The first reader, forging a header, is still the first reader:
    forged = post(client, form_data(), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert forged.status_code == 429
    # A client that is not the proxy cannot pick its address with the header:
    for _ in range(5):
        thanks_page(client, post(client, form_data(), REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="192.0.2.1"))
    spoof = post(client, form_data(), REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert spoof.status_code == 429
    assert Feedback.objects.filter(ip_hash=hash_ip("198.51.100.9")).count() == 5


# --- Accepted input, stored as plain, normalised text ------------------------------------------------


def stored_after(client, **overrides):
    thanks_page(client, post(client, form_data(**overrides)))
    return Feedback.objects.get()


def test_html_and_script_are_stored_as_text_and_shown_escaped(client):
    """HTML is not refused: it is kept as the citizen typed it and never interpreted."""
    title = '<script>alert("xss")</script> Hỏi về <b>đề tài</b>'
    content = "<img src=x onerror=alert(1)> Nội dung có thẻ HTML & ký tự đặc biệt 'nháy'."
    feedback = stored_after(client, title=title, content=content)
    assert feedback.title == title and feedback.content == content
    page = text_of(client.get(feedback.get_absolute_url()))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert escape(title) in page and escape(content) in page


def test_control_characters_are_removed_and_newlines_tabs_kept(client):
    content = "Xin chào\x00 Sở\x07 Khoa học\x1b[31m\r\n\tdòng hai\u202e đảo\x85cuối"
    feedback = stored_after(client, content=content, name="Phạm\x00 Văn\nCường\t")
    assert feedback.content == "Xin chào Sở Khoa học[31m\n\tdòng hai đảo\ncuối"
    assert feedback.name == "Phạm Văn Cường"


def test_emoji_are_kept(client):
    content = "Cảm ơn Sở rất nhiều 👍🏽 👨‍👩‍👧 🇻🇳"
    assert stored_after(client, content=content).content == content


def test_decomposed_vietnamese_is_stored_composed(client):
    feedback = stored_after(client, name=NFD_NAME, content=NFD_CONTENT)
    assert feedback.name == "Nguyễn Thị Hồng Nhung"
    assert unicodedata.is_normalized("NFC", feedback.content)
    assert feedback.content == unicodedata.normalize("NFC", NFD_CONTENT).strip()


def test_length_is_counted_after_normalisation(client):
    """NFD text longer than 5,000 code points but 5,000 characters once composed is accepted."""
    composed = ("Đề nghị Sở hướng dẫn " * 300)[:5000]
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > 5000
    assert len(stored_after(client, content=decomposed).content) == len(composed.strip())


def test_phone_numbers_are_normalised(client):
    assert stored_after(client, phone="+84 912.345.678").phone == "0912345678"


def test_full_width_digits_are_accepted(client):
    assert stored_after(client, phone="０９１２ ３４５ ６７８").phone == "0912345678"


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("0912345678", "0912345678"),
        ("091 234 5678", "0912345678"),
        ("(0203) 3826 789", "02033826789"),
        ("+84 203 3826 789", "02033826789"),
        ("84987654321", "0987654321"),
    ],
)
def test_vietnamese_phone_formats_accepted(client, phone, stored):
    """Each way of writing a number is accepted and stored the one way: "0" and the national number."""
    assert stored_after(client, phone=phone).phone == stored


def test_email_domain_lowercased(client):
    assert stored_after(client, email="An.Nguyen@Example.VN").email == "An.Nguyen@example.vn"


# --- Success ---------------------------------------------------------------------------------------


def test_success_gives_a_tracking_code_and_stores_only_a_hash_of_the_ip(client):
    page = thanks_page(client, post(client, form_data()))
    feedback = Feedback.objects.get()
    html = text_of(page)
    assert PATTERN.match(feedback.code)
    assert "Cảm ơn bạn đã gửi góp ý" in html
    assert feedback.code in html
    assert f'href="/gop-y/tra-cuu/?ma={feedback.code}"' in html
    assert "an.nguyen@example.vn" in html  # "a confirmation goes to …"
    assert feedback.status == Feedback.Status.NEW and not feedback.is_public
    assert feedback.ip_hash == hash_ip(LOCAL_IP) and len(feedback.ip_hash) == 64
    row = json.dumps(list(Feedback.objects.values()), default=str)
    assert LOCAL_IP not in row
    assert page["Cache-Control"].count("no-store") == 1


def test_thanks_page_needs_a_valid_token(client):
    thanks_page(client, post(client, form_data()))
    assert client.get("/gop-y/da-gui/").status_code == 302
    assert client.get("/gop-y/da-gui/?t=GY-ABCDEFGH").status_code == 302
    assert client.get("/gop-y/da-gui/?t=GY-ABCDEFGH:forged:signature").status_code == 302


def test_codes_are_unique_and_unguessable(client):
    codes = {
        services.submit(Feedback(name="A", title="B", content="C" * 10), hash_ip(f"10.1.0.{i}")).code
        for i in range(30)
    }
    assert len(codes) == 30
    assert all(PATTERN.match(code) for code in codes)


def test_code_collision_draws_again(monkeypatch):
    taken = make_feedback().code
    drawn = iter([taken, taken, "GY-ABCDEFGH"])
    monkeypatch.setattr(services, "new_code", lambda: next(drawn))
    feedback = services.submit(Feedback(name="A", title="B", content="C" * 10), hash_ip("10.9.9.9"))
    assert feedback.code == "GY-ABCDEFGH"
    assert Feedback.objects.count() == 2


def test_rate_limited_submit_stores_nothing():
    for _ in range(5):
        services.submit(Feedback(name="A", title="B", content="C" * 10), hash_ip("10.2.2.2"))
    with pytest.raises(services.RateLimited) as limited:
        services.submit(Feedback(name="A", title="B", content="C" * 10), hash_ip("10.2.2.2"))
    assert 3500 < limited.value.retry_after <= 3600
    assert Feedback.objects.count() == 5


# --- Bound to an article ---------------------------------------------------------------------------


def test_form_page_about_an_article(client, article):
    """/gop-y/?bai-viet=<id or slug> is the no-JavaScript form about that article."""
    for ref in (article.pk, article.slug):
        html = text_of(client.get(f"{CREATE_URL}?bai-viet={ref}"))
        assert "Góp ý về bài viết:" in html and escape(article.title) in html
        assert f'name="article" value="{article.pk}"' in html


def test_unpublished_article_is_ignored(client, make_article):
    draft = make_article("Bản nháp chưa công bố", status=Article.Status.DRAFT)
    html = text_of(client.get(f"{CREATE_URL}?bai-viet={draft.pk}"))
    assert "Bản nháp chưa công bố" not in html
    thanks_page(client, post(client, form_data(article=str(draft.pk))))
    assert Feedback.objects.get().article is None


def test_submission_from_an_article_is_bound_to_it(client, article):
    page = thanks_page(client, post(client, form_data(article=str(article.pk))))
    assert Feedback.objects.get().article == article
    assert article.get_absolute_url() in text_of(page)


def test_errors_on_an_article_form_keep_the_article(client, article):
    html = text_of(post(client, form_data(article=str(article.pk), title="")))
    assert "Góp ý về bài viết:" in html and f'name="article" value="{article.pk}"' in html


def test_article_page_slot_is_the_same_for_every_reader(article):
    """No captcha key and no CSRF token in the (cached, shared) article page; a no-JS link instead."""
    slots = []
    for _ in range(2):
        html = text_of(Client().get(article.get_absolute_url()))
        slots.append(html[html.index("data-feedback-slot") : html.index("js/feedback.js")])
    assert slots[0] == slots[1]
    slot = slots[0]
    assert 'name="csrfmiddlewaretoken" value=""' in slot
    assert 'name="captcha_0" ' in slot and 'name="captcha_0" value=' not in slot
    assert "/captcha/image/" not in slot
    assert f'href="/gop-y/?bai-viet={article.pk}"' in slot
    assert "Họ và tên" in slot and "Tiêu đề" in slot and "Nội dung" in slot and "Mã kiểm tra" in slot
    assert CaptchaStore.objects.count() == 0


def test_slot_renders_without_queries(article, django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(0):
        html = render_to_string("feedback/_article_form_slot.html", {"article": article})
    assert "data-feedback-form" in html


# --- The JSON challenge for the cached page --------------------------------------------------------


def test_challenge_endpoint_gives_a_fresh_captcha_and_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.get("/gop-y/ma-kiem-tra/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    data = response.json()
    assert CaptchaStore.objects.filter(hashkey=data["key"]).exists()
    assert data["image_url"] == f"/captcha/image/{data['key']}/"
    assert data["audio_url"] is None  # an audio challenge only when asked for (?nghe=1)
    assert data["expires_in"] == 600
    assert "csrftoken" in response.cookies
    assert client.get("/gop-y/ma-kiem-tra/").json()["key"] != data["key"]
    # What feedback.js does with it: fill the slot form and post.
    answer = CaptchaStore.objects.get(hashkey=data["key"]).response
    posted = client.post(
        CREATE_URL,
        form_data(captcha=False, captcha_0=data["key"], captcha_1=answer, csrfmiddlewaretoken=data["csrf_token"]),
    )
    assert posted.status_code == 302
    assert Feedback.objects.count() == 1


def test_post_without_csrf_token_is_refused():
    response = Client(enforce_csrf_checks=True).post(CREATE_URL, form_data())
    assert response.status_code == 403
    assert Feedback.objects.count() == 0


def test_audio_link_only_with_espeak(settings, client):
    """The audio version is espeak-ng's Vietnamese (flite spoke English letters): asked for with ?nghe=1."""
    settings.CAPTCHA_ESPEAK_PATH = "/usr/bin/espeak-ng"
    data = client.get("/gop-y/ma-kiem-tra/?nghe=1").json()
    assert data["audio_url"] == f"/captcha/audio/{data['key']}.wav"
    assert "Nghe mã" in text_of(client.get(CREATE_URL))
    settings.CAPTCHA_ESPEAK_PATH = None
    data = client.get("/gop-y/ma-kiem-tra/?nghe=1").json()
    assert data["audio_url"] is None
    assert "Nghe mã" not in text_of(client.get(CREATE_URL))


def test_challenge_is_get_only(client):
    assert client.post("/gop-y/ma-kiem-tra/").status_code == 405


def test_challenge_alphabet_has_no_lookalikes():
    from core.captcha import challenge

    for _ in range(50):
        text, response = challenge()
        assert len(text) == 5 and response == text.lower()
        assert not set(text) & set("0O1IL2Z5S8B")


# --- The full page ---------------------------------------------------------------------------------


def test_full_form_page(client):
    response = client.get(CREATE_URL)
    html = text_of(response)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "<h1" in html and "Gửi góp ý, câu hỏi" in html
    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    assert CaptchaStore.objects.filter(hashkey=key).exists()
    assert f"/captcha/image/{key}/" in html
    assert re.search(r'name="csrfmiddlewaretoken" value="\w+"', html)
    for label in ("Họ và tên", "Email", "Số điện thoại", "Tiêu đề", "Nội dung", "Mã kiểm tra", "Gửi góp ý"):
        assert label in html
    assert "maxlength=" not in html.split('name="content"')[1].split(">")[0]  # no silent cut of pasted text


def test_form_page_queries_are_few(client, django_assert_max_num_queries):
    # + 6 for the frame staff edit (main and footer menus, categories, agency links, banners, announcements,
    # new documents), read once per content version and then kept as fragments (tests/test_navigation.py).
    with django_assert_max_num_queries(14):
        client.get(CREATE_URL)


def test_successful_post_queries_are_bounded(client, article, django_assert_max_num_queries):
    data = form_data(article=str(article.pk))
    with django_assert_max_num_queries(14):
        assert post(client, data).status_code == 302


# --- E-mail ----------------------------------------------------------------------------------------


def test_emails_are_queued_with_the_submission(client, settings, django_user_model, deliver_mail):
    """The citizen gets the code, the group gets the item: both queued in the transaction that stores the
    feedback (core/mail.py), nothing sent in the request; the mail sender delivers them."""
    staff_user(django_user_model)
    staff_user(django_user_model, username="tiepnhan2", email="")  # no address: skipped
    django_user_model.objects.create_user("bientap2", email="bientap@so.example.vn", is_staff=True)
    post(client, form_data(title="Hỏi <b>về</b> hồ sơ", content="<script>x()</script> nội dung đủ dài"))
    assert len(mail.outbox) == 0
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).count() == 2
    feedback = Feedback.objects.get()
    citizen, staff = deliver_mail()
    assert citizen.to == ["an.nguyen@example.vn"]
    assert feedback.code in citizen.subject and feedback.code in citizen.body
    assert f"{settings.SITE_URL}/gop-y/tra-cuu/?ma={feedback.code}" in citizen.body
    assert "<script>x()</script>" in citizen.body  # plain text part: shown as typed
    html_part = citizen.alternatives[0][0]
    assert "&lt;script&gt;x()&lt;/script&gt;" in html_part and "<script>x()" not in html_part
    assert staff.to == ["tiepnhan@so.example.vn"]
    assert "[Góp ý mới]" in staff.subject and "Hỏi <b>về</b> hồ sơ" in staff.subject
    assert f"/admin/feedback/feedback/{feedback.pk}/change/" in staff.body
    assert "&lt;b&gt;về&lt;/b&gt;" in staff.alternatives[0][0]


def test_no_citizen_email_without_address(client, django_user_model, deliver_mail):
    staff_user(django_user_model)
    thanks_page(client, post(client, form_data(email="")))
    assert [message.to for message in deliver_mail()] == [["tiepnhan@so.example.vn"]]


def test_mail_failure_loses_nothing(client, settings, django_user_model, deliver_mail, caplog):
    """A mail server that is down: the feedback is stored, the citizen gets the code at once, and the
    e-mails stay in the outbox with the error, to be tried again."""
    staff_user(django_user_model)
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens there
    response = post(client, form_data())
    page = thanks_page(client, response)
    feedback = Feedback.objects.get()
    assert feedback.code in text_of(page)
    assert deliver_mail() == []
    assert "Could not send mail" in caplog.text
    queued = OutgoingMail.objects.order_by("pk")
    assert [(m.status, m.attempts) for m in queued] == [(OutgoingMail.Status.QUEUED, 1)] * 2
    assert all("Connection refused" in m.last_error or "ConnectionRefused" in m.last_error for m in queued)


def test_subject_cannot_carry_header_injection(client, deliver_mail, django_user_model):
    staff_user(django_user_model)
    post(client, form_data(title="Tiêu đề\r\nBcc: victim@example.com"))
    sent = deliver_mail()
    assert len(sent) == 2
    assert all("\n" not in message.subject for message in sent)
    assert all("victim@example.com" not in message.bcc for message in sent)


@pytest.mark.parametrize(
    "overrides",
    [
        {"article": "9" * 40},
        {"article": "'; DROP TABLE feedback_feedback; --"},
        {"article": "-1"},
        {"captcha_0": "x" * 5000},
        {"captcha_0": "'\"<>"},
        {"email": "a@" + "b" * 300 + ".vn"},
        {"phone": "0٩١٢٣٤٥٦٧٨"},  # Arabic-Indic digits are not a Vietnamese number
        {"content": "\ufffd\ufeff" * 20},
        {"name": "x" * 20_000},  # overlong, under the public body limit (over it: a 413, test_hostile_input)
    ],
)
def test_garbage_never_breaks_the_page(client, overrides):
    """Odd or hostile values get a page (thanks or the form with a message), never a 500."""
    response = post(client, form_data(**overrides))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "Chưa gửi được góp ý" in text_of(response)


def test_missing_fields_entirely(client):
    response = post(client, {"title": "Chỉ có tiêu đề"})
    html = text_of(response)
    assert response.status_code == 200
    assert "Vui lòng nhập họ và tên." in html and "Vui lòng nhập mã kiểm tra" in html
    assert "Chỉ có tiêu đề" in html


def test_challenges_are_rate_limited(client):
    """A script cannot fill the captcha table: 120 challenges an hour per client, then 429."""
    for _ in range(120):
        assert client.get("/gop-y/ma-kiem-tra/").status_code == 200
    response = client.get("/gop-y/ma-kiem-tra/")
    assert response.status_code == 429
    assert CaptchaStore.objects.count() == 120

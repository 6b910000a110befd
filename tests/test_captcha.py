"""The captcha on every screen: 1× and 2× images of one challenge, Vietnamese audio, limits counted in
PostgreSQL, and the favicon and validation messages of the same issue."""

import io
import re
import shutil
import wave
from datetime import UTC, datetime, timedelta

import pytest
from captcha.models import CaptchaStore
from django.core import checks
from django.test import Client
from PIL import Image

from core import captcha
from core.models import RateCounter
from core.ratelimit import Limit
from feedback.models import Feedback

from .test_feedback_support import CREATE_URL, form_data, text_of

pytestmark = pytest.mark.django_db

WIDTH, HEIGHT = 180, 56
ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(
    ESPEAK is None, reason="espeak-ng is not installed: `apt-get install espeak-ng` (scripts/browserdeps.py does it)"
)


def character_boxes(png, dark=110):
    """Column ranges holding letter ink (pixels darker than `dark`; the noise is lighter), left to right.

    The characters are drawn apart, so each range is one character."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    inked = [any(pixels[x, y] < dark for y in range(height)) for x in range(width)]
    boxes, start = [], None
    for x, ink in enumerate([*inked, False]):
        if ink and start is None:
            start = x
        elif not ink and start is not None:
            boxes.append((start, x - 1))
            start = None
    return boxes


def ink_box(png, background=250):
    """The bounding box of everything drawn (letters and noise)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return image.point(lambda v: 255 if v < background else 0).getbbox()


def assert_same_drawing(png1, png2, text):
    """Both images show `text` whole: one box per character, none touching an edge, and the 2× boxes,
    halved, where the 1× ones are."""
    one, two = Image.open(io.BytesIO(png1)), Image.open(io.BytesIO(png2))
    assert one.size == (WIDTH, HEIGHT) and two.size == (2 * WIDTH, 2 * HEIGHT)
    boxes1, boxes2 = character_boxes(png1), character_boxes(png2)
    assert len(boxes1) == len(boxes2) == len(text), (text, boxes1, boxes2)
    left, _top, right, _bottom = ink_box(png1)
    assert left > 0 and right < WIDTH
    left, _top, right, _bottom = ink_box(png2)
    assert left > 0 and right < 2 * WIDTH
    for (a1, b1), (a2, b2) in zip(boxes1, boxes2, strict=True):
        assert abs(a2 / 2 - a1) <= 2.5 and abs(b2 / 2 - b1) <= 2.5, (text, boxes1, boxes2)


def new_key(text):
    return CaptchaStore.objects.create(challenge=text, response=text).hashkey


# --- Images ------------------------------------------------------------------------------------------------


def test_one_and_two_x_images_of_the_same_key(client):
    """The @2 image has twice the pixels (360×112) and the same characters in the same places."""
    key = new_key("WJAEE")  # the challenge phones saw as "VJAE"
    one = client.get(f"/captcha/image/{key}/")
    two = client.get(f"/captcha/image/{key}@2/")
    assert one.status_code == two.status_code == 200
    assert one["Content-Type"] == two["Content-Type"] == "image/png"
    assert "private" in one["Cache-Control"]
    assert_same_drawing(one.content, two.content, "WJAEE")
    assert client.get(f"/captcha/image/{key}@2/").content == two.content  # the same drawing every time


@pytest.mark.parametrize("text", ["WWMWW", "MMMMM", "ACDEF", "34679", "HKNUY", "0123456789"[:6], "888888"])
def test_wide_and_long_challenges_stay_inside(text):
    key = f"key-{text}"
    layout = captcha.plan(key, text)
    assert_same_drawing(captcha.draw(layout, 1), captcha.draw(layout, 2), text)


def test_random_challenges_stay_inside():
    for n in range(12):
        text, _response = captcha.challenge() if n % 3 else captcha.audio_challenge()
        layout = captcha.plan(f"random-{n}", text)
        assert_same_drawing(captcha.draw(layout, 1), captcha.draw(layout, 2), text)


def test_the_form_points_srcset_to_our_two_x_image(client):
    html = text_of(client.get(CREATE_URL))
    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    assert f'src="/captcha/image/{key}/" srcset="/captcha/image/{key}@2/ 2x"' in html
    assert 'width="180" height="56"' in html


def test_used_expired_and_unknown_challenges_have_no_image(client):
    key = new_key("ACDEF")
    CaptchaStore.objects.filter(hashkey=key).update(expiration=datetime(2020, 1, 1, tzinfo=UTC))
    assert client.get(f"/captcha/image/{key}/").status_code == 410
    assert client.get("/captcha/image/nosuchkey@2/").status_code == 410
    assert client.get("/captcha/image/bad key/").status_code == 404


# --- Audio -------------------------------------------------------------------------------------------------


@needs_espeak
def test_audio_is_vietnamese_speech_as_wav(client, settings):
    settings.CAPTCHA_ESPEAK_PATH = ESPEAK
    data = client.get("/gop-y/ma-kiem-tra/?nghe=1").json()
    text = CaptchaStore.objects.get(hashkey=data["key"]).challenge
    assert re.fullmatch(r"\d{6}", text)  # digits: every Vietnamese listener names them the same way
    response = client.get(data["audio_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    with wave.open(io.BytesIO(body)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
        assert sound.getnchannels() == 1 and sound.getframerate() == 11025
    assert 3 < seconds < 30
    assert "không" in captcha.spoken("0") and captcha.spoken(text).count(captcha.DIGIT_WORDS[int(text[0])]) >= 2
    # Its image shows the same digits.
    assert_same_drawing(client.get(data["image_url"]).content, client.get(data["image2x_url"]).content, text)


@needs_espeak
def test_audio_answers_byte_ranges(client, settings):
    """Safari plays media only from servers that answer Range requests."""
    settings.CAPTCHA_ESPEAK_PATH = ESPEAK
    data = client.get("/gop-y/ma-kiem-tra/?nghe=1").json()
    response = client.get(data["audio_url"], HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == b"RI"


def test_no_audio_for_letter_challenges_or_without_espeak(client, settings):
    settings.CAPTCHA_ESPEAK_PATH = ESPEAK or "/usr/bin/espeak-ng"
    letters = new_key("ACDEF")
    assert client.get(f"/captcha/audio/{letters}.wav").status_code == 410
    settings.CAPTCHA_ESPEAK_PATH = None
    digits = new_key("123456")
    assert client.get(f"/captcha/audio/{digits}.wav").status_code == 404
    assert client.get("/gop-y/ma-kiem-tra/?nghe=1").json()["audio_url"] is None


def test_audio_page_without_javascript(client, settings):
    """`/gop-y/?nghe=1`: the form with a digits-only challenge and a player, numeric keyboard on phones."""
    settings.CAPTCHA_ESPEAK_PATH = ESPEAK or "/usr/bin/espeak-ng"
    html = text_of(client.get(CREATE_URL + "?nghe=1"))
    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    assert re.fullmatch(r"\d{6}", CaptchaStore.objects.get(hashkey=key).challenge)
    assert (
        f'<audio class="fb-captcha-player" data-captcha-player controls preload="none" src="/captcha/audio/{key}.wav"'
        in html
    )
    assert 'inputmode="numeric"' in html
    assert "Mã nghe: 6 chữ số, đọc hai lần." in html


def test_digits_typed_with_spaces_or_full_width_are_accepted(client):
    key = new_key("305148")
    data = form_data(captcha=False, captcha_0=key, captcha_1=" 305 １４８ ")
    assert client.post(CREATE_URL, data).status_code == 302
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize("path", ["", "/nowhere/espeak-ng"])
def test_system_check_says_when_espeak_is_missing(settings, path):
    settings.CAPTCHA_ESPEAK_PATH = path or None
    issues = [issue for issue in checks.run_checks() if issue.id.startswith("feedback.")]
    assert [issue.id for issue in issues] == (["feedback.W001"] if not path else ["feedback.W002"])
    assert "apt-get install espeak-ng" in issues[0].hint


@needs_espeak
def test_system_check_is_quiet_with_espeak(settings):
    settings.CAPTCHA_ESPEAK_PATH = ESPEAK
    assert not [issue for issue in checks.run_checks() if issue.id.startswith("feedback.")]


# --- Limits in PostgreSQL ----------------------------------------------------------------------------------


def test_refresh_is_limited(client, settings):
    """The package's /captcha/refresh/ (300 rows in 1.5 s before) is our challenge view, under its limit."""
    settings.CAPTCHA_CHALLENGES_PER_HOUR = 5
    for _ in range(5):
        response = client.get("/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        assert response.status_code == 200 and response.json()["image_url"].startswith("/captcha/image/")
    response = client.get("/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 429
    # The sliding estimate: the 6 requests of this hour's window must weigh ≤ 4 in the next one, so the
    # wait is at most the rest of this hour plus a third of the next (more than an hour near its start).
    assert 0 < int(response["Retry-After"]) <= 3600 * (2 - 4 / 6) + 1
    assert "no-store" in response["Cache-Control"]
    assert "Bạn đã lấy quá nhiều mã kiểm tra trong một giờ. Vui lòng thử lại sau khoảng" in response.json()["message"]
    assert CaptchaStore.objects.count() == 5
    # One count for the client, in PostgreSQL: every worker and server reads the same row.
    assert RateCounter.objects.get(scope="captcha").hits == 6


def test_refresh_json_and_form_page_share_one_limit(client, settings):
    settings.CAPTCHA_CHALLENGES_PER_HOUR = 3
    assert client.get("/captcha/refresh/").status_code == 200
    assert client.get("/gop-y/ma-kiem-tra/").status_code == 200
    assert client.get(CREATE_URL).status_code == 200
    page = client.get(CREATE_URL)
    html = text_of(page)
    assert page.status_code == 429 and page["Retry-After"]
    assert "Bạn đã lấy quá nhiều mã kiểm tra trong một giờ." in html
    assert 'name="captcha_0" value="' not in html  # no new challenge drawn
    assert CaptchaStore.objects.count() == 3
    # Another client is not affected.
    assert Client(REMOTE_ADDR="198.51.100.20").get("/gop-y/ma-kiem-tra/").status_code == 200


def test_a_refused_post_keeps_the_text(client, settings):
    settings.CAPTCHA_CHALLENGES_PER_HOUR = 1
    data = form_data(captcha_1="sai-ma", title="Tiêu đề giữ nguyên khi bị giới hạn")
    client.get("/gop-y/ma-kiem-tra/")
    response = client.post(CREATE_URL, data)
    assert response.status_code == 429
    assert "Tiêu đề giữ nguyên khi bị giới hạn" in text_of(response)


def test_lookup_failures_are_counted_in_postgresql(client):
    for _ in range(3):
        client.get("/gop-y/tra-cuu/", {"ma": "GY-ABCDEFGH"})
    client.get("/gop-y/tra-cuu/")  # no code typed: nothing counted
    assert RateCounter.objects.get(scope="lookup-failures").hits == 3


HOUR = timedelta(hours=1)
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_sliding_window_counts():
    limit = Limit("test", 3, HOUR)
    assert [limit.hit("a", T0 + timedelta(minutes=n)) for n in range(3)] == [0, 0, 0]
    refused = limit.hit("a", T0 + timedelta(minutes=10))
    # The three requests of 9:00 weigh less and less in the next hour: one more fits once a third has gone.
    assert refused > 3000  # the whole hour and a third of the next (the refused request counts too)
    assert limit.wait("a", T0 + timedelta(minutes=10)) == limit.wait("a", T0 + timedelta(minutes=10))  # counts nothing
    assert limit.hit("b", T0 + timedelta(minutes=10)) == 0  # another client
    assert limit.hit("a", T0 + HOUR + timedelta(minutes=30)) == 0  # 4 × 0.5 = 2, + this one = 3
    assert limit.hit("a", T0 + HOUR + timedelta(minutes=31)) > 0
    assert limit.wait("a", T0 + 3 * HOUR) == 0


def test_the_sliding_window_has_no_double_burst_at_the_edge():
    limit = Limit("edge", 10, HOUR)
    before_edge = T0 + HOUR - timedelta(seconds=5)
    assert all(limit.hit("a", before_edge) == 0 for _ in range(10))
    assert limit.hit("a", T0 + HOUR + timedelta(seconds=5)) > 0  # a fixed window would allow 10 more here


def test_expired_counters_are_swept():
    limit = Limit("old", 5, HOUR)
    for n in range(15):
        limit.hit(f"client-{n}", T0)
    assert RateCounter.objects.filter(scope="old").count() == 15
    limit.hit("late", T0 + 3 * HOUR)  # each counted request removes up to 10 expired rows
    limit.hit("late", T0 + 3 * HOUR)
    assert list(RateCounter.objects.values_list("client", flat=True)) == ["late"]


# --- Favicon and validation messages -----------------------------------------------------------------------


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an icon file
    icon = Image.open(io.BytesIO(body))
    assert icon.format == "ICO" and {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]
    html = text_of(client.get("/"))
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    touch = client.get("/static/img/apple-touch-icon.png")
    assert Image.open(io.BytesIO(b"".join(touch.streaming_content))).size == (180, 180)


def test_forms_leave_messages_to_the_server_in_vietnamese(client, article):
    """`novalidate`: no browser bubble in the browser's language ("Please select one of these options.")."""
    html = text_of(client.get(CREATE_URL))
    assert re.search(r'<form class="fb-form"[^>]* novalidate', html)
    assert re.search(r'<form class="rating-form"[^>]* novalidate', html)
    assert re.search(r'<form [^>]*class="fb-side-form" novalidate', html)
    assert re.search(r'<form [^>]*class="fb-lookup-form" novalidate', text_of(client.get("/gop-y/tra-cuu/")))
    article_page = text_of(client.get(article.get_absolute_url()))
    assert re.search(r'<form class="fb-form"[^>]* novalidate', article_page)


def test_listening_without_javascript_stays_on_each_forms_page(client, settings, article):
    """ "Nghe mã" is a link when JavaScript is off: the full feedback form and a draft's comment form each
    reload themselves with a digits-only challenge; the form under an article opens the full feedback form."""
    from consultation.models import Consultation

    settings.CAPTCHA_ESPEAK_PATH = ESPEAK or "/usr/bin/espeak-ng"
    listen = re.compile(r'class="fb-captcha-audio" data-captcha-audio href="([^"]*)"')
    assert listen.search(text_of(client.get(CREATE_URL))).group(1) == "?nghe=1"
    assert listen.search(text_of(client.get(article.get_absolute_url()))).group(1) == "/gop-y/?nghe=1"
    now = datetime.now(UTC)
    draft = Consultation.objects.create(
        title="Dự thảo Quy chế quản lý nhiệm vụ khoa học",
        summary="Lấy ý kiến người dân.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
        publish_at=now - timedelta(days=1),
        status=Consultation.Status.PUBLISHED,
    )
    assert listen.search(text_of(client.get(draft.get_absolute_url()))).group(1) == "?nghe=1"
    html = text_of(client.get(draft.get_absolute_url() + "?nghe=1"))
    key = re.search(r'name="captcha_0" value="(\w+)"', html).group(1)
    assert re.fullmatch(r"\d{6}", CaptchaStore.objects.get(hashkey=key).challenge)
    assert 'inputmode="numeric"' in html

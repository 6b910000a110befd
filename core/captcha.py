"""django-simple-captcha, adapted to pages served from a shared cache, to phones and to listeners; shared
by every public form that needs one (feedback, comments on drafts). The image, audio and challenge views
are core/captcha_views.py (URLs in core/urls.py: /captcha/…, /gop-y/ma-kiem-tra/).

- The article page renders the widget *deferred*: no key, no image. static/js/feedback.js asks
  `captcha:challenge` (never cached) for a fresh key when the reader starts on the form.
- The full form page renders a key server-side, so it works without JavaScript.
- Checking a response deletes the challenge with one `DELETE … RETURNING`: a challenge is good for
  exactly one attempt, even when two requests race with the same key (the package's own check
  reads, then deletes, and both racers could pass).
- The package keeps storing and checking challenges (CaptchaStore); the images and the audio are
  ours. Its 0.7.0 draws the `@2` image with letters twice as large on the same CAPTCHA_IMAGE_SIZE
  canvas, so phones (device pixel ratio 2 picks `@2` from srcset) saw the first and last letters
  cut off. Here one layout is planned per challenge and drawn at 1× (180×56) and at 2× (360×112,
  everything twice as large): the same characters in the same places, every one inside the image.
- Audio in Vietnamese with espeak-ng (`espeak-ng -v vi`). Letter names are not read the same way
  by every Vietnamese listener (F "ép", J "gi", W "vê kép", Y "i dài"/"i-grếch", and "xê", "đê",
  "pê", "tê", "vê" sound alike through a synthetic voice), digits are: "Nghe mã" asks for a
  digits-only challenge, whose image shows the same digits, and its audio reads each digit twice.
"""

import math
import random
import secrets
import subprocess
import sys
import tempfile
import unicodedata
import wave
from array import array
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageDraw, ImageFont

from .ratelimit import Limit, minutes

# Letters and digits a reader will not confuse, even on a small noisy image (no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B…).
CHALLENGE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
AUDIO_DIGITS = 6  # like the bank's OTP codes every phone user knows; one guess in a million
DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

MESSAGES = {
    "required": _("Vui lòng nhập mã kiểm tra (các ký tự trong ảnh)."),
    "wrong": _("Mã kiểm tra chưa đúng. Vui lòng nhập các ký tự trong ảnh mới bên dưới."),
    "expired": _("Mã kiểm tra đã hết hạn. Vui lòng nhập các ký tự trong ảnh mới bên dưới."),
    "used": _("Mã kiểm tra đã được dùng hoặc đã hết hạn. Vui lòng nhập các ký tự trong ảnh mới bên dưới."),
    "too_many": _(
        "Bạn đã lấy quá nhiều mã kiểm tra trong một giờ. Vui lòng thử lại sau khoảng %(minutes)d phút; "
        "nội dung bạn đã nhập vẫn được giữ nguyên."
    ),
    "audio": _(
        "Mã nghe: %(digits)d chữ số, đọc hai lần. Nhập các chữ số bạn nghe được (ảnh cũng hiện đúng các chữ số này)."
    ),
    "too_many_audio": _("Bạn đã nghe mã quá nhiều lần trong một giờ. Vui lòng thử lại sau khoảng %(minutes)d phút."),
}


def challenge():
    """django-simple-captcha challenge function (settings.CAPTCHA_CHALLENGE_FUNCT)."""
    text = "".join(secrets.choice(CHALLENGE_ALPHABET) for _ in range(captcha_settings.CAPTCHA_LENGTH))
    return text, text.lower()


def audio_challenge():
    """Digits only: read aloud in Vietnamese, and shown as the image too."""
    text = "".join(secrets.choice("0123456789") for _ in range(AUDIO_DIGITS))
    return text, text


def is_audio(text):
    return text.isascii() and text.isdigit()


def espeak_path():
    return getattr(settings, "CAPTCHA_ESPEAK_PATH", None)


def audio_available():
    return bool(espeak_path())


def challenge_urls(key, *, audio=False):
    return {
        "key": key,
        "image_url": reverse("captcha:image", kwargs={"key": key}),
        "image2x_url": reverse("captcha:image-2x", kwargs={"key": key}) if captcha_settings.CAPTCHA_2X_IMAGE else None,
        "audio_url": reverse("captcha:audio", kwargs={"key": key}) if audio and audio_available() else None,
    }


def new_challenge(*, audio=False):
    """A fresh challenge: key, image URLs, audio URL (a digits-only challenge, when espeak-ng is
    installed and `audio` is asked for), lifetime."""
    audio = audio and audio_available()
    data = challenge_urls(CaptchaStore.generate_key(audio_challenge if audio else None), audio=audio)
    data["expires_in"] = int(captcha_settings.CAPTCHA_TIMEOUT) * 60
    return data


def current_challenge(key):
    """The text of the unexpired challenge `key`, or None."""
    if not key or "\x00" in key:
        return None
    return (
        CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now())
        .values_list("challenge", flat=True)
        .first()
    )


def consume(key):
    """Delete the challenge `key` and return (response, expiration), or None when there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {CaptchaStore._meta.db_table} WHERE hashkey = %s RETURNING response, expiration",  # noqa: S608
            [key],
        )
        return cursor.fetchone()


def normalise_answer(value):
    """What the reader typed, as stored: NFKC (full-width digits of some keyboards), no spaces, lower case."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).lower()


# Images ------------------------------------------------------------------------------------------

MARGIN = 6  # px at 1×, left and right: nothing is drawn closer to the edge
MARGIN_Y = 3
GAP = (2, 5)  # px at 1× between two characters' boxes: never touching, so each stays whole
MIN_FONT = 22
INK = ("#14316b", "#7a1020", "#15522a", "#3f1a6b", "#263238")  # dark, high contrast on white
NOISE = "#a9b3bd"  # lighter than any letter: a texture, not a second text


@dataclass(frozen=True)
class Glyph:
    char: str
    angle: int
    colour: str
    centre: tuple  # (x, y) at 1×


@dataclass(frozen=True)
class Plan:
    """Where everything goes, at 1×; drawn at any scale by multiplying."""

    size: tuple
    font_size: int
    glyphs: tuple
    curves: tuple  # lists of points
    dots: tuple  # (x, y, r)


def font(size):
    path = captcha_settings.CAPTCHA_FONT_PATH
    if isinstance(path, (list, tuple)):
        path = path[0]
    return ImageFont.truetype(path, size)


def glyph_image(char, size, angle, scale):
    """The character drawn at `size`×`scale` px (stroked: bolder), turned by `angle`, cropped to its ink."""
    face = font(size * scale)
    stroke = scale
    left, top, right, bottom = face.getbbox(char, stroke_width=stroke)
    mask = Image.new("L", (right - left + 4 * scale, bottom - top + 4 * scale), 0)
    ImageDraw.Draw(mask).text(
        (2 * scale - left, 2 * scale - top), char, font=face, fill=255, stroke_width=stroke, stroke_fill=255
    )
    mask = mask.rotate(angle, resample=Image.BICUBIC, expand=True)
    return mask.crop(mask.getbbox())


def plan(key, text):
    """The layout of challenge `text` for `key`: the same for every request and every scale.

    Seeded by a keyed hash of `key` (not the key itself, which is public), with a private Random:
    the global one stays unpredictable."""
    rng = random.Random(salted_hmac("core.captcha.plan", key).digest())
    width, height = captcha_settings.CAPTCHA_IMAGE_SIZE
    low, high = captcha_settings.CAPTCHA_LETTER_ROTATION or (0, 1)
    angles = [rng.randrange(low, high) for _ in text]
    colours = [rng.choice(INK) for _ in text]
    gaps = [rng.uniform(*GAP) for _ in text[1:]]
    shift, drops = rng.random(), [rng.uniform(-1, 1) for _ in text]

    size = captcha_settings.CAPTCHA_FONT_SIZE
    while True:  # the largest font that fits (long or wide challenges get a smaller one)
        boxes = [glyph_image(char, size, angle, 1).size for char, angle in zip(text, angles, strict=True)]
        total = sum(w for w, _h in boxes) + sum(gaps)
        tallest = max(h for _w, h in boxes)
        if (total <= width - 2 * MARGIN - 2 and tallest <= height - 2 * MARGIN_Y - 2) or size <= MIN_FONT:
            break
        size -= 1

    glyphs = []
    x = MARGIN + 1 + (width - 2 * MARGIN - 2 - total) * shift
    for index, (char, (w, h)) in enumerate(zip(text, boxes, strict=True)):
        room = max(0.0, (height - 2 * MARGIN_Y - 2 - h) / 2)
        centre = (x + w / 2, height / 2 + drops[index] * min(room, 6))
        glyphs.append(Glyph(char, angles[index], colours[index], centre))
        x += w + (gaps[index] if index < len(gaps) else 0)

    inner = (MARGIN, width - MARGIN)
    curves = []
    for _curve in range(2):
        y, amplitude, phase = rng.uniform(height * 0.3, height * 0.7), rng.uniform(3, 8), rng.random()
        period = rng.uniform(40, 90)
        curves.append(
            tuple(
                (px, y + amplitude * math.sin((px / period + phase) * 2 * math.pi))
                for px in range(inner[0], inner[1] + 1, 3)
            )
        )
    dots = tuple(
        (
            rng.uniform(inner[0] + 1, inner[1] - 1),
            rng.uniform(MARGIN_Y + 1, height - MARGIN_Y - 1),
            rng.uniform(0.6, 1.1),
        )
        for _ in range(40)
    )
    return Plan((width, height), size, tuple(glyphs), tuple(curves), dots)


def draw(layout, scale):
    """The PNG bytes of `layout` at `scale` (1 or 2)."""
    width, height = layout.size
    image = Image.new("RGB", (width * scale, height * scale), "#ffffff")
    pen = ImageDraw.Draw(image)
    for curve in layout.curves:
        pen.line([(x * scale, y * scale) for x, y in curve], fill=NOISE, width=scale, joint="curve")
    for x, y, r in layout.dots:
        pen.ellipse([(x - r) * scale, (y - r) * scale, (x + r) * scale, (y + r) * scale], fill=NOISE)
    for glyph in layout.glyphs:
        mask = glyph_image(glyph.char, layout.font_size, glyph.angle, scale)
        w, h = mask.size
        left = round(glyph.centre[0] * scale - w / 2)
        top = round(glyph.centre[1] * scale - h / 2)
        # Never past the margins, whatever rounding at this scale did.
        left = min(max(left, MARGIN * scale // 2), width * scale - MARGIN * scale // 2 - w)
        top = min(max(top, MARGIN_Y * scale // 2), height * scale - MARGIN_Y * scale // 2 - h)
        image.paste(Image.new("RGB", mask.size, glyph.colour), (left, top), mask)
    out = BytesIO()
    image.save(out, "PNG", compress_level=6)
    return out.getvalue()


def image_png(key, scale):
    """The image of the unexpired challenge `key` at `scale`, or None."""
    text = current_challenge(key)
    return draw(plan(key, text), scale) if text else None


# Audio -------------------------------------------------------------------------------------------


def spoken(text):
    digits = ". ".join(DIGIT_WORDS[int(d)] for d in text)
    return f"Mã kiểm tra là: {digits}. Xin nhắc lại: {digits}."


def audio_wav(key):
    """WAV bytes reading the digits-only challenge `key` in Vietnamese, or None (no such challenge,
    not a digits-only one, or espeak-ng missing or failing)."""
    text = current_challenge(key)
    program = espeak_path()
    if not text or not is_audio(text) or not program:
        return None
    with tempfile.TemporaryDirectory(prefix="captcha-") as folder:
        path = Path(folder) / "ma.wav"
        try:
            subprocess.run(  # noqa: S603 - a fixed program, arguments as a list, no shell
                [program, "-v", "vi", "-s", "125", "-g", "4", "-w", str(path), spoken(text)],
                check=True,
                capture_output=True,
                timeout=10,
            )
            return _halve_rate(path.read_bytes())
        except (OSError, subprocess.SubprocessError):
            return None


def _halve_rate(data):
    """22 kHz speech to 11 kHz (half the bytes for a phone on a weak connection; still clear)."""
    with wave.open(BytesIO(data)) as source:
        params = source.getparams()
        frames = source.readframes(params.nframes)
    if params.sampwidth != 2 or params.nchannels != 1:
        return data
    samples = array("h", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    halved = array("h", ((samples[i] + samples[i + 1]) // 2 for i in range(0, len(samples) - 1, 2)))
    if sys.byteorder == "big":
        halved.byteswap()
    out = BytesIO()
    with wave.open(out, "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(params.framerate // 2)
        target.writeframes(halved.tobytes())
    return out.getvalue()


# Form --------------------------------------------------------------------------------------------


class CaptchaWidget(CaptchaTextInput):
    """Image, refresh button, audio (when espeak-ng is installed), hidden key and the answer box."""

    template_name = "core/widgets/captcha.html"

    def __init__(self, attrs=None, deferred=False):
        self.deferred = deferred
        self.audio = False  # a digits-only challenge with its audio (/gop-y/?nghe=1, without JavaScript)
        # Where "Nghe mã" leads without JavaScript: this form's page drawing a digits-only challenge. A form
        # placed on another (cached) page says which page serves it in full.
        self.listen_url = "?nghe=1"
        self.refused_for = 0  # seconds: too many challenges from this client, none is made
        super().__init__(attrs=attrs)

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        self.audio = self.audio and audio_available()
        key = CaptchaStore.generate_key(audio_challenge if self.audio else None) if not self.refused_for else ""
        self._value = [key, ""]
        self._key = key
        self.id_ = self.build_attrs(attrs).get("id", None)

    def render(self, name, value, attrs=None, renderer=None):
        if self.deferred:
            self._key = ""
            self._value = ["", ""]
            return super(CaptchaTextInput, self).render(name, self._value, attrs=attrs, renderer=renderer)
        return super().render(name, value, attrs=attrs, renderer=renderer)

    def get_context(self, name, value, attrs):
        context = super(CaptchaTextInput, self).get_context(name, value, attrs)
        context["captcha"] = challenge_urls(self._key, audio=self.audio) if self._key else {}
        context["deferred"] = self.deferred
        context["listen_url"] = self.listen_url
        context["audio_available"] = audio_available()
        context["audio_mode"] = self.audio
        context["audio_message"] = MESSAGES["audio"] % {"digits": AUDIO_DIGITS}
        if self.refused_for:
            context["refused_message"] = MESSAGES["too_many"] % {"minutes": minutes(self.refused_for)}
        context["timeout_minutes"] = int(captcha_settings.CAPTCHA_TIMEOUT)
        context["width"], context["height"] = captcha_settings.CAPTCHA_IMAGE_SIZE or (150, 50)
        answer = context["widget"]["subwidgets"][1]["attrs"]
        if self.audio:
            answer["inputmode"] = "numeric"
        return context


class CheckedCaptchaField(CaptchaField):
    """The package's field with distinct Vietnamese messages for wrong, expired and used challenges."""

    def __init__(self, *, deferred=False, **kwargs):
        kwargs.setdefault("widget", CaptchaWidget(deferred=deferred))
        kwargs.setdefault("error_messages", {"required": MESSAGES["required"], "invalid": MESSAGES["wrong"]})
        super().__init__(**kwargs)

    def clean(self, value):
        key, response = (value or ["", ""]) + [""] * (2 - len(value or []))
        response = normalise_answer(response)
        if not response:
            raise ValidationError(MESSAGES["required"], code="required")
        stored = consume(key) if key and "\x00" not in key else None  # NUL: no key (PostgreSQL refuses it)
        if captcha_settings.CAPTCHA_TEST_MODE and response == "passed" and stored is not None:
            return f"{key},"  # the package's test mode (set only by scripts/soak.py): still one use per key
        if stored is None:
            raise ValidationError(MESSAGES["used"], code="used")
        expected, expiration = stored
        if expiration <= timezone.now():
            raise ValidationError(MESSAGES["expired"], code="expired")
        if not secrets.compare_digest(expected.encode(), response.encode()):
            raise ValidationError(MESSAGES["wrong"], code="wrong")
        # Old challenges nobody answered: removed now and then, not on every request.
        if secrets.randbelow(20) == 0:
            CaptchaStore.objects.filter(expiration__lte=timezone.now() - timedelta(minutes=5)).delete()
        return f"{key},"


def challenges():
    """New captcha challenges (form page, refresh, audio) per client, counted in PostgreSQL: a reader needs
    a handful, a script filling the captcha table thousands."""
    return Limit("captcha", settings.CAPTCHA_CHALLENGES_PER_HOUR, timedelta(hours=1))


class ChallengeForm(forms.Form):
    """`?nghe=1` on the challenge URL or the form page: a digits-only challenge, read aloud."""

    nghe = forms.BooleanField(required=False)

    def audio(self):
        return self.is_valid() and self.cleaned_data["nghe"]

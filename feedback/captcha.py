"""django-simple-captcha, adapted to pages served from a shared cache.

- The article page renders the widget *deferred*: no key, no image. static/js/feedback.js asks
  `feedback:challenge` (never cached) for a fresh key when the reader starts on the form.
- The full form page renders a key server-side, so it works without JavaScript.
- Checking a response deletes the challenge with one `DELETE … RETURNING`: a challenge is good for
  exactly one attempt, even when two requests race with the same key (the package's own check
  reads, then deletes, and both racers could pass).
"""

import secrets
from datetime import timedelta

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Letters and digits a reader will not confuse, even on a small noisy image (no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B…).
CHALLENGE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"

MESSAGES = {
    "required": _("Vui lòng nhập mã kiểm tra (các ký tự trong ảnh)."),
    "wrong": _("Mã kiểm tra chưa đúng. Vui lòng nhập các ký tự trong ảnh mới bên dưới."),
    "expired": _("Mã kiểm tra đã hết hạn. Vui lòng nhập các ký tự trong ảnh mới bên dưới."),
    "used": _("Mã kiểm tra đã được dùng hoặc đã hết hạn. Vui lòng nhập các ký tự trong ảnh mới bên dưới."),
}


def challenge():
    """django-simple-captcha challenge function (settings.CAPTCHA_CHALLENGE_FUNCT)."""
    text = "".join(secrets.choice(CHALLENGE_ALPHABET) for _ in range(captcha_settings.CAPTCHA_LENGTH))
    return text, text.lower()


def audio_available():
    return bool(captcha_settings.CAPTCHA_FLITE_PATH)


def challenge_urls(key):
    return {
        "key": key,
        "image_url": reverse("captcha-image", kwargs={"key": key}),
        "image2x_url": reverse("captcha-image-2x", kwargs={"key": key}) if captcha_settings.CAPTCHA_2X_IMAGE else None,
        "audio_url": reverse("captcha-audio", kwargs={"key": key}) if audio_available() else None,
    }


def new_challenge():
    """A fresh challenge: key, image URLs, audio URL (only when flite is installed), lifetime."""
    data = challenge_urls(CaptchaStore.generate_key())
    data["expires_in"] = int(captcha_settings.CAPTCHA_TIMEOUT) * 60
    return data


def consume(key):
    """Delete the challenge `key` and return (response, expiration), or None when there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {CaptchaStore._meta.db_table} WHERE hashkey = %s RETURNING response, expiration",  # noqa: S608
            [key],
        )
        return cursor.fetchone()


class CaptchaWidget(CaptchaTextInput):
    """Image, refresh button, audio link (when available), hidden key and the answer box."""

    template_name = "feedback/widgets/captcha.html"

    def __init__(self, attrs=None, deferred=False):
        self.deferred = deferred
        super().__init__(attrs=attrs)

    def render(self, name, value, attrs=None, renderer=None):
        if self.deferred:
            self._key = ""
            self._value = ["", ""]
            return super(CaptchaTextInput, self).render(name, self._value, attrs=attrs, renderer=renderer)
        return super().render(name, value, attrs=attrs, renderer=renderer)

    def get_context(self, name, value, attrs):
        context = super(CaptchaTextInput, self).get_context(name, value, attrs)
        context["captcha"] = challenge_urls(self._key) if self._key else {}
        context["deferred"] = self.deferred
        context["audio_available"] = audio_available()
        context["timeout_minutes"] = int(captcha_settings.CAPTCHA_TIMEOUT)
        context["width"], context["height"] = captcha_settings.CAPTCHA_IMAGE_SIZE or (150, 50)
        return context


class CheckedCaptchaField(CaptchaField):
    """The package's field with distinct Vietnamese messages for wrong, expired and used challenges."""

    def __init__(self, *, deferred=False, **kwargs):
        kwargs.setdefault("widget", CaptchaWidget(deferred=deferred))
        kwargs.setdefault("error_messages", {"required": MESSAGES["required"], "invalid": MESSAGES["wrong"]})
        super().__init__(**kwargs)

    def clean(self, value):
        key, response = (value or ["", ""]) + [""] * (2 - len(value or []))
        response = (response or "").strip().lower()
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

"""The captcha's views, shared by every public form that has one (feedback, comments on drafts): a fresh
challenge as JSON, its image at 1× and 2×, its Vietnamese audio. Their URLs are core/urls.py's."""

from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from ranged_response import RangedFileResponse  # django-simple-captcha's own dependency

from . import captcha
from .clientip import client_ip_hash
from .ratelimit import Limit, minutes
from .responses import private, retry_later

# Counted in PostgreSQL (core.ratelimit): every worker and every server shares the counts.
AUDIO_PLAYS = Limit("captcha-audio", 60, timedelta(hours=1))  # each one runs espeak-ng; a phone may ask twice per play


@require_GET
def challenge(request):
    """JSON for static/js/feedback.js: a fresh captcha and a CSRF token (and its cookie); `?nghe=1`:
    a digits-only one with its Vietnamese audio. Also answers the package's /captcha/refresh/.

    The pages with a deferred form are cached and shared, so they carry neither."""
    wait = captcha.challenges().hit(client_ip_hash(request))
    if wait:
        message = str(captcha.MESSAGES["too_many"]) % {"minutes": minutes(wait)}
        return retry_later(JsonResponse({"error": "too_many", "message": message}, status=429), wait)
    audio = captcha.ChallengeForm(request.GET).audio()
    return private(JsonResponse({**captcha.new_challenge(audio=audio), "csrf_token": get_token(request)}))


@require_GET
def image(request, key, scale=1):
    """The challenge's image at 1× (CAPTCHA_IMAGE_SIZE) or 2× (twice as many pixels, same drawing)."""
    png = captcha.image_png(key, scale)
    if png is None:
        return HttpResponse(status=410)  # used or expired: gone, as the package answers
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, private=True, max_age=int(settings.CAPTCHA_TIMEOUT) * 60)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def audio(request, key):
    """The digits-only challenge read in Vietnamese, as WAV (byte ranges: Safari plays nothing without)."""
    if not captcha.audio_available():
        raise Http404
    wait = AUDIO_PLAYS.hit(client_ip_hash(request))
    if wait:
        message = str(captcha.MESSAGES["too_many_audio"]) % {"minutes": minutes(wait)}
        return retry_later(HttpResponse(message, status=429, content_type="text/plain; charset=utf-8"), wait)
    sound = captcha.audio_wav(key)
    if sound is None:
        return HttpResponse(status=410)
    response = RangedFileResponse(request, BytesIO(sound), content_type="audio/wav")
    response["Content-Disposition"] = 'inline; filename="ma-kiem-tra.wav"'
    return private(response)

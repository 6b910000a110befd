"""URLs of what core serves itself: the captcha every public form shares (core/captcha_views.py)."""

from django.urls import path, re_path

from . import captcha_views

app_name = "captcha"

urlpatterns = [
    path("gop-y/ma-kiem-tra/", captcha_views.challenge, name="challenge"),
    # django-simple-captcha's URLs, answered by our views (its 0.7.0 cuts letters off the @2 image and
    # its refresh is unlimited): the package only stores and checks challenges (core/captcha.py).
    re_path(r"^captcha/image/(?P<key>\w+)/$", captcha_views.image, {"scale": 1}, name="image"),
    re_path(r"^captcha/image/(?P<key>\w+)@2/$", captcha_views.image, {"scale": 2}, name="image-2x"),
    re_path(r"^captcha/audio/(?P<key>\w+)\.wav$", captcha_views.audio, name="audio"),
    re_path(r"^captcha/refresh/$", captcha_views.challenge, name="refresh"),
]

from django.urls import path, re_path

from . import views

app_name = "feedback"

urlpatterns = [
    path("gop-y/", views.FeedbackCreateView.as_view(), name="create"),
    path("gop-y/da-gui/", views.ThanksView.as_view(), name="thanks"),
    path("gop-y/tra-cuu/", views.LookupView.as_view(), name="lookup"),
    path("gop-y/ma-kiem-tra/", views.challenge, name="challenge"),
    path("hoi-dap/", views.QAListView.as_view(), name="qa"),
    # django-simple-captcha's URLs, answered by our views (its 0.7.0 cuts letters off the @2 image and
    # its refresh is unlimited): the package only stores and checks challenges (core/captcha.py).
    re_path(r"^captcha/image/(?P<key>\w+)/$", views.captcha_image, {"scale": 1}, name="captcha-image"),
    re_path(r"^captcha/image/(?P<key>\w+)@2/$", views.captcha_image, {"scale": 2}, name="captcha-image-2x"),
    re_path(r"^captcha/audio/(?P<key>\w+)\.wav$", views.captcha_audio, name="captcha-audio"),
    re_path(r"^captcha/refresh/$", views.challenge, name="captcha-refresh"),
]

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "rating"

# Inside i18n_patterns (portal/urls.py): /danh-gia/ for the Vietnamese pages' form, /en/rating/ for the English
# ones (routes translated in locale/en), so the answer is in the language of the page the form was sent from.
urlpatterns = [
    path(_("danh-gia/"), views.RatingView.as_view(), name="submit"),
    path(_("danh-gia/cam-on/"), views.ThanksView.as_view(), name="thanks"),
]

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "pages"

# Inside i18n_patterns (portal/urls.py): each route as written in Vietnamese, unprefixed, and as translated in
# locale/en under /en/ (gioi-thieu/ → /en/about/, lien-he/ → /en/contact/). The URLs are a public contract:
# a msgstr here changes an address.
urlpatterns = [
    path(_("gioi-thieu/"), views.AboutView.as_view(), name="about"),
    path(_("lien-he/"), views.ContactView.as_view(), name="contact"),
    # /en/. In Vietnamese the same empty route is "/", the home page (news:home), matched before this one.
    path("", views.EnglishHomeView.as_view(), name="home"),
]

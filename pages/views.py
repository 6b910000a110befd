"""Giới thiệu and Liên hệ, in Vietnamese (/gioi-thieu/, /lien-he/) and English (/en/about/, /en/contact/),
and the English landing page (/en/).

One view per page for both languages. The URLs are i18n_patterns with translated routes (portal/urls.py,
pages/urls.py), and LocaleMiddleware activates the language the URL's prefix names: English under /en/,
Vietnamese everywhere else. The page chrome comes from locale/en, the content from the `_en` fields.
LocaleMiddleware also sets `request.LANGUAGE_CODE`, which tells the stats middleware to fill in the visitor
box in the same language; the page cache therefore holds the Vietnamese pages only (core.pagecache).
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.views.generic import TemplateView

from .footer import footer_contact
from .models import ContactInfo, Leader, Page

# The default settings.SITE_NAME: base.html shows the site name through {% translate %}, so English
# pages name the Department in English (locale/en). Marked here for makemessages.
SITE_NAME_MSGID = gettext_noop("Sở Khoa học và Công nghệ")


def is_english():
    """True on the English pages (the language LocaleMiddleware took from the URL)."""
    return translation.get_language() == "en"


class DepartmentPageView(TemplateView):
    kind = None

    def get_context_data(self, **kwargs):
        english = is_english()
        page = get_object_or_404(Page, kind=self.kind)
        title, summary, body = page.in_language("en" if english else "vi")
        return super().get_context_data(
            page=page,
            page_title=title or (page.get_kind_display() if english else page.title),
            page_summary=summary,
            page_body=body,
            english=english,
            vi_url=page.get_absolute_url(),
            en_url=page.get_english_url(),
            **kwargs,
        )


class AboutView(DepartmentPageView):
    kind = Page.Kind.ABOUT
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        leaders = list(Leader.objects.shown())
        return super().get_context_data(leaders=leaders, has_details=bool(leaders), **kwargs)


class ContactView(DepartmentPageView):
    kind = Page.Kind.CONTACT
    template_name = "pages/contact.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(contact=ContactInfo.load(), has_details=True, **kwargs)


class EnglishHomeView(TemplateView):
    """/en/, the English landing page: who the Department is (the about page's English text), how to reach it
    (the contact record), the English pages, and where the rest is (in Vietnamese). Its Vietnamese
    counterpart, for the language switch, is the home page.

    News, documents, procedures and answers have no English version (no `_en` fields): the page says so and
    links to the Vietnamese sections rather than showing an empty "latest" list."""

    template_name = "pages/home_en.html"

    def get_context_data(self, **kwargs):
        about = Page.objects.filter(kind=Page.Kind.ABOUT).only("kind", "title_en", "summary_en", "body_en").first()
        return super().get_context_data(
            english=is_english(),
            page_title=gettext(settings.SITE_NAME),
            page_summary="",
            about_text=about.description_en if about is not None else "",
            contact=footer_contact(),  # the footer's record, kept in the cache: no query of its own
            has_details=True,
            vi_url=reverse("news:home"),
            en_url=reverse("pages:home"),
            **kwargs,
        )

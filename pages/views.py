"""Giới thiệu and Liên hệ, and their English versions under /en/.

LocaleMiddleware is not installed: Vietnamese everywhere, and these views switch the English ones
on for their own rendering (`translation.override`, locale/en for the page chrome, the `_en`
fields for the content). `request.LANGUAGE_CODE` tells the stats middleware to fill in the
visitor box in the same language.
"""

from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext_noop
from django.views.generic import TemplateView

from .models import ContactInfo, Leader, Page

# The default settings.SITE_NAME: base.html shows the site name through {% translate %}, so English
# pages name the Department in English (locale/en). Marked here for makemessages.
SITE_NAME_MSGID = gettext_noop("Sở Khoa học và Công nghệ")


class LanguageMixin:
    language = "vi"

    def dispatch(self, request, *args, **kwargs):
        request.LANGUAGE_CODE = self.language
        with translation.override(self.language):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse renders lazily, after this block otherwise
        response["Content-Language"] = self.language
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(LANGUAGE_CODE=self.language, **kwargs)


class DepartmentPageView(LanguageMixin, TemplateView):
    kind = None

    def get_context_data(self, **kwargs):
        page = get_object_or_404(Page, kind=self.kind)
        title, summary, body = page.in_language(self.language)
        return super().get_context_data(
            page=page,
            page_title=title or (page.title if self.language == "vi" else page.get_kind_display()),
            page_summary=summary,
            page_body=body,
            english=self.language == "en",
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


class EnglishAboutView(AboutView):
    language = "en"


class EnglishContactView(ContactView):
    language = "en"

"""The rating form's endpoint (/danh-gia/, /en/rating/), its thank-you page, and a page with the form alone.

The form sits in the footer of every page, and most pages are shared through the page cache, so
it carries no CSRF token. The POST is `csrf_exempt` on purpose: a rating gives its sender no
power over anyone's account or data (no login, no session; it only adds one anonymous vote), so
a forged cross-site POST gains nothing that a direct POST from a script would not; the real brake
on stuffing is the per-visitor and per-address limit counted in the database (rating.services).
Cross-site form posts are still refused by their Origin / Sec-Fetch-Site headers (`same_origin`).

With JavaScript (static/js/rating.js) the form is sent with fetch and answered in JSON, in place;
without it the reader gets a thank-you page, or this page with the form, their comment kept.

Answered in the language of the page the form was sent from: the form's action is `{% url 'rating:submit' %}`,
which on an English page is /en/rating/ (i18n_patterns, portal/urls.py), and LocaleMiddleware activates
the language that URL names; the thank-you page it redirects to is reversed in the same language.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from core.clientip import client_ip_hash
from stats.visitors import visitor_from_cookie

from . import services
from .forms import RatingForm

FORM_PREFIX = "rating-page"


def private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def same_origin(request):
    """False for a form posted from another site (the browser says so in Origin or Sec-Fetch-Site)."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # older browsers and non-browser clients; the rate limit still applies
    allowed = {f"{request.scheme}://{request.get_host()}", *getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}
    return origin in allowed


def safe_next(request, value):
    value = value or ""
    if value.startswith("/") and url_has_allowed_host_and_scheme(value, allowed_hosts=None):
        return value
    return reverse("news:home")


class RatingPageMixin:
    """Never stored by any cache, in the language of the URL (LocaleMiddleware), without the footer's form."""

    def dispatch(self, request, *args, **kwargs):
        return private(super().dispatch(request, *args, **kwargs))

    def get_context_data(self, **kwargs):
        return super().get_context_data(hide_rating_footer=True, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")  # see the module's docstring
class RatingView(RatingPageMixin, FormView):
    form_class = RatingForm
    template_name = "rating/page.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "auto_id": f"{FORM_PREFIX}-%s"}

    def wants_json(self):
        return "application/json" in self.request.headers.get("Accept", "")

    def post(self, request, *args, **kwargs):
        if not same_origin(request):
            return HttpResponseForbidden(_("Biểu mẫu đánh giá phải được gửi từ chính cổng thông tin."))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.is_robot:
            return self.done(form)  # nothing stored, nothing told
        rating = form.save(commit=False)
        rating.page = form.cleaned_data["page"]
        rating.language = translation.get_language()  # the page's, from the URL the form was sent to
        ip_hash = client_ip_hash(self.request)
        visitor = visitor_from_cookie(self.request)
        try:
            services.submit(
                rating, visitor=services.visitor_hash(visitor.hex if visitor else "", ip_hash), ip_hash=ip_hash
            )
        except services.RateLimited as limited:
            return self.limited(form, limited)
        return self.done(form)

    def done(self, form):
        message = _("Cảm ơn bạn đã đánh giá! Ý kiến của bạn giúp chúng tôi làm cổng thông tin tốt hơn.")
        if self.wants_json():
            return JsonResponse({"ok": True, "message": message})
        params = {"tiep": form.cleaned_data.get("page") or ""}
        return redirect(f"{reverse('rating:thanks')}?{urlencode(params)}")  # /en/rating/thanks/ in English

    def form_invalid(self, form):
        if self.wants_json():
            errors = {name: [str(error) for error in errors] for name, errors in form.errors.items()}
            first = next(iter(errors.values()))[0]
            return JsonResponse({"ok": False, "message": first, "errors": errors}, status=400)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def limited(self, form, limited):
        message = ngettext(
            "Bạn (hoặc mạng bạn đang dùng) đã gửi đủ %(limit)d đánh giá trong 24 giờ qua nên đánh giá này "
            "chưa được lưu. Vui lòng gửi lại sau khoảng %(hours)d giờ.",
            "Bạn (hoặc mạng bạn đang dùng) đã gửi đủ %(limit)d đánh giá trong 24 giờ qua nên đánh giá này "
            "chưa được lưu. Vui lòng gửi lại sau khoảng %(hours)d giờ.",
            limited.limit,
        ) % {"limit": limited.limit, "hours": limited.hours}
        if self.wants_json():
            response = JsonResponse({"ok": False, "message": message, "limited": True}, status=429)
        else:
            context = self.get_context_data(form=form, limited_message=message)
            response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response


class ThanksView(RatingPageMixin, TemplateView):
    template_name = "rating/thanks.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(next_url=safe_next(self.request, self.request.GET.get("tiep")), **kwargs)

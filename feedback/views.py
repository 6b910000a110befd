from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import FormView, ListView, TemplateView

from core.clientip import client_ip_hash

from . import services
from .captcha import new_challenge
from .forms import ArticleRefForm, FeedbackForm, LookupForm, QASearchForm, ThanksForm
from .models import Feedback

LOOKUP_FAILURES_PER_HOUR = 30
CHALLENGES_PER_HOUR = 120  # a reader needs a handful; a script filling the captcha table needs thousands


def hourly_count(name, request, *, add=True):
    """A per-client counter for the hour, in the shared cache (Redis in production)."""
    key = f"feedback:{name}:{client_ip_hash(request)}"
    if not add:
        return cache.get(key, 0)
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        return 1


def private(response):
    """Per-reader pages: never stored by the page cache, a proxy or the browser."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def challenge(request):
    """JSON for static/js/feedback.js: a fresh captcha and a CSRF token (and its cookie).

    The article page itself is cached and shared, so it carries neither."""
    if hourly_count("challenges", request) > CHALLENGES_PER_HOUR:
        return private(JsonResponse({"error": "too_many"}, status=429))
    return private(JsonResponse({**new_challenge(), "csrf_token": get_token(request)}))


@method_decorator(never_cache, name="dispatch")
class FeedbackCreateView(FormView):
    """/gop-y/: the full form (general, or about `?bai-viet=<id>`), and where every form posts."""

    form_class = FeedbackForm
    template_name = "feedback/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            kwargs["article"] = ArticleRefForm(self.request.GET).article()
        return kwargs

    def post(self, request, *args, **kwargs):
        self.ip_hash = client_ip_hash(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            feedback = services.submit(form.save(commit=False), self.ip_hash)
        except services.RateLimited as limited:
            return self.rate_limited(form, limited)
        # No session (it would take the reader out of the page cache): a signed, short-lived link.
        return redirect(f"{reverse('feedback:thanks')}?{urlencode({'t': ThanksForm.token(feedback.code)})}")

    def rate_limited(self, form, limited):
        # Nothing is stored, but the reader's text stays on the page (to send later or copy).
        response = self.render_to_response(self.get_context_data(form=form, rate_limited=limited), status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response

    def get_context_data(self, **kwargs):
        limits = {"hour": settings.FEEDBACK_RATE_PER_HOUR, "day": settings.FEEDBACK_RATE_PER_DAY}
        return super().get_context_data(limits=limits, **kwargs)

    def render_to_response(self, context, **kwargs):
        return private(super().render_to_response(context, **kwargs))


class ThanksView(TemplateView):
    template_name = "feedback/thanks.html"

    def get(self, request, *args, **kwargs):
        form = ThanksForm(request.GET)
        self.feedback = form.feedback() if form.is_valid() else None
        if self.feedback is None:
            return redirect("feedback:create")
        response = private(super().get(request, *args, **kwargs))
        response["Referrer-Policy"] = "no-referrer"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(feedback=self.feedback, **kwargs)


class LookupView(TemplateView):
    """/gop-y/tra-cuu/?ma=GY-…: status and answer of one submission, for whoever holds its code."""

    template_name = "feedback/lookup.html"

    def get(self, request, *args, **kwargs):
        if hourly_count("lookup-failures", request, add=False) >= LOOKUP_FAILURES_PER_HOUR:
            return private(
                self.render_to_response(self.get_context_data(form=LookupForm(), too_many=True), status=429)
            )
        form = LookupForm(request.GET or None)
        feedback = form.feedback if form.is_valid() else None
        if form.is_bound and feedback is None:
            hourly_count("lookup-failures", request)
        response = self.render_to_response(self.get_context_data(form=form, feedback=feedback))
        response["Referrer-Policy"] = "no-referrer"  # the code is in the URL
        return private(response)


class QAListView(ListView):
    """/hoi-dap/: published questions with the Department's answers, newest first.

    The same for every reader, so it may be served from the page cache."""

    template_name = "feedback/qa.html"
    context_object_name = "items"
    paginate_by = 10

    def get_queryset(self):
        self.search_form = QASearchForm(self.request.GET)
        self.query = self.search_form.query()
        return (
            Feedback.objects.published()
            .search(self.query)
            .select_related("article")
            .only(
                "id",
                "title",
                "content",
                "public_question",
                "answer",
                "answered_unit",
                "answered_at",
                "created_at",
                "article__title",
                "article__slug",
                "article__status",
                "article__publish_at",
            )
            .newest_answers()
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search_form=self.search_form,
            query=self.query,
            query_string=urlencode({"q": self.query}) if self.query else "",
            **kwargs,
        )

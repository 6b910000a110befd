from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView

from core.captcha import ChallengeForm, challenges
from core.clientip import client_ip_hash
from core.ratelimit import Limit, minutes
from core.responses import private, retry_later

from . import services
from .forms import ArticleRefForm, FeedbackForm, LookupForm, QASearchForm, ThanksForm
from .models import Feedback

HOUR = timedelta(hours=1)
# Counted in PostgreSQL (core.ratelimit): every worker and every server shares the counts.
LOOKUP_FAILURES = Limit("lookup-failures", 30, HOUR)  # wrong tracking codes: codes cannot be enumerated


@method_decorator(never_cache, name="dispatch")
class FeedbackCreateView(FormView):
    """/gop-y/: the full form (general, or about `?bai-viet=<id>`), and where every form posts."""

    form_class = FeedbackForm
    template_name = "feedback/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET":
            kwargs["article"] = ArticleRefForm(self.request.GET).article()
            kwargs["audio_captcha"] = ChallengeForm(self.request.GET).audio()  # "Nghe mã" without JavaScript
        return kwargs

    def post(self, request, *args, **kwargs):
        self.ip_hash = client_ip_hash(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            feedback = services.submit(
                form.save(commit=False), self.ip_hash, uploads=form.new_uploads, kept=form.kept_attachments
            )
        except services.RateLimited as limited:
            return self.rate_limited(form, limited)
        # No session (it would take the reader out of the page cache): a signed, short-lived link.
        return redirect(f"{reverse('feedback:thanks')}?{urlencode({'t': ThanksForm.token(feedback.code)})}")

    def form_invalid(self, form):
        form.keep_uploads()  # the files chosen stay chosen while the citizen corrects the rest
        return super().form_invalid(form)

    def rate_limited(self, form, limited):
        # Nothing is stored, but the reader's text (and files) stay on the page (to send later or copy).
        form.keep_uploads()
        response = self.render_to_response(self.get_context_data(form=form, rate_limited=limited), status=429)
        response["Retry-After"] = str(limited.retry_after)
        return response

    def get_context_data(self, **kwargs):
        limits = {"hour": settings.FEEDBACK_RATE_PER_HOUR, "day": settings.FEEDBACK_RATE_PER_DAY}
        return super().get_context_data(limits=limits, **kwargs)

    def render_to_response(self, context, **kwargs):
        # The page draws a new challenge: counted like /gop-y/ma-kiem-tra/; over the limit, the form
        # (with what the reader typed) comes without one, and says when to come back.
        wait = challenges().hit(client_ip_hash(self.request))
        if wait:
            context["form"].fields["captcha"].widget.refused_for = wait
            kwargs["status"] = 429
        response = super().render_to_response(context, **kwargs)
        return retry_later(response, wait) if wait else private(response)


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
        # Past LOOKUP_FAILURES wrong codes, every lookup is refused, right codes too (or guessing would
        # still tell them apart). The client's counts come with the lookup's own query; a failure is counted.
        client, now = client_ip_hash(request), timezone.now()
        form = LookupForm(request.GET or None, queryset=LOOKUP_FAILURES.annotate(Feedback.objects.all(), client, now))
        feedback = form.feedback if form.is_valid() else None
        wait = 0
        if feedback is not None:
            wait = LOOKUP_FAILURES.wait_for(feedback, now)
        elif form.is_bound:
            wait = LOOKUP_FAILURES.hit(client, now)
        if wait:
            context = self.get_context_data(form=LookupForm(), too_many=minutes(wait))
            return retry_later(self.render_to_response(context, status=429), wait)
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
                "public_title",
                "content",
                "public_question",
                "public_answer",
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

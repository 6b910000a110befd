from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.generic import DetailView, TemplateView

from core.captcha import ChallengeForm, challenges
from core.clientip import client_ip_hash
from core.publishing import can_preview
from core.ratelimit import Limit, minutes

from .forms import CommentForm, PhaseForm
from .models import Consultation, Phase

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
# Counted in PostgreSQL (core.ratelimit), shared by every worker and server.
COMMENTS_PER_HOUR = Limit("consultation-hour", 5, HOUR)
COMMENTS_PER_DAY = Limit("consultation-day", 20, DAY)
PAGE_SIZE = 20


def private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


class ConsultationListView(TemplateView):
    """/lay-y-kien/: published drafts, newest first, with their phase (đang lấy ý kiến / đã kết thúc)."""

    template_name = "consultation/list.html"

    def get_context_data(self, **kwargs):
        form = PhaseForm(self.request.GET)
        phase = form.phase()
        consultations = Consultation.objects.published().in_phase(phase).defer("search_vector", "report").newest()
        page = Paginator(consultations, PAGE_SIZE).get_page(self.request.GET.get("page"))
        now = timezone.now()
        items = list(page.object_list)
        for item in items:
            item.current_phase = item.phase(now)
        return super().get_context_data(
            form=form,
            phase=phase,
            phases=Phase,
            page_obj=page,
            consultations=items,
            is_paginated=page.has_other_pages(),
            query_string=f"trang-thai={phase}" if phase else "",
            **kwargs,
        )


class ConsultationDetailView(DetailView):
    """/lay-y-kien/<slug>/: the draft, its files and period, the published comments, the comment form while
    open, and after the deadline the summary report once published. Never cached (the form has a captcha)."""

    template_name = "consultation/detail.html"
    context_object_name = "consultation"

    def get_queryset(self):
        consultations = Consultation.objects.defer("search_vector").annotate(
            public_count=Count("comments", filter=Q(comments__is_public=True)),
            received_count=Count("comments"),
        )
        if can_preview(self.request, "consultation.change_consultation"):
            return consultations
        return consultations.published()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = CommentForm(audio_captcha=ChallengeForm(request.GET).audio()) if self.object.is_open else None
        return self.respond(form)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_open:
            return self.respond(None, closed_meanwhile=True, status=409)
        form = CommentForm(request.POST)
        if not form.is_valid():
            return self.respond(form, status=400)
        client = client_ip_hash(request)
        wait = max(COMMENTS_PER_HOUR.hit(client), COMMENTS_PER_DAY.hit(client))
        if wait:
            response = self.respond(form, too_many=minutes(wait), status=429)
            response["Retry-After"] = str(wait)
            return response
        comment = form.save(commit=False)
        comment.consultation = self.object
        comment.ip_hash = client
        comment.save()
        return HttpResponseRedirect(f"{self.object.get_absolute_url()}?da-gui=1#gop-y")

    def respond(self, form, status=200, **extra):
        consultation = self.object
        if form is not None:
            # A new captcha is drawn: counted like feedback's challenges; over the limit the form (with
            # what was typed) comes without one and says when to come back.
            wait = challenges().hit(client_ip_hash(self.request))
            if wait:
                form.fields["captcha"].widget.refused_for = wait
                status = 429
        context = self.get_context_data(
            object=consultation,
            form=form,
            sent=self.request.method == "GET" and self.request.GET.get("da-gui") == "1",
            phase=consultation.phase(),
            phases=Phase,
            files=list(consultation.files.all()),
            comments=list(
                consultation.comments.public().only(
                    "consultation_id", "name", "organisation", "content", "response", "created_at"
                )
            ),
            preview=consultation.status != Consultation.Status.PUBLISHED or consultation.publish_at > timezone.now(),
            **extra,
        )
        return private(self.render_to_response(context, status=status))


def consultation_preview(request, consultation):
    """The admin's "Xem trước" (core/workflow): the draft's page as citizens will see it once `consultation` (in
    memory, maybe unsaved or a working copy) is published; no comment form, never cached."""
    if not consultation.opens_at or not consultation.closes_at:
        consultation.opens_at = consultation.opens_at or timezone.now()
        consultation.closes_at = consultation.closes_at or consultation.opens_at + DAY
    consultation.slug = consultation.slug or "xem-truoc"  # (not saved yet: the page's links need one)
    consultation.public_count = consultation.received_count = 0
    if consultation.pk:
        consultation.public_count = consultation.comments.public().count()
        consultation.received_count = consultation.comments.count()
    context = {
        "consultation": consultation,
        "object": consultation,
        "form": None,
        "phase": consultation.phase(),
        "phases": Phase,
        "files": list(consultation.files.all()) if consultation.pk else [],
        "comments": list(consultation.comments.public()) if consultation.pk else [],
        "preview": True,
    }
    return private(TemplateResponse(request, ConsultationDetailView.template_name, context))

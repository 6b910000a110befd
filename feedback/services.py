"""Rules of the feedback app: storing a submission under the rate limit, and the e-mails.

E-mails go into the outbox (core/mail.py) inside the transaction that stores what they are about: a
reader is only thanked for what is stored, and the mail server, slow or down, is the mail sender's
business, never the request's."""

import hashlib
import logging
import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Min, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import attachments
from .codes import new_code
from .models import GROUP_NAME, Attachment, Feedback

logger = logging.getLogger(__name__)

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
CODE_ATTEMPTS = 8
# First key of pg_advisory_xact_lock(int, int): "feedback rate limit" (the second is the client).
LOCK_NAMESPACE = 0x6779  # "gy"


class RateLimited(Exception):
    def __init__(self, retry_after):
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds

    @property
    def minutes(self):
        return max(1, math.ceil(self.retry_after / 60))


@dataclass(frozen=True)
class Usage:
    hour: int
    day: int
    oldest_in_hour: object
    oldest_in_day: object


def usage(ip_hash, now):
    row = Feedback.objects.from_client(ip_hash, now - DAY).aggregate(
        day=Count("id"),
        hour=Count("id", filter=Q(created_at__gt=now - HOUR)),
        oldest_in_day=Min("created_at"),
        oldest_in_hour=Min("created_at", filter=Q(created_at__gt=now - HOUR)),
    )
    return Usage(**row)


def retry_after(ip_hash, now=None):
    """Seconds until this client may send again, or 0 when it may send now."""
    now = now or timezone.now()
    used = usage(ip_hash, now)
    waits = []
    if used.hour >= settings.FEEDBACK_RATE_PER_HOUR:
        waits.append(used.oldest_in_hour + HOUR - now)
    if used.day >= settings.FEEDBACK_RATE_PER_DAY:
        waits.append(used.oldest_in_day + DAY - now)
    if not waits:
        return 0
    return max(1, math.ceil(max(waits).total_seconds()))


def _lock_client(ip_hash):
    """Serialise submissions of one client until the transaction ends, so two simultaneous
    requests cannot both see "4 this hour" and both be stored."""
    client = int.from_bytes(hashlib.sha256(ip_hash.encode()).digest()[:4], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, client])


def _save_with_new_code(feedback):
    for _attempt in range(CODE_ATTEMPTS):
        feedback.code = new_code()
        try:
            with transaction.atomic():  # a savepoint: a taken code only undoes this insert
                feedback.save(force_insert=True)
            return feedback
        except IntegrityError as error:
            constraint = getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") or ""
            if "code" not in constraint:
                raise
            logger.warning("Tracking code collision on %s, drawing another", feedback.code)
            feedback.pk = None
    raise RuntimeError("Could not draw a free tracking code")


def submit(feedback, ip_hash, *, uploads=(), kept=()):
    """Store a reader's submission (an unsaved Feedback) for the client `ip_hash`, with its checked new
    `uploads` (feedback.attachments.Upload) and the attachments `kept` from an earlier attempt.

    Raises RateLimited, storing nothing, past FEEDBACK_RATE_PER_HOUR / FEEDBACK_RATE_PER_DAY."""
    with transaction.atomic():
        _lock_client(ip_hash)
        now = timezone.now()
        wait = retry_after(ip_hash, now)
        if wait:
            raise RateLimited(wait)
        feedback.ip_hash = ip_hash
        feedback.created_at = now
        feedback.status = Feedback.Status.NEW
        _save_with_new_code(feedback)
        kept = [*kept, *attachments.keep(uploads)]
        Attachment.objects.pending().filter(pk__in=[a.pk for a in kept]).update(feedback=feedback)
        notify_received(feedback)
    return feedback


# E-mail ------------------------------------------------------------------------------------------


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def templated(template, recipients, context):
    """The e-mail feedback/email/<template>.txt (+ .html) to recipients, or None without recipients."""
    if not recipients:
        return None
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"feedback/email/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"feedback/email/{template}.txt", context),
        to=list(recipients),
    )
    message.attach_alternative(render_to_string(f"feedback/email/{template}.html", context), "text/html")
    return message


def send(*messages):
    """Send these e-mails (None: skipped). EMAIL_BACKEND is the outbox (core/mail.py): they become rows in
    the caller's transaction, never a wait for the mail server. Returns how many were queued."""
    messages = [message for message in messages if message is not None]
    return get_connection().send_messages(messages) if messages else 0


def send_templated(template, recipients, context):
    """Queue one templated e-mail; False when there is nobody to send it to."""
    return bool(send(templated(template, recipients, context)))


def staff_recipients():
    users = get_user_model().objects.filter(groups__name=GROUP_NAME, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify_received(feedback):
    """In the transaction that stores it: the citizen gets the tracking code, the group gets the new item."""
    context = {
        "feedback": feedback,
        "lookup_url": absolute(feedback.get_absolute_url()),
        "admin_url": absolute(reverse("admin:feedback_feedback_change", args=[feedback.pk])),
        "article_url": absolute(feedback.article.get_absolute_url()) if feedback.article else "",
    }
    send(
        templated("received", [feedback.email], context) if feedback.email else None,
        templated("new_staff", staff_recipients(), context),
    )


def notify_answered(feedback):
    """In the transaction that saves the answer: the citizen who left an e-mail gets it."""
    if not feedback.email or not feedback.answer:
        return
    context = {
        "feedback": feedback,
        "lookup_url": absolute(feedback.get_absolute_url()),
        "public_url": absolute(feedback.get_public_url()) if feedback.is_public else "",
    }
    send_templated("answered", [feedback.email], context)


# Staff -------------------------------------------------------------------------------------------


def status_after_answer(status, answer, *, answer_changed):
    """Writing an answer to an open item answers it; a rejection with reasons stays a rejection."""
    if answer_changed and answer and status in Feedback.OPEN_STATUSES:
        return Feedback.Status.ANSWERED
    return status


def record_answer(feedback, user, *, answer_changed):
    """Stamp who answered and when. Call inside the save's transaction: the citizen who left an
    e-mail gets the (new or corrected) answer, queued in that transaction (so not if it rolls back)."""
    if not answer_changed or not feedback.answer:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_answer() belongs inside the transaction that saves the answer")
    feedback.answered_by = user
    feedback.answered_at = timezone.now()
    notify_answered(feedback)


def forget_contact_details(now=None):
    """Decree 13/2023/NĐ-CP: a citizen's name, e-mail and phone serve the answer and nothing after it.

    FEEDBACK_CONTACT_RETENTION_DAYS after the answer (after sending, for items closed without one:
    rejected, spam) they are blanked, and so is the internal note (staff write phone numbers there), and
    the files the citizen attached are deleted. A question published on /hoi-dap/ then keeps only its
    public version: the original title, wording and answer (which may name people or give a phone number)
    are replaced by the public ones. The
    question and the answer otherwise stay (the record of the Department's work). Open items keep all.
    Returns (items whose contact details were removed, published items reduced to their public version)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.FEEDBACK_CONTACT_RETENTION_DAYS)
    closed = Q(status=Feedback.Status.ANSWERED, answered_at__lt=cutoff) | Q(
        status__in=[Feedback.Status.REJECTED, Feedback.Status.SPAM], created_at__lt=cutoff
    )
    with transaction.atomic():
        due = Feedback.objects.filter(closed)
        published = (
            due.filter(is_public=True)
            .exclude(public_question="", public_title="", answer=F("public_answer"))
            .update(
                content=Coalesce(NullIf("public_question", Value("")), "content"),
                public_question="",
                title=Coalesce(NullIf("public_title", Value("")), "title"),
                public_title="",
                answer=F("public_answer"),
            )
        )
        contacts = due.exclude(name="", email="", phone="", staff_note="").update(
            name="", email="", phone="", staff_note=""
        )
        files = list(Attachment.objects.filter(feedback__in=due))
        Attachment.objects.filter(pk__in=[a.pk for a in files]).delete()
        transaction.on_commit(lambda: attachments.delete_files(files))
    return contacts, published

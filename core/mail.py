"""The mail outbox: every e-mail the portal sends is first a row in PostgreSQL, and a process of its own
(`manage.py mail_sender`, core/mailsender.py) delivers it, so a slow or absent mail server never holds a
request (docs/deploy.md, "Mail").

- `EMAIL_BACKEND` is `OutboxBackend`: `send_mail`, `EmailMessage.send()`, `mail_admins`, Django's and the
  libraries' alike, insert a row on the request's database connection, inside its transaction: an e-mail
  about something rolled back never leaves. The same transaction wakes the sender (`pg_notify`, which
  PostgreSQL delivers only when the transaction commits).
- The sender delivers each due message through `MAIL_DELIVERY_BACKEND` (SMTP in production, every call
  bounded by `EMAIL_TIMEOUT`) in a transaction of its own that holds the row (`FOR UPDATE SKIP LOCKED`):
  several senders, on several servers, never send one message twice.
- A failed attempt is tried again after 1, 2, 4, 8, 16, 32 minutes, then every hour; after
  `MAIL_MAX_ATTEMPTS` attempts (or a refusal of every recipient) the message is marked failed. The admin's
  "Thư đi" lists queued and failed messages with their last error, and "Gửi lại" queues them again.
"""

import base64
import logging
import smtplib
from datetime import timedelta
from email.mime.base import MIMEBase
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connections, models, router, transaction
from django.db.models import F, Func, Min, Value
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# The channel the enqueuing transaction notifies and the sender listens on.
CHANNEL = "portal_mail"
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
ERROR_LENGTH = 2000


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def permanent(error):
    """True for an answer no retry will change: the server refused every recipient for good (5xx)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _reply in error.recipients.values())
    return False


class OutgoingMailQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now)

    def next_due_at(self):
        return self.filter(status=OutgoingMail.Status.QUEUED).aggregate(at=Min("next_attempt_at"))["at"]

    def with_recipients(self):
        """`recipients`: the To addresses as one text, for searching ("a@x, b@y")."""
        return self.alias(
            recipients=Func(F("to"), Value(", "), function="array_to_string", output_field=models.TextField())
        )

    def retry(self, now=None):
        """Queue these (failed or waiting) messages to be sent at once; returns how many. A message tried
        MAIL_MAX_ATTEMPTS times already gets this one attempt more, then is marked failed again."""
        count = self.exclude(status=OutgoingMail.Status.SENT).update(
            status=OutgoingMail.Status.QUEUED, next_attempt_at=now or timezone.now()
        )
        if count:
            wake_sender(self.db)
        return count


class OutgoingMail(models.Model):
    """One e-mail, as the code built it, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Không gửi được")

    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần đã thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lần tới lúc"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("thử lần cuối lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi lần cuối"), blank=True)

    from_email = models.TextField(_("người gửi"))
    to = ArrayField(models.TextField(), verbose_name=_("người nhận"), default=list)
    cc = ArrayField(models.TextField(), verbose_name="Cc", default=list, blank=True)
    bcc = ArrayField(models.TextField(), verbose_name="Bcc", default=list, blank=True)
    reply_to = ArrayField(models.TextField(), verbose_name=_("trả lời tới"), default=list, blank=True)
    subject = models.TextField(_("tiêu đề"))
    body = models.TextField(_("nội dung"), blank=True)
    content_subtype = models.CharField(max_length=20, default="plain")
    # [[content, mimetype], …]: the HTML version of the text, as EmailMultiAlternatives keeps it.
    alternatives = models.JSONField(default=list, blank=True)
    # [[filename, base64 content, mimetype], …]
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        verbose_name = _("thư đi")
        verbose_name_plural = _("thư đi")
        ordering = ["-created_at", "-pk"]
        default_permissions = ("view", "delete")
        permissions = [("retry_outgoingmail", _("Có thể gửi lại thư"))]
        indexes = [
            # What the sender asks for each round: the queued messages, soonest first.
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="queued"), name="core_mail_queued_due"),
        ]

    def __str__(self):
        return self.subject

    @classmethod
    def from_message(cls, message):
        """An unsaved row holding `message` (an EmailMessage): its addresses, text, HTML version,
        attachments and headers. Raises (BadHeaderError, …) at once, as sending it would."""
        # Made here, not when the sender builds the message: the Date is when it was written (not hours
        # later after a retry), a message sent again after a crash keeps its Message-ID, and Django does not
        # look up the host's name (which can take seconds) in the request.
        headers = dict(message.extra_headers)  # a copy: the caller's dict may be shared by other messages
        names = {name.lower() for name in headers}
        if "date" not in names:
            headers["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        if "message-id" not in names:
            headers["Message-ID"] = make_msgid(
                domain=urlsplit(getattr(settings, "SITE_URL", "")).hostname or "localhost"
            )
        message.extra_headers = headers
        message.message()  # the same checks as sending (header injection, encodings)
        return cls(
            from_email=str(message.from_email),
            to=[str(address) for address in message.to],
            cc=[str(address) for address in message.cc],
            bcc=[str(address) for address in message.bcc],
            reply_to=[str(address) for address in message.reply_to],
            subject=str(message.subject),
            body=str(message.body),
            content_subtype=message.content_subtype,
            alternatives=[[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])],
            attachments=[_attachment(item) for item in message.attachments],
            headers={name: str(value) for name, value in headers.items()},
        )

    def to_message(self):
        """The EmailMessage again, ready for a delivery backend."""
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            from_email=self.from_email,
            to=self.to,
            cc=self.cc,
            bcc=self.bcc,
            reply_to=self.reply_to,
            headers=self.headers,
            alternatives=[tuple(item) for item in self.alternatives],
        )
        message.content_subtype = self.content_subtype
        for filename, content, mimetype in self.attachments:
            message.attach(filename, base64.b64decode(content), mimetype)
        return message

    def recipients(self):
        return [*self.to, *self.cc, *self.bcc]

    def delivered(self, now):
        self.status = self.Status.SENT
        self.attempts += 1
        self.last_attempt_at = self.sent_at = now
        self.last_error = ""
        self.save(update_fields=["status", "attempts", "last_attempt_at", "sent_at", "last_error"])

    def attempt_failed(self, now, error):
        """Count the attempt; try again later (retry_delay) or, past the last attempt, mark it failed."""
        self.attempts += 1
        self.last_attempt_at = now
        self.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        if self.attempts >= settings.MAIL_MAX_ATTEMPTS or permanent(error):
            self.status = self.Status.FAILED
        else:
            self.next_attempt_at = now + retry_delay(self.attempts)
        self.save(update_fields=["status", "attempts", "last_attempt_at", "last_error", "next_attempt_at"])


def _attachment(item):
    if isinstance(item, MIMEBase):
        return [
            item.get_filename() or "",
            base64.b64encode(item.get_payload(decode=True) or b"").decode(),
            item.get_content_type(),
        ]
    filename, content, mimetype = item
    if isinstance(content, str):
        content = content.encode()
    return [filename or "", base64.b64encode(content).decode(), mimetype or "application/octet-stream"]


def wake_sender(using="default"):
    """Tell a waiting sender that there is mail; PostgreSQL delivers it when the transaction commits."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])


def enqueue(messages):
    """Put EmailMessages in the outbox (those without any recipient are dropped, as Django's SMTP backend
    drops them); returns how many were queued."""
    rows = [OutgoingMail.from_message(message) for message in messages if message.recipients()]
    if not rows:
        return 0
    using = router.db_for_write(OutgoingMail)
    with transaction.atomic(using=using, savepoint=False):  # the rows and the wake-up go together
        OutgoingMail.objects.using(using).bulk_create(rows)
        wake_sender(using)
    return len(rows)


class OutboxBackend(BaseEmailBackend):
    """EMAIL_BACKEND of the portal: sending a message queues it (see the module's docstring)."""

    def send_messages(self, email_messages):
        try:
            return enqueue(email_messages)
        except Exception:
            if not self.fail_silently:
                raise
            logger.exception("Could not queue %d e-mail(s)", len(email_messages))
            return 0


def delivery_backend():
    """The backend the sender delivers through (MAIL_DELIVERY_BACKEND), never the outbox itself."""
    path = settings.MAIL_DELIVERY_BACKEND
    if issubclass(import_string(path), OutboxBackend):
        raise ImproperlyConfigured("MAIL_DELIVERY_BACKEND cannot be the outbox itself (a loop): name a real backend.")
    return path


def send_due(now=None, *, limit=100):
    """Deliver up to `limit` messages due at `now` (default: now), one transaction each.

    Returns {"sent": n, "retry": n, "failed": n}. A message another sender holds is skipped, not waited for.
    Each message gets its own connection: a failure never leaves a half-used one behind for the next."""
    now = now or timezone.now()
    backend = delivery_backend()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for _round in range(limit):
        with transaction.atomic():
            mail = (
                OutgoingMail.objects.due(now)
                .select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if mail is None:
                break
            try:
                get_connection(backend, fail_silently=False).send_messages([mail.to_message()])
            except Exception as error:  # noqa: BLE001 - any failure of this message: counted, kept, retried
                mail.attempt_failed(now, error)
                outcome = "failed" if mail.status == OutgoingMail.Status.FAILED else "retry"
                logger.warning(
                    "Could not send mail #%s (attempt %s of %s, %s): %s",
                    mail.pk,
                    mail.attempts,
                    settings.MAIL_MAX_ATTEMPTS,
                    "given up"
                    if outcome == "failed"
                    else f"next at {timezone.localtime(mail.next_attempt_at):%H:%M:%S}",
                    mail.last_error,
                )
            else:
                mail.delivered(now)
                outcome = "sent"
                logger.info("Sent mail #%s to %d recipient(s)", mail.pk, len(mail.recipients()))
        counts[outcome] += 1
    return counts


def purge(now=None):
    """Forget sent and failed messages older than MAIL_KEEP_DAYS (their bodies hold personal data);
    returns how many were deleted."""
    now = now or timezone.now()
    old = OutgoingMail.objects.exclude(status=OutgoingMail.Status.QUEUED).filter(
        created_at__lt=now - timedelta(days=settings.MAIL_KEEP_DAYS)
    )
    return old.delete()[0]

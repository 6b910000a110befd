"""The shared bases every published thing uses, and the content version all caches are keyed by."""

import contextlib

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from . import publishing


class Stamped(models.Model):
    """When a row was created and last changed, and by whom (the admin stamps the users in save_model)."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class StoredFile(models.Model):
    """A downloadable document (an article's attachment, a legal document's file): its size and place in
    the list are kept, and it shows as its title, or its file name."""

    size = models.PositiveBigIntegerField(_("dung lượng"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return self.title or self.filename

    def save(self, *args, **kwargs):
        if self.file:
            with contextlib.suppress(OSError):
                self.size = self.file.size
        if not self.title and self.file:
            self.title = self.filename
        super().save(*args, **kwargs)

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self):
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""


class ContentVersion(models.Model):
    """One row: the version of everything public pages show.

    Any change to articles, categories or attachments bumps `version`, and cached
    pages are keyed by it, so every worker and server sees a change at once. The
    database, not a process-local cache, holds it: with several gunicorn workers
    each keeping a local-memory cache, the worker that saved an article is not the
    one that must forget the old page. `next_publish_at` is the time of the next
    scheduled item (core.publishing), when pages must change by themselves.
    """

    version = models.BigIntegerField(default=1)
    next_publish_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản nội dung")
        verbose_name_plural = _("phiên bản nội dung")

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def bump(cls):
        """Start a new version and record the next scheduled publication, in one statement.

        The version is the time in milliseconds (or one more than the last, if that is later): it
        only grows, also when a backup is restored, so no process ever meets an old version again
        and takes the pages and fragments it remembers for it as current."""
        next_publish_at = publishing.next_scheduled_publication()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO core_contentversion (id, version, next_publish_at)
                VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, %s)
                ON CONFLICT (id) DO UPDATE SET
                    version = GREATEST(core_contentversion.version + 1,
                                       (extract(epoch FROM clock_timestamp()) * 1000)::bigint),
                    next_publish_at = EXCLUDED.next_publish_at
                RETURNING version, next_publish_at
                """,
                [next_publish_at],
            )
            return cursor.fetchone()

    @classmethod
    def current(cls):
        with connection.cursor() as cursor:
            cursor.execute("SELECT version, next_publish_at FROM core_contentversion WHERE id = 1")
            row = cursor.fetchone()
        return row or cls.bump()


class RateCounter(models.Model):
    """Requests of one client in one fixed window of one rate limit (core.ratelimit).

    Kept in PostgreSQL so every worker and every server counts the same requests. `client` is a
    salted hash (never an address); a row is deleted once `expires_at` has passed."""

    scope = models.CharField(_("giới hạn"), max_length=40)
    client = models.CharField(_("người dùng (mã băm)"), max_length=64)
    window_start = models.DateTimeField(_("đầu khoảng"))
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    hits = models.PositiveIntegerField(_("số lần"), default=0)

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = _("bộ đếm giới hạn truy cập")
        constraints = [
            models.UniqueConstraint(fields=["scope", "client", "window_start"], name="core_ratecounter_window"),
        ]

    def __str__(self):
        return f"{self.scope} {self.client[:8]} {self.window_start:%Y-%m-%d %H:%M}: {self.hits}"


from .mail import OutgoingMail  # noqa: E402, F401  the outbox's model lives with its backend and sender

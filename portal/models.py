from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row: the version of everything public pages show.

    Any change to articles, categories or attachments bumps `version`, and cached
    pages are keyed by it, so every worker and server sees a change at once. The
    database, not a process-local cache, holds it: with several gunicorn workers
    each keeping a local-memory cache, the worker that saved an article is not the
    one that must forget the old page. `next_publish_at` is the time of the next
    scheduled article, when pages must change by themselves.
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
        """Start a new version and recompute the next scheduled publication, in one statement.

        The version is the time in milliseconds (or one more than the last, if that is later): it
        only grows, also when a backup is restored, so no process ever meets an old version again
        and takes the pages and fragments it remembers for it as current."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO portal_contentversion (id, version, next_publish_at)
                VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint,
                        (SELECT min(publish_at) FROM news_article
                         WHERE status = 'published' AND publish_at > now()))
                ON CONFLICT (id) DO UPDATE SET
                    version = GREATEST(portal_contentversion.version + 1,
                                       (extract(epoch FROM clock_timestamp()) * 1000)::bigint),
                    next_publish_at = EXCLUDED.next_publish_at
                RETURNING version, next_publish_at
                """
            )
            return cursor.fetchone()

    @classmethod
    def current(cls):
        with connection.cursor() as cursor:
            cursor.execute("SELECT version, next_publish_at FROM portal_contentversion WHERE id = 1")
            row = cursor.fetchone()
        return row or cls.bump()

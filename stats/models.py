"""Narrow counting tables. They hold article ids, never foreign keys into `news`: stats works on ids
and an article's row is never written when someone reads it.

Every counter is changed by one atomic SQL statement (INSERT … ON CONFLICT … RETURNING, a batch of
views at a time: `stats.buffer`), so parallel workers never lose an increment. Nothing here is
indexed that the hot path updates, which keeps those updates HOT (heap-only) and cheap.

A popular article's counters are spread over a few shard rows (STATS_COUNTER_SHARDS; the shard
comes from the worker's process id) so that parallel batches do not queue on one row lock; its
count is the sum of its rows. `stats_rollup` folds the shards back into shard 0.

What a counted view writes: its de-duplication row, the article's total and day (one shard each),
and the visitor's row for the day (which also says when they were last seen). Visits per day and
"Đang truy cập" are counted from the visitor rows; `stats_rollup` closes finished days into
`DailyTraffic` and lets their visitor rows go.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleViews(models.Model):
    """All-time view count of one article (the "Lượt xem" number): the sum of its shard rows."""

    pk = models.CompositePrimaryKey("article_id", "shard")
    article_id = models.BigIntegerField(_("mã bài viết"))
    shard = models.SmallIntegerField(_("phân mảnh"), default=0)
    views = models.BigIntegerField(_("lượt xem"), default=0)

    class Meta:
        db_table = "stats_articleviews"
        verbose_name = _("lượt xem bài viết")
        verbose_name_plural = _("lượt xem bài viết")
        default_permissions = ()

    def __str__(self):
        return f"#{self.article_id}/{self.shard}: {self.views}"


class ArticleDayQuerySet(models.QuerySet):
    def between(self, start, end):
        """The rows of the days from start to end, both included."""
        return self.filter(day__range=(start, end))

    def ranked(self):
        """(article id, views) of each article, most read first (ties: the lower id first)."""
        return (
            self.values("article_id")
            .annotate(total=models.Sum("views"))
            .order_by("-total", "article_id")
            .values_list("article_id", "total")
        )


class ArticleDay(models.Model):
    """Views of one article on one day (Vietnam time): "Đọc nhiều", top articles of a period.

    Sharded like ArticleViews: the day's views are the sum of its rows."""

    pk = models.CompositePrimaryKey("article_id", "day", "shard")
    article_id = models.BigIntegerField(_("mã bài viết"))
    day = models.DateField(_("ngày"))
    shard = models.SmallIntegerField(_("phân mảnh"), default=0)
    views = models.IntegerField(_("lượt xem"), default=0)

    objects = ArticleDayQuerySet.as_manager()

    class Meta:
        db_table = "stats_articleday"
        verbose_name = _("lượt xem bài viết theo ngày")
        verbose_name_plural = _("lượt xem bài viết theo ngày")
        default_permissions = ()
        indexes = [models.Index(fields=["day"], name="stats_articleday_day_idx")]

    def __str__(self):
        return f"#{self.article_id} {self.day:%d/%m/%Y}: {self.views}"


class DailyTraffic(models.Model):
    """A closed day (Vietnam time): visits (distinct visitors that day) and counted article views.

    Written by `stats_rollup` when a day is over (today and yesterday are counted live from
    VisitorDay and ArticleDay; see `stats.services.traffic`)."""

    day = models.DateField(_("ngày"), primary_key=True)
    visits = models.IntegerField(_("lượt truy cập"), default=0)
    views = models.IntegerField(_("lượt xem bài viết"), default=0)
    # The day's visits by the kind of device (from the browser's User-Agent; nothing else is kept).
    phone_visits = models.IntegerField(_("lượt truy cập từ điện thoại"), default=0, db_default=0)
    tablet_visits = models.IntegerField(_("lượt truy cập từ máy tính bảng"), default=0, db_default=0)
    desktop_visits = models.IntegerField(_("lượt truy cập từ máy tính"), default=0, db_default=0)

    class Meta:
        db_table = "stats_dailytraffic"
        verbose_name = _("lượt truy cập theo ngày")
        verbose_name_plural = _("lượt truy cập theo ngày")
        ordering = ["-day"]
        default_permissions = ()

    def __str__(self):
        return f"{self.day:%d/%m/%Y}: {self.visits} / {self.views}"


class VisitorDay(models.Model):
    """Which visitors came on which day, and when they were last seen ("Đang truy cập").

    Makes daily visits exact. Kept while the day is open (today and yesterday), then closed into
    DailyTraffic by `stats_rollup`."""

    pk = models.CompositePrimaryKey("day", "visitor")
    day = models.DateField(_("ngày"))
    visitor = models.UUIDField(_("khách"))
    last_seen = models.DateTimeField(_("lần cuối"))
    # stats.visitors.Device of the browser the visitor first came with that day (0: not known).
    device = models.SmallIntegerField(_("loại thiết bị"), default=0, db_default=0)

    class Meta:
        db_table = "stats_visitorday"
        verbose_name = _("khách theo ngày")
        verbose_name_plural = _("khách theo ngày")
        default_permissions = ()

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.visitor}"


class ViewDedup(models.Model):
    """Last counted view of an article by a visitor: a re-read within the window does not count."""

    pk = models.CompositePrimaryKey("visitor", "article_id")
    visitor = models.UUIDField(_("khách"))
    article_id = models.BigIntegerField(_("mã bài viết"))
    viewed_at = models.DateTimeField(_("thời điểm tính lượt xem"))

    class Meta:
        db_table = "stats_viewdedup"
        verbose_name = _("lượt xem gần đây")
        verbose_name_plural = _("lượt xem gần đây")
        default_permissions = ()

    def __str__(self):
        return f"{self.visitor} #{self.article_id} {self.viewed_at:%H:%M:%S}"


class CookielessMinute(models.Model):
    """Views counted this minute of an article from one client address without the visitor cookie: the
    batch statement (`stats.buffer`) counts at most STATS_COOKIELESS_PER_MINUTE of them, whichever
    worker or server took them. The client is a salted hash (core.clientip), never an address; rows
    older than the last minute are deleted by the statement itself and by `stats_rollup`."""

    pk = models.CompositePrimaryKey("minute", "article_id", "client")
    minute = models.IntegerField(_("phút (tính từ 1970)"))
    article_id = models.BigIntegerField(_("mã bài viết"))
    client = models.CharField(_("địa chỉ mạng (đã băm)"), max_length=64)
    views = models.IntegerField(_("lượt xem không cookie"), default=0)

    class Meta:
        db_table = "stats_cookielessminute"
        verbose_name = _("lượt xem không cookie theo phút")
        verbose_name_plural = _("lượt xem không cookie theo phút")
        default_permissions = ()

    def __str__(self):
        return f"{self.minute} #{self.article_id}: {self.views}"


class SearchDay(models.Model):
    """How often a search was made on a day, and how often it found nothing: the dashboard's top
    searches. Only the words (lower case, at most 100 characters) and counts; no reader, no address.
    Kept STATS_SEARCH_DAYS days (`stats_rollup` deletes older rows)."""

    pk = models.CompositePrimaryKey("day", "query")
    day = models.DateField(_("ngày"))
    query = models.CharField(_("từ khoá"), max_length=100)
    searches = models.IntegerField(_("số lần tìm"), default=0)
    empty = models.IntegerField(_("số lần không thấy kết quả"), default=0)

    class Meta:
        db_table = "stats_searchday"
        verbose_name = _("từ khoá tìm kiếm theo ngày")
        verbose_name_plural = _("từ khoá tìm kiếm theo ngày")
        default_permissions = ()

    def __str__(self):
        return f"{self.day:%d/%m/%Y} “{self.query}”: {self.searches}"


class Dashboard(models.Model):
    """No table: gives the admin dashboard its place in the admin and its permission."""

    class Meta:
        managed = False
        verbose_name = _("bảng thống kê")
        verbose_name_plural = _("bảng thống kê")
        default_permissions = ()
        permissions = [("view_dashboard", _("Xem thống kê"))]

    def __str__(self):
        return str(self._meta.verbose_name)

"""Storing a rating under the per-visitor limit, and the numbers for the leaders' dashboard.

A visitor is the stats app's `vid` cookie when the browser sends it, else the client's address;
either way only a salted hash is kept. Two limits, counted in the database under advisory locks
(the pattern of feedback.services), so simultaneous requests cannot both slip under them:
RATING_PER_VISITOR ratings per visitor and RATING_PER_IP per address (an office behind one
address holds many visitors) in RATING_PERIOD_HOURS. Over a limit nothing is stored."""

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min
from django.utils import timezone

from .models import Rating

# First keys of pg_advisory_xact_lock(int, int): visitors, then addresses (always in this order: no deadlock).
VISITOR_LOCK = 0x7276  # "rv"
IP_LOCK = 0x7269  # "ri"


def per_visitor():
    return getattr(settings, "RATING_PER_VISITOR", 3)


def per_ip():
    return getattr(settings, "RATING_PER_IP", 50)


def period():
    return timedelta(hours=getattr(settings, "RATING_PERIOD_HOURS", 24))


class RateLimited(Exception):
    def __init__(self, retry_after, limit):
        super().__init__(retry_after)
        self.retry_after = retry_after  # seconds
        self.limit = limit

    @property
    def hours(self):
        return max(1, math.ceil(self.retry_after / 3600))


def visitor_hash(visitor_id, ip_hash):
    """A salted hash of the visitor cookie's value, or of the address when there is no cookie."""
    if not visitor_id:
        return f"ip:{ip_hash}"[:64]
    salt = str(settings.IP_HASH_SALT).encode()
    return hmac.new(salt, f"vid:{visitor_id}".encode(), hashlib.sha256).hexdigest()


def _lock(namespace, key):
    client = int.from_bytes(hashlib.sha256(key.encode()).digest()[:4], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, client])


def _wait(column, key, limit, now):
    since = now - period()
    used = Rating.objects.filter(**{column: key, "created_at__gt": since}).aggregate(
        n=Count("id"), oldest=Min("created_at")
    )
    if used["n"] < limit:
        return 0
    return max(1, math.ceil((used["oldest"] + period() - now).total_seconds()))


def submit(rating, *, visitor, ip_hash):
    """Store an unsaved Rating for this visitor and address; raise RateLimited (storing nothing) past a limit."""
    with transaction.atomic():
        _lock(VISITOR_LOCK, visitor)
        _lock(IP_LOCK, ip_hash)
        now = timezone.now()
        for column, key, limit in (("visitor_hash", visitor, per_visitor()), ("ip_hash", ip_hash, per_ip())):
            wait = _wait(column, key, limit, now)
            if wait:
                raise RateLimited(wait, limit)
        rating.visitor_hash = visitor
        rating.ip_hash = ip_hash
        rating.created_at = now
        rating.save(force_insert=True)
    return rating


# Dashboard --------------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: object  # the first day of the month (a date)
    counts: list  # per level, in LEVELS order
    total: int
    average: float | None


LEVELS = sorted(Rating.Level, reverse=True)  # Rất tốt … Kém

# Both parts of the dashboard section in one round trip (the dashboard keeps a small query budget):
# counts per level per local calendar month, and the latest comments, each as a JSON array.
DASHBOARD_SQL = """
SELECT
  (SELECT coalesce(json_agg(m ORDER BY m.month DESC), '[]'::json) FROM (
      SELECT date_trunc('month', created_at AT TIME ZONE %(tz)s)::date AS month, {counts}
      FROM rating_rating WHERE created_at >= %(since)s GROUP BY 1) AS m),
  (SELECT coalesce(json_agg(c ORDER BY c.created_at DESC, c.id DESC), '[]'::json) FROM (
      SELECT id, level, comment, page, language, created_at FROM rating_rating
      WHERE comment <> '' ORDER BY created_at DESC, id DESC LIMIT %(limit)s) AS c)
"""


def dashboard(months=12, comments=20, now=None):
    """(MonthRow list for the last `months` calendar months, newest first; the latest `comments` ratings
    with a comment, as unsaved Rating objects) from one query."""
    now = timezone.localtime(now or timezone.now())
    first = now.date().replace(day=1)
    for _step in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    tz = timezone.get_current_timezone()
    counts = ", ".join(f"count(*) FILTER (WHERE level = {int(level)}) AS l{int(level)}" for level in LEVELS)
    with connection.cursor() as cursor:
        cursor.execute(
            DASHBOARD_SQL.format(counts=counts),
            {"tz": str(tz), "since": datetime.combine(first, time.min, tzinfo=tz), "limit": int(comments)},
        )
        month_data, comment_data = cursor.fetchone()
    rows = []
    for row in month_data:
        per_level = [row[f"l{int(level)}"] for level in LEVELS]
        total = sum(per_level)
        score = sum(int(level) * n for level, n in zip(LEVELS, per_level, strict=True))
        rows.append(MonthRow(date.fromisoformat(row["month"]), per_level, total, score / total if total else None))
    latest = [
        Rating(
            id=item["id"],
            level=item["level"],
            comment=item["comment"],
            page=item["page"],
            language=item["language"],
            created_at=datetime.fromisoformat(item["created_at"]),
        )
        for item in comment_data
    ]
    return rows, latest

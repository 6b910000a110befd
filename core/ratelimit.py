"""Rate limits counted in PostgreSQL, so every worker and every server sees the same counts.

A `Limit` allows about `count` requests per client in any `window`: a sliding window estimated from
two fixed ones (the previous window's requests, weighted by how much of it the last `window` still
covers, plus the current window's), as in
https://blog.cloudflare.com/counting-things-a-lot-of-different-things/ — no burst of twice the limit
across a window's edge, and two rows per client at most.

Counting is one statement: an upsert of the current window's row (`ON CONFLICT … DO UPDATE`: its row
lock orders simultaneous requests, so none slips through uncounted) that also reads the previous
window's row and deletes a few expired rows of any client, so the table cleans itself. The client is
a salted hash (core.clientip), never an address.
"""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.db.models import Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import RateCounter

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
SWEEP = 10  # expired rows each counted request deletes (more than it can create)

TABLE = RateCounter._meta.db_table
HIT_SQL = f"""
WITH swept AS (
    DELETE FROM {TABLE} WHERE id IN (
        SELECT id FROM {TABLE} WHERE expires_at < %(now)s ORDER BY expires_at LIMIT %(sweep)s
        FOR UPDATE SKIP LOCKED
    )
), counted AS (
    INSERT INTO {TABLE} (scope, client, window_start, expires_at, hits)
    VALUES (%(scope)s, %(client)s, %(start)s, %(expires)s, 1)
    ON CONFLICT (scope, client, window_start) DO UPDATE SET hits = {TABLE}.hits + 1
    RETURNING hits
)
SELECT counted.hits, coalesce(
    (SELECT hits FROM {TABLE} WHERE scope = %(scope)s AND client = %(client)s AND window_start = %(previous)s), 0
)
FROM counted
"""  # noqa: S608 - the table name is the model's, every value a parameter


def minutes(seconds):
    """Whole minutes to tell a reader, never 0."""
    return max(1, math.ceil(seconds / 60))


@dataclass(frozen=True)
class Limit:
    scope: str  # names the limit in the table, e.g. "captcha"
    count: int
    window: timedelta

    def hit(self, client, now=None):
        """Count one request of `client`: 0 when it is within the limit, else the seconds to wait.

        Refused requests count too, so a client that keeps trying stays refused."""
        now = now or timezone.now()
        start, previous, fraction = self._windows(now)
        with connection.cursor() as cursor:
            cursor.execute(
                HIT_SQL,
                {
                    "now": now,
                    "sweep": SWEEP,
                    "scope": self.scope,
                    "client": client,
                    "start": start,
                    "expires": start + 2 * self.window,  # still read as the previous window during the next
                    "previous": previous,
                },
            )
            current, before = cursor.fetchone()
        if before * (1 - fraction) + current <= self.count:
            return 0
        return max(1, math.ceil(self._retry(before, current, fraction)))

    def wait(self, client, now=None):
        """Seconds before `client`'s next request would be within the limit (0: now); counts nothing."""
        now = now or timezone.now()
        start, previous, fraction = self._windows(now)
        rows = dict(
            RateCounter.objects.filter(
                scope=self.scope, client=client, window_start__in=[start, previous]
            ).values_list("window_start", "hits")
        )
        seconds = self._retry(rows.get(previous, 0), rows.get(start, 0), fraction)
        return max(1, math.ceil(seconds)) if seconds > 0 else 0

    def annotate(self, queryset, client, now):
        """`queryset` with `client`'s counts in the two windows at `now` (`rate_current`, `rate_previous`):
        a page that reads a row anyway learns where the client stands in the same query (`wait_for`)."""
        start, previous, _fraction = self._windows(now)

        def hits(window_start):
            counter = RateCounter.objects.filter(scope=self.scope, client=client, window_start=window_start)
            return Coalesce(Subquery(counter.values("hits")[:1]), 0)

        return queryset.annotate(rate_current=hits(start), rate_previous=hits(previous))

    def wait_for(self, row, now):
        """`wait` for a row read through `annotate` at the same `now`."""
        seconds = self._retry(row.rate_previous, row.rate_current, self._windows(now)[2])
        return max(1, math.ceil(seconds)) if seconds > 0 else 0

    def _windows(self, now):
        """The current fixed window's start, the previous one's, and how far into the current one `now` is (0–1)."""
        size = self.window.total_seconds()
        start = EPOCH + timedelta(seconds=size * math.floor((now - EPOCH).total_seconds() / size))
        return start, start - self.window, (now - start).total_seconds() / size

    def _retry(self, before, current, fraction):
        """Seconds until one more request fits, `before` and `current` requests being counted."""
        size = self.window.total_seconds()
        room = self.count - 1  # what the estimate must come down to
        if current <= room:
            if before * (1 - fraction) + current <= room:
                return 0
            # The previous window slides out: before × (1 − f) ≤ room − current.
            return size * (1 - (room - current) / before - fraction)
        # Not in this window: in the next one, this window's requests slide out in turn.
        return size * (1 - fraction + max(0.0, 1 - room / current))

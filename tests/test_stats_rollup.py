"""manage.py stats_rollup: pruning, closing days, idempotence; counting never depends on it."""

import io
import uuid
from datetime import date, datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client

from stats.models import ArticleDay, ArticleViews, DailyTraffic, ViewDedup, VisitorDay
from stats.services import article_views, box_numbers, rollup, traffic

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2031, 3, 10, 9, 30, tzinfo=VN)
TODAY = date(2031, 3, 10)
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def frozen(moment):
    return patch("django.utils.timezone.now", return_value=moment)


def snapshot():
    return {
        model.__name__: sorted(map(str, model.objects.values_list()))
        for model in (ArticleViews, ArticleDay, DailyTraffic, VisitorDay, ViewDedup)
    }


@pytest.fixture
def history(db):
    """Visitors and views on a few open days (rollup has not run), some old enough to close."""
    visitors = [uuid.uuid4() for _ in range(4)]
    ViewDedup.objects.bulk_create(
        [
            ViewDedup(visitor=visitors[0], article_id=1, viewed_at=NOW - timedelta(minutes=10)),
            ViewDedup(visitor=visitors[1], article_id=1, viewed_at=NOW - timedelta(minutes=31)),
            ViewDedup(visitor=visitors[2], article_id=2, viewed_at=NOW - timedelta(days=2)),
        ]
    )
    for offset, n in ((0, 2), (1, 3), (2, 4), (5, 1)):
        day = TODAY - timedelta(days=offset)
        seen = NOW - timedelta(days=offset, minutes=1)
        VisitorDay.objects.bulk_create([VisitorDay(day=day, visitor=v, last_seen=seen) for v in visitors[:n]])
        # The day's views, spread over two shard rows as parallel readers leave them.
        ArticleDay.objects.create(article_id=1, day=day, shard=0, views=n)
        ArticleDay.objects.create(article_id=1, day=day, shard=5, views=n)
    ArticleViews.objects.create(article_id=1, shard=0, views=10)
    ArticleViews.objects.create(article_id=1, shard=3, views=5)
    ArticleViews.objects.create(article_id=1, shard=7, views=5)
    return visitors


def test_prunes_dedup_rows_past_their_window(history):
    with frozen(NOW):
        done = rollup()
    assert done["dedup_pruned"] == 2
    assert list(ViewDedup.objects.values_list("visitor", flat=True)) == [history[0]]


def test_closes_days_before_yesterday_and_keeps_their_totals(history):
    with frozen(NOW):
        done = rollup()
    # Today and yesterday keep their visitor rows (late requests may still count for yesterday).
    assert sorted(set(VisitorDay.objects.values_list("day", flat=True))) == [TODAY - timedelta(days=1), TODAY]
    assert done["visitor_days_pruned"] == 5
    assert done["days_closed"] == 2
    assert DailyTraffic.objects.get(day=TODAY - timedelta(days=2)).visits == 4
    assert DailyTraffic.objects.get(day=TODAY - timedelta(days=5)).views == 2
    assert not DailyTraffic.objects.filter(day__gte=TODAY - timedelta(days=1)).exists()


def test_readers_see_the_same_numbers_before_and_after(history):
    with frozen(NOW):
        before_box, before_days = box_numbers(), traffic()
        rollup()
        after_box, after_days = box_numbers(), traffic()
    assert after_box == before_box
    assert before_box["today"] == 2 and before_box["yesterday"] == 3 and before_box["total"] == 10
    assert before_box["online"] == 2  # today's two visitors, seen a minute ago
    # The same days and numbers, plus the closed days nobody came (as zeros).
    assert {day: row for day, row in after_days.items() if row != (0, 0)} == before_days
    assert before_days[TODAY - timedelta(days=2)] == (4, 8)


def test_fills_days_nobody_came_with_zeros(history):
    with frozen(NOW):
        done = rollup()
    assert done["days_added"] == 2  # days 3 and 4 back
    days = list(DailyTraffic.objects.order_by("day").values_list("day", "visits", "views"))
    assert [d for d, _, _ in days] == [TODAY - timedelta(days=n) for n in range(5, 1, -1)]
    assert (TODAY - timedelta(days=3), 0, 0) in days


def test_a_closed_day_takes_its_numbers_from_its_detail_rows(history):
    DailyTraffic.objects.create(day=TODAY - timedelta(days=2), visits=999, views=1)
    with frozen(NOW):
        rollup()
    row = DailyTraffic.objects.get(day=TODAY - timedelta(days=2))
    assert (row.visits, row.views) == (4, 8)


def test_folds_counter_shards_without_changing_counts(history):
    with frozen(NOW):
        done = rollup()
    assert done["articleviews_folded"] == 1
    assert list(ArticleViews.objects.values_list("shard", "views")) == [(0, 20)]
    assert article_views(1) == 20
    # Finished days are folded; today and yesterday keep their shards (views still land in them).
    shards = set(ArticleDay.objects.values_list("day", "shard"))
    assert shards == {(TODAY - timedelta(days=n), 0) for n in (0, 1, 2, 5)} | {
        (TODAY - timedelta(days=n), 5) for n in (0, 1)
    }
    assert done["articleday_folded"] == 2
    assert traffic()[TODAY] == (2, 4)


def test_running_it_twice_changes_nothing_more(history):
    with frozen(NOW):
        rollup()
        after_first = snapshot()
        done = rollup()
    assert set(done.values()) == {0}
    assert snapshot() == after_first


def test_on_an_empty_database(db):
    with frozen(NOW):
        assert set(rollup().values()) == {0}
        assert set(rollup().values()) == {0}
    assert not DailyTraffic.objects.exists()


def test_management_command(history):
    out = io.StringIO()
    with frozen(NOW):
        call_command("stats_rollup", stdout=out)
    assert "dedup_pruned=2" in out.getvalue()
    assert "days_closed=2" in out.getvalue()
    quiet = io.StringIO()
    with frozen(NOW):
        call_command("stats_rollup", "--quiet", stdout=quiet)
    assert quiet.getvalue() == ""


def test_counting_is_right_with_or_without_the_rollup(article):
    """A re-read after the window counts whether or not its old dedup row was pruned."""
    start = datetime.now(VN) + timedelta(days=1)
    reader, other = Client(), Client()
    with frozen(start):
        reader.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
        other.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    later = start + timedelta(minutes=45)
    with frozen(later):
        rollup()  # prunes both dedup rows
        ViewDedup.objects.create(  # as if `other`'s row had survived (rollup not run)
            visitor=uuid.UUID(hex=other.cookies["vid"].value), article_id=article.pk, viewed_at=start
        )
        reader.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
        other.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert article_views(article.pk) == 4

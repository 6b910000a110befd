"""Views held by a worker and written in batches (stats/buffer.py)."""

import uuid
from datetime import datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from django.db import OperationalError

from stats import buffer
from stats.days import local_day
from stats.services import article_views, traffic

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def view(held, article, visitor, moment):
    return held.add_view(article.pk, visitor, moment, local_day(moment))


@pytest.fixture
def held():
    worker = buffer.ViewBuffer()
    yield worker
    worker.discard()


@pytest.mark.django_db
def test_a_batch_that_fails_is_kept_and_written_with_the_next(held, article):
    now = datetime(2026, 11, 27, 9, 0, tzinfo=VN)
    assert [view(held, article, uuid.uuid4(), now) for _ in range(3)] == [1, 2, 3]
    with (
        patch.object(buffer, "write_batch", side_effect=OperationalError("database away")),
        pytest.raises(OperationalError),
    ):
        held.flush()
    assert article_views(article.pk) == 0
    assert held.shown(article.pk) == 3  # still shown while held
    assert view(held, article, uuid.uuid4(), now) == 4
    assert held.flush() == 4
    assert article_views(article.pk) == 4
    assert held.shown(article.pk) == 4
    assert held.flush() == 0  # nothing left, nothing written twice
    assert article_views(article.pk) == 4


@pytest.mark.django_db
def test_two_workers_holding_the_same_reader_count_them_once(article):
    """De-duplication is the database's: it holds across workers (and servers)."""
    first, second = buffer.ViewBuffer(), buffer.ViewBuffer()
    reader = uuid.uuid4()
    now = datetime(2026, 11, 27, 9, 0, tzinfo=VN)
    assert view(first, article, reader, now) == 1
    assert view(second, article, reader, now + timedelta(minutes=5)) == 1
    first.flush()
    second.flush()
    assert article_views(article.pk) == 1
    assert second.shown(article.pk) == 1
    view(second, article, reader, now + timedelta(minutes=31))  # the window has passed
    second.flush()
    assert article_views(article.pk) == 2


@pytest.mark.django_db
def test_a_batch_across_midnight_counts_each_view_on_its_own_day(held, article):
    before = datetime(2026, 11, 27, 23, 59, 59, tzinfo=VN)
    after = before + timedelta(seconds=2)
    view(held, article, uuid.uuid4(), before)
    view(held, article, uuid.uuid4(), after)
    view(held, article, uuid.uuid4(), after)
    held.flush()
    assert traffic() == {before.date(): (1, 1), after.date(): (2, 2)}


@pytest.mark.django_db
def test_a_reader_back_within_the_window_sees_the_same_number(held, article):
    reader = uuid.uuid4()
    now = datetime(2026, 11, 27, 9, 0, tzinfo=VN)
    assert view(held, article, reader, now) == 1
    assert view(held, article, reader, now + timedelta(minutes=1)) == 1
    held.flush()
    assert view(held, article, reader, now + timedelta(minutes=2)) == 1
    held.flush()
    assert article_views(article.pk) == 1

"""The number a reader is shown while their worker's batch is being written (stats/buffer.py)."""

import threading
import uuid
from datetime import datetime
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest

from stats import buffer
from stats.days import local_day

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def held():
    worker = buffer.ViewBuffer()
    yield worker
    worker.discard()


@pytest.mark.django_db(transaction=True)
def test_a_reader_during_the_batch_write_sees_the_view_once(held, article, settings):
    """A count re-read from the database just after the batch is stored, but before the worker stops
    holding it, would show the one view twice (seen in a parallel run: 40 requests, one showed 2)."""
    settings.STATS_VIEWS_FRESH_SECONDS = 0  # every request would re-read the database
    now = datetime(2026, 12, 3, 9, 0, tzinfo=VN)
    assert held.add_view(article.pk, uuid.uuid4(), now, local_day(now)) == 1
    seen_meanwhile = []
    real_write = buffer.write_batch

    def write_then_a_reader_arrives(*args, **kwargs):
        totals = real_write(*args, **kwargs)  # stored: the database says 1, the worker still holds 1
        reader = threading.Thread(target=lambda: seen_meanwhile.append(held.shown(article.pk)))
        reader.start()
        reader.join(timeout=5)
        return totals

    with patch.object(buffer, "write_batch", write_then_a_reader_arrives):
        assert held.flush() == 1
    assert seen_meanwhile == [1]
    assert held.shown(article.pk) == 1  # and after the batch, from the database

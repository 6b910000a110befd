"""Back-off after a failed database connection (portal/db/base.py): inside it, nothing tries the database."""

import copy

import pytest
from django.db import OperationalError, connections
from django.db.backends.postgresql import base as django_postgresql

from portal.db import base
from portal.middleware import DatabaseUnavailableMiddleware
from tests.subprocesses import free_port


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(base.BACKOFF, "clock", clock)
    base.BACKOFF.reset()
    yield clock
    base.BACKOFF.reset()


@pytest.fixture
def attempts(monkeypatch):
    """Every real attempt to open a connection (Django's own get_new_connection), counted."""
    made = []
    original = django_postgresql.DatabaseWrapper.get_new_connection

    def counted(self, conn_params):
        made.append(self.alias)
        return original(self, conn_params)

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "get_new_connection", counted)
    return made


@pytest.fixture
def faulty(settings):
    """A second connection to the test database whose port can be switched to one nobody listens on. It
    has the default alias (django.contrib.postgres looks the alias up), whose own connection is open."""
    settings.DB_BACKOFF_SECONDS = 5
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["OPTIONS"].pop("pool", None)
    wrapper = base.DatabaseWrapper(settings_dict)
    real = (settings_dict["HOST"], settings_dict["PORT"])

    def down():
        wrapper.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))  # connection refused

    def up():
        wrapper.settings_dict.update(HOST=real[0], PORT=real[1])

    wrapper.down, wrapper.up = down, up
    yield wrapper
    wrapper.close()


@pytest.mark.django_db
def test_no_connection_attempt_inside_the_back_off(faulty, clock, attempts):
    """Refused once: for DB_BACKOFF_SECONDS every request fails at once without trying; then one tries."""
    faulty.down()
    with pytest.raises(OperationalError):
        faulty.ensure_connection()
    assert attempts == ["default"]

    for _ in range(20):  # twenty requests inside the back-off: not one attempt
        clock.now += 0.2
        with pytest.raises(OperationalError) as caught:
            faulty.ensure_connection()
        assert isinstance(caught.value.__cause__, base.DatabaseBackingOff)
    assert attempts == ["default"]

    clock.now += 1.1  # 5.1 s after the failure: the next request tries (and fails: a new back-off)
    with pytest.raises(OperationalError) as caught:
        faulty.ensure_connection()
    assert not isinstance(caught.value.__cause__, base.DatabaseBackingOff)
    assert attempts == ["default", "default"]
    with pytest.raises(OperationalError):
        faulty.ensure_connection()
    assert len(attempts) == 2

    faulty.up()  # the database is back, but the back-off still runs its course
    clock.now += 5.1
    faulty.ensure_connection()
    assert len(attempts) == 3
    with faulty.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert not base.BACKOFF.backing_off("default")


def test_one_thread_tries_when_the_back_off_ends(clock):
    """When the back-off ends one caller probes; the others still fail at once until it knows."""
    backoff = base.BACKOFF
    backoff.failed("x", 5)
    clock.now += 6
    backoff.enter("x")  # this caller probes
    with pytest.raises(base.DatabaseBackingOff):
        backoff.enter("x")  # another one, meanwhile: not tried
    backoff.succeeded("x")
    backoff.enter("x")  # back to normal: everybody tries
    backoff.enter("x")


def test_back_off_is_per_database(clock):
    """A failure of one database alias does not stop the others."""
    base.BACKOFF.failed("replica", 5)
    base.BACKOFF.enter("default")
    with pytest.raises(base.DatabaseBackingOff):
        base.BACKOFF.enter("replica")


def test_backing_off_request_gets_the_503_page(rf, caplog):
    """A request that meets the back-off gets the Vietnamese 503 page, logged as one warning line."""
    try:
        raise OperationalError("not tried") from base.DatabaseBackingOff("not tried")
    except OperationalError as exc:
        error = exc
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/chuyen-muc/thong-bao/"), error)
    assert response.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()
    assert response["Retry-After"] == "30"
    records = [r for r in caplog.records if r.name == "portal.middleware"]
    assert [r.levelname for r in records] == ["WARNING"] and records[0].exc_info is None

"""The mail sender's loop (`manage.py mail_sender`): deliver what is due, then sleep until the next retry is
due, a new message is committed (LISTEN on core.mail.CHANNEL) or POLL seconds pass, whichever comes first.

The wake-up comes on a connection of its own, outside Django's (pooled) one. Without it (PgBouncer in
transaction mode, a dropped connection) the sender still looks at the queue every POLL seconds: a
notification only makes it sooner. A database that is away is waited out, never a reason to exit."""

import logging
import threading
import time

import psycopg
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from . import mail

logger = logging.getLogger(__name__)

POLL = 30.0  # seconds between looks at the queue when nothing wakes the sender
SLICE = 1.0  # the longest a wait goes without checking whether to stop
DATABASE_AWAY = 5.0  # seconds to wait after a database error
PURGE_EVERY = 3600.0
BATCH = 100  # messages per look at the queue


class Listener:
    """LISTEN on a connection of its own; `wait(seconds, stop)` returns on a notification, the timeout or stop."""

    def __init__(self, using="default"):
        self.using = using
        self.connection = None

    def connect(self):
        if self.connection is not None:
            return True
        try:
            params = connections[self.using].get_connection_params()
            self.connection = psycopg.connect(**params, autocommit=True)
            self.connection.execute(f"LISTEN {mail.CHANNEL}")
        except psycopg.Error as error:
            logger.warning("Mail sender: cannot listen for new mail (%s); looking every %d s", error, POLL)
            self.close()
            return False
        return True

    def wait(self, seconds, stop):
        deadline = time.monotonic() + max(seconds, 0)
        while not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            if not self.connect():
                stop.wait(min(remaining, SLICE))
                continue
            try:
                for _notification in self.connection.notifies(timeout=min(remaining, SLICE), stop_after=1):
                    return
            except psycopg.Error as error:
                logger.warning("Mail sender: lost the listening connection (%s)", error)
                self.close()

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


def run(stop=None, *, poll=POLL, listener=None):
    """Send until `stop` (a threading.Event) is set."""
    stop = stop or threading.Event()
    listener = listener or Listener()
    listener.connect()  # before the first look at the queue: nothing committed after it goes unnoticed
    purged_at = float("-inf")
    try:
        while not stop.is_set():
            close_old_connections()  # a connection broken by a database restart is replaced
            try:
                counts = mail.send_due(limit=BATCH)
                if time.monotonic() - purged_at >= PURGE_EVERY:
                    purged = mail.purge()
                    purged_at = time.monotonic()
                    if purged:
                        logger.info("Mail sender: forgot %d old message(s)", purged)
                done = sum(counts.values())
                if done >= BATCH:
                    continue  # more may be due at once
                due = mail.OutgoingMail.objects.next_due_at()
                wait = poll if due is None else min(poll, (due - timezone.now()).total_seconds())
                if not done:
                    wait = max(wait, SLICE)  # due but held by another sender: no busy loop meanwhile
            except DatabaseError as error:
                logger.warning("Mail sender: database unavailable (%s); trying again in %d s", error, DATABASE_AWAY)
                connections["default"].close()
                wait = DATABASE_AWAY
            listener.wait(wait, stop)
    finally:
        listener.close()
        connections.close_all()

"""The mail outbox (core/mail.py): requests only queue mail; the sender delivers it to a real SMTP server
(aiosmtpd, a process of its own), retries with backoff while that server is down (an injected clock
moves the hours), gives up on a server that never answers after EMAIL_TIMEOUT, and shows what failed to
"Quản trị" in the admin with "Gửi lại"."""

import contextlib
import email
import select
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail as django_mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import BadHeaderError, EmailMessage, EmailMultiAlternatives, mail_admins, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import mail
from core.mail import OutgoingMail
from feedback.models import Feedback
from portal.roles import ADMINISTRATORS, EDITORS

from . import subprocesses
from .test_feedback_support import CREATE_URL, form_data, make_feedback, staff_user

SUBJECT = "Xác nhận đã nhận góp ý — Sở Khoa học và Công nghệ"
BODY = "Kính gửi ông Nguyễn Văn Đức,\nSở đã nhận câu hỏi của ông về đề tài cấp tỉnh năm 2024. Trân trọng!"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


class SmtpServer:
    """aiosmtpd in a process of its own on 127.0.0.1:`port`, keeping what it receives in a Maildir."""

    def __init__(self, port, maildir):
        self.port, self.maildir, self.process = port, Path(maildir), None

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{self.port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(self.maildir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"aiosmtpd did not start: {self.process.stderr.read().decode(errors='replace')}")
            time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self.process is not None:
            self.process.stderr.close()
        self.process = None

    def received(self):
        """What reached the server, oldest first, parsed as a mail program would."""
        new = self.maildir / "new"
        files = sorted(new.iterdir(), key=lambda path: path.stat().st_mtime_ns) if new.exists() else []
        return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


class Tarpit:
    """A mail server that accepts connections and never says a word."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted, self.held, self.done = 0, [], threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)

    def serve(self):
        while not self.done.is_set():
            if select.select([self.listener], [], [], 0.1)[0]:
                connection, _address = self.listener.accept()
                self.held.append(connection)
                self.accepted += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join(timeout=5)
        for connection in [*self.held, self.listener]:
            connection.close()


@pytest.fixture
def smtp_server(tmp_path, settings):
    """A real SMTP server process (not started yet); the sender delivers to it with SMTP."""
    server = SmtpServer(subprocesses.free_port(), tmp_path / "maildir")
    settings.MAIL_DELIVERY_BACKEND = SMTP
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def queue_receipt():
    message = EmailMultiAlternatives(SUBJECT, BODY, to=["Nguyễn Văn Đức <duc@example.vn>"], bcc=["luu@so.example.vn"])
    message.attach_alternative(f"<p>{BODY}</p>", "text/html")
    message.send()
    return OutgoingMail.objects.get()


def quan_tri(django_user_model):
    user = django_user_model.objects.create_user(username="quantri", password="mat-khau-123", is_staff=True)
    user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    return user


# Queuing ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_way_of_sending_only_queues(settings):
    """send_mail, EmailMessage.send() and mail_admins (Django's own, and any library's) make rows, send nothing."""
    settings.ADMINS = [("Quản trị", "quantri@so.example.vn")]
    send_mail("Một", "Nội dung một", None, ["mot@example.vn"])
    EmailMessage("Hai", "Nội dung hai", to=["hai@example.vn"]).send()
    mail_admins("Ba", "Nội dung ba")
    EmailMessage("Không ai nhận", "…").send()  # no recipient: dropped, as Django's SMTP backend drops it
    assert django_mail.outbox == []
    rows = OutgoingMail.objects.order_by("pk")
    assert [(row.subject, row.to, row.status, row.attempts) for row in rows] == [
        ("Một", ["mot@example.vn"], "queued", 0),
        ("Hai", ["hai@example.vn"], "queued", 0),
        (f"{settings.EMAIL_SUBJECT_PREFIX}Ba", ["quantri@so.example.vn"], "queued", 0),
    ]
    assert all(row.headers["Message-ID"].endswith("@127.0.0.1>") for row in rows)  # SITE_URL's host


@pytest.mark.django_db
def test_each_message_gets_its_own_id_and_the_callers_headers_are_left_alone():
    shared = {"Reply-To": "sokhcn@example.gov.vn"}
    EmailMessage("Một", "…", to=["mot@example.vn"], headers=shared).send()
    EmailMessage("Hai", "…", to=["hai@example.vn"], headers=shared).send()
    assert shared == {"Reply-To": "sokhcn@example.gov.vn"}
    first, second = OutgoingMail.objects.order_by("pk")
    assert first.headers["Message-ID"] != second.headers["Message-ID"]
    assert first.headers["Reply-To"] == second.headers["Reply-To"] == "sokhcn@example.gov.vn"


@pytest.mark.django_db
def test_mail_about_something_rolled_back_never_leaves(deliver_mail):
    with contextlib.suppress(RuntimeError), transaction.atomic():
        make_feedback()
        send_mail("Đã nhận", "Cảm ơn", None, ["tam@example.vn"])
        raise RuntimeError("the save failed after the e-mail was written")
    assert not Feedback.objects.exists() and not OutgoingMail.objects.exists()
    assert deliver_mail() == []


@pytest.mark.django_db
def test_a_header_injection_is_refused_when_queued():
    with pytest.raises(BadHeaderError):
        send_mail("Tiêu đề\r\nBcc: victim@example.com", "…", None, ["dan@example.vn"])
    assert not OutgoingMail.objects.exists()


def test_the_sender_never_delivers_into_the_outbox_itself(settings):
    settings.MAIL_DELIVERY_BACKEND = "core.mail.OutboxBackend"
    with pytest.raises(ImproperlyConfigured):
        mail.send_due()


def test_the_retry_schedule_backs_off_to_an_hour():
    minutes = [mail.retry_delay(attempt) / timedelta(minutes=1) for attempt in range(1, 12)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60]
    assert sum(minutes) == 363  # MAIL_MAX_ATTEMPTS=12: the last attempt about 6 hours after the first


@pytest.mark.django_db
def test_a_feedback_post_does_not_wait_for_a_mail_server_that_never_answers(client, settings, django_user_model):
    """The request only writes rows: the tarpit is never even connected to, and the page comes back at once."""
    staff_user(django_user_model)
    with Tarpit() as tarpit:
        settings.MAIL_DELIVERY_BACKEND = SMTP
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", tarpit.port, 60
        started = time.monotonic()
        response = client.post(CREATE_URL, form_data())
        elapsed = time.monotonic() - started
        assert response.status_code == 302 and response["Location"].startswith("/gop-y/da-gui/")
        assert tarpit.accepted == 0
    assert elapsed < 30  # far below EMAIL_TIMEOUT (60 s), which a request waiting on the server would take
    feedback = Feedback.objects.get()
    queued = OutgoingMail.objects.order_by("pk")
    assert [row.to for row in queued] == [[feedback.email], ["tiepnhan@so.example.vn"]]
    assert all(row.status == "queued" and feedback.code in row.subject for row in queued)


# Delivering ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sender_delivers_to_a_real_smtp_server(smtp_server):
    smtp_server.start()
    row = queue_receipt()
    assert mail.send_due() == {"sent": 1, "retry": 0, "failed": 0}
    (received,) = smtp_server.received()
    # Python folds a long encoded Subject onto the next line ("Subject:\r\n =?utf-8?b?…"), as Django always
    # has: mail programs show it without the space the fold leaves in front.
    assert received["Subject"].strip() == SUBJECT
    assert received["To"] == "Nguyễn Văn Đức <duc@example.vn>"
    assert "Bcc" not in received and received["X-RcptTo"] == "duc@example.vn, luu@so.example.vn"
    assert received["Message-ID"] == row.headers["Message-ID"]
    assert parsedate_to_datetime(received["Date"]) == parsedate_to_datetime(row.headers["Date"])  # when written
    assert received.get_body(("plain",)).get_content().strip() == BODY
    assert received.get_body(("html",)).get_content().strip() == f"<p>{BODY}</p>"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "") and row.sent_at is not None
    assert mail.send_due() == {"sent": 0, "retry": 0, "failed": 0}
    assert len(smtp_server.received()) == 1


@pytest.mark.django_db
def test_a_mail_server_down_for_an_hour_loses_nothing_and_sends_once(smtp_server, caplog):
    """Down: each attempt fails, is counted with its error and tried again later, 1, 2, 4 … minutes apart.
    The clock is moved a minute at a time through the hour; back up, the message goes out exactly once."""
    row = queue_receipt()
    start = timezone.now()
    attempted_at = []
    for minute in range(61):
        now = start + timedelta(minutes=minute)
        before = OutgoingMail.objects.get().attempts
        mail.send_due(now)
        if OutgoingMail.objects.get().attempts > before:
            attempted_at.append(minute)
    assert attempted_at == [0, 1, 3, 7, 15, 31]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 6)
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at == start + timedelta(minutes=31 + 32)
    assert "Could not send mail" in caplog.text

    smtp_server.start()
    assert mail.send_due(start + timedelta(minutes=62)) == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    assert mail.send_due(start + timedelta(minutes=63)) == {"sent": 1, "retry": 0, "failed": 0}
    for minute in (64, 120, 600):
        mail.send_due(start + timedelta(minutes=minute))
    assert [message["Subject"].strip() for message in smtp_server.received()] == [SUBJECT]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 7, "")


@pytest.mark.django_db
def test_after_the_last_attempt_the_message_fails_and_quan_tri_sends_it_again(
    smtp_server, settings, client, django_user_model
):
    settings.MAIL_MAX_ATTEMPTS = 3
    row = queue_receipt()
    now = timezone.now()
    for _attempt in range(3):
        mail.send_due(now)
        row.refresh_from_db()
        now = max(now, row.next_attempt_at)
    assert (row.status, row.attempts) == ("failed", 3)
    assert mail.send_due(now + timedelta(days=1)) == {"sent": 0, "retry": 0, "failed": 0}  # failed: left alone

    client.force_login(quan_tri(django_user_model))
    changelist = reverse("admin:core_outgoingmail_changelist")
    page = client.get(changelist, {"status__exact": "failed"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Thư đi" in html and SUBJECT in html and "Không gửi được" in html
    assert "ConnectionRefusedError" in html and "Gửi lại các thư đã chọn" in html
    assert client.get(reverse("admin:core_outgoingmail_change", args=[row.pk])).status_code == 200
    assert SUBJECT in client.get(changelist, {"q": "duc@example"}).content.decode()  # by a To address
    assert SUBJECT not in client.get(changelist, {"q": "ai-khac@example"}).content.decode()

    response = client.post(changelist, {"action": "retry", "_selected_action": [row.pk]}, follow=True)
    assert "Đã xếp 1 thư vào hàng gửi lại ngay." in response.content.decode()
    row.refresh_from_db()
    assert row.status == "queued"
    smtp_server.start()
    assert mail.send_due() == {"sent": 1, "retry": 0, "failed": 0}
    assert [message["Subject"].strip() for message in smtp_server.received()] == [SUBJECT]


@pytest.mark.django_db
def test_the_outbox_is_for_quan_tri_and_superusers_only(client, admin_client, django_user_model):
    changelist = reverse("admin:core_outgoingmail_changelist")
    assert admin_client.get(changelist).status_code == 200
    editor = django_user_model.objects.create_user(username="bientap", password="mat-khau-123", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    assert client.get(changelist).status_code == 403
    client.force_login(quan_tri(django_user_model))
    assert client.get(reverse("admin:core_outgoingmail_add")).status_code == 403  # nobody writes mail by hand


@pytest.mark.django_db
def test_every_recipient_refused_for_good_fails_at_once(settings):
    """A 5xx refusal of every recipient will not change by waiting: failed after one attempt."""
    settings.MAIL_DELIVERY_BACKEND = "tests.test_outbox.RefusingBackend"
    row = queue_receipt()
    assert mail.send_due() == {"sent": 0, "retry": 0, "failed": 1}
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 1) and "550" in row.last_error


class RefusingBackend(BaseEmailBackend):
    """A delivery backend whose server answers 550 for every recipient, reported as smtplib reports it."""

    def send_messages(self, email_messages):
        refused = dict.fromkeys(email_messages[0].recipients(), (550, b"5.1.1 User unknown"))
        raise smtplib.SMTPRecipientsRefused(refused)


@pytest.mark.django_db
def test_a_mail_server_that_never_answers_costs_one_email_timeout(settings):
    """The sender gives up on the attempt after EMAIL_TIMEOUT, keeps the message for later, and goes on."""
    row = queue_receipt()
    with Tarpit() as tarpit:
        settings.MAIL_DELIVERY_BACKEND = SMTP
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", tarpit.port, 0.5
        started = time.monotonic()
        counts = mail.send_due()
        elapsed = time.monotonic() - started
        assert tarpit.accepted == 1
    assert counts == {"sent": 0, "retry": 1, "failed": 0}
    assert 0.4 < elapsed < 10
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1) and "timed out" in row.last_error


@pytest.mark.django_db
def test_sent_and_failed_mail_is_forgotten_after_mail_keep_days(settings):
    settings.MAIL_KEEP_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    for status in ("sent", "failed", "queued"):
        OutgoingMail.objects.create(subject=status, from_email="a@b.vn", to=["c@d.vn"], status=status, created_at=old)
    OutgoingMail.objects.create(subject="mới", from_email="a@b.vn", to=["c@d.vn"], status="sent")
    assert mail.purge() == 2
    assert sorted(OutgoingMail.objects.values_list("subject", flat=True)) == ["mới", "queued"]


# The sender as a process ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_mail_sender_process_wakes_on_commit_and_stops_on_sigterm(tmp_path):
    """`manage.py mail_sender` (as make run and systemd start it): a committed message is delivered within
    seconds although the sender only polls every 30 s (the commit's NOTIFY wakes it); SIGTERM ends it."""
    server = SmtpServer(subprocesses.free_port(), tmp_path / "maildir").start()
    env = subprocesses.environment(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="1",
        EMAIL_BACKEND=SMTP,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=server.port,
        EMAIL_TIMEOUT="2",
    )
    sender = subprocesses.Server([sys.executable, "manage.py", "mail_sender"], env=env)
    try:
        deadline = time.monotonic() + 60
        while "Gửi thư đi qua" not in sender.output():
            assert sender.process.poll() is None and time.monotonic() < deadline, sender.output()
            time.sleep(0.1)
        time.sleep(1.5)  # past its first look at the (empty) queue: now it waits, for up to 30 s
        queue_receipt()  # committed at once (no test transaction here)
        deadline = time.monotonic() + 15
        while OutgoingMail.objects.get().status != "sent":  # marked sent once the server has taken it
            assert time.monotonic() < deadline, sender.output()
            time.sleep(0.1)
        assert [message["Subject"].strip() for message in server.received()] == [SUBJECT]
        sender.process.send_signal(signal.SIGTERM)
        assert sender.process.wait(timeout=15) == 0
        assert "Đã dừng gửi thư." in sender.output()
    finally:
        sender.stop()
        server.stop()

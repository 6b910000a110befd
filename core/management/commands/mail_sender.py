"""Deliver the mail outbox (core/mail.py): `make run` starts it beside runserver, production runs it as
the systemd unit `portal-mail` (docs/deploy.md). `--once` sends what is due now and exits."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from core import mail, mailsender


class Command(BaseCommand):
    help = "Send the queued e-mails, with retries, until stopped (SIGTERM or Ctrl-C)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send what is due now, then exit")

    def handle(self, *args, **options):
        backend = mail.delivery_backend()
        if options["once"]:
            counts = mail.send_due()
            self.stdout.write(
                f"Đã gửi {counts['sent']}, chờ gửi lại {counts['retry']}, không gửi được {counts['failed']}."
            )
            return
        stop = threading.Event()

        def stop_sending(signum, frame):
            stop.set()  # the message being sent is finished first: never cut off after the server took it

        # Set explicitly: a shell starts a background job with SIGINT ignored (make run).
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, stop_sending)
        self.stdout.write(f"Gửi thư đi qua {backend} (thời gian chờ máy chủ {settings.EMAIL_TIMEOUT:g} s).")
        self.stdout.flush()
        mailsender.run(stop)
        self.stdout.write("Đã dừng gửi thư.")

"""The outbox's card on the admin home (core/admincards.py): e-mail that could not be sent (invitations,
answers to citizens), for whoever may queue it again."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import admincards
from .mail import OutgoingMail


def register():
    admincards.register(
        "mail-failed",
        _("Thư không gửi được"),
        admincards.Figure(
            _("thư cần xem và gửi lại"),
            lambda request: OutgoingMail.objects.filter(status=OutgoingMail.Status.FAILED).count(),
            lambda request: (
                reverse("admin:core_outgoingmail_changelist") + f"?status__exact={OutgoingMail.Status.FAILED}"
            ),
            alert=True,
        ),
        permission="core.retry_outgoingmail",
        order=90,
    )

"""The documents' card on the admin home (core/admincards.py): published documents whose expiry date falls
in the next EXPIRING_DAYS days (to replace or extend); the count is what the link lists."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import admincards

from .models import Document

EXPIRING_DAYS = 30


def _window():
    today = timezone.localdate()
    return today, today + timedelta(days=EXPIRING_DAYS)


def expiring_count(request):
    start, end = _window()
    return Document.objects.filter(is_published=True, expires_on__gte=start, expires_on__lt=end).count()


def expiring_url(request):
    start, end = _window()
    query = {"is_published__exact": 1, "expires_on__gte": start.isoformat(), "expires_on__lt": end.isoformat()}
    return reverse("admin:documents_document_changelist") + "?" + urlencode(query)


def register():
    admincards.register(
        "documents-expiring",
        _("Văn bản sắp hết hiệu lực"),
        admincards.Figure(
            format_lazy(_("hết hiệu lực trong {days} ngày tới"), days=EXPIRING_DAYS), expiring_count, expiring_url
        ),
        permission="documents.change_document",
        order=40,
    )

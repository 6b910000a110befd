from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Comment


def forget_contact_details(*, ip_days, retention_days, now=None):
    """Blank IP hashes after `ip_days`, and e-mail and phone (name and organisation too for private comments)
    `retention_days` after the consultation closed. Returns (hashes removed, comments whose contacts went)."""
    now = now or timezone.now()
    with transaction.atomic():
        hashes = (
            Comment.objects.filter(created_at__lt=now - timedelta(days=ip_days)).exclude(ip_hash="").update(ip_hash="")
        )
        due = Comment.objects.filter(consultation__closes_at__lt=now - timedelta(days=retention_days))
        private = due.filter(is_public=False).exclude(name="", organisation="", email="", phone="")
        public = due.filter(is_public=True).exclude(email="", phone="")
        contacts = private.update(name="", organisation="", email="", phone="")
        contacts += public.update(email="", phone="")
    return hashes, contacts

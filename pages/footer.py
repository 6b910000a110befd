"""The Department's address, phone and e-mail in every page's footer, from the Liên hệ record (ContactInfo).

base.html is rendered on every uncached page, so each process keeps the record it last read together
with the content version it read it at (portal.models.ContentVersion). Saving the record bumps that
version (portal.signals), and every process reads it again on its next page; otherwise a page costs no
query for it: the page cache already polls the version (at most every PAGE_CACHE_POLL_SECONDS).
"""

import logging

from django.db import DatabaseError

from core.pagecache import content_version

from .models import ContactInfo

logger = logging.getLogger(__name__)
_remembered = (None, None)  # (content version, ContactInfo or None); replaced whole, so threads see a pair


def footer_contact():
    """The contact record for the footer (None when there is none), read once per content version."""
    global _remembered
    version = content_version()
    seen_version, contact = _remembered
    if version is not None and version == seen_version:
        return contact
    try:
        contact = ContactInfo.objects.filter(pk=1).first()
    except DatabaseError:
        # The footer never takes a page down: the details last read, or the fallback text.
        logger.warning("footer: contact details unavailable", exc_info=True)
        return contact
    if version is not None:
        _remembered = (version, contact)
    return contact


def forget():
    """Read the record again on the next page (tests roll the content version back between them)."""
    global _remembered
    _remembered = (None, None)

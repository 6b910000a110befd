"""The Department's address, phone and e-mail in every page's footer, from the Liên hệ record (ContactInfo).

base.html is rendered on every uncached page, so the record is kept in the cache for the content version
it was read at (core.models.ContentVersion). Saving the record bumps that version (portal.signals), and
the next page reads it again; otherwise a page costs no query for it: the page cache already polls the
version (at most every PAGE_CACHE_POLL_SECONDS).
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError

from core.fragments import cache_key, remembered_value
from core.pagecache import content_version

from .models import ContactInfo

logger = logging.getLogger(__name__)
LAST_READ = ("footer-contact", "last read")


def footer_contact():
    """The contact record for the footer (None when there is none), read once per content version and
    kept in the cache framework (core.fragments)."""
    version = content_version()
    try:
        if version is None:
            return _read()
        return remembered_value(("footer-contact", version), _read)
    except DatabaseError:
        # The footer never takes a page down: the details last read, or the fallback text.
        logger.warning("footer: contact details unavailable", exc_info=True)
        return cache.get(cache_key(LAST_READ))


def _read():
    contact = ContactInfo.objects.filter(pk=1).first()
    cache.set(cache_key(LAST_READ), contact, None)
    return contact

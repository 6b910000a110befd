"""Who a reader is: the `vid` cookie, and the clients that are no readers at all.

Public: other apps tell visitors apart the way stats does (rating limits votes per visitor).
What the cookie is and how long it is kept is explained to readers at /quyen-rieng-tu/.
"""

import enum
import os
import re
import threading
import uuid

VISITOR_COOKIE = "vid"
VISITOR_MAX_AGE = 365 * 24 * 3600
# Present for a minute after a returning visitor was noted on a page other than an article: spares
# noting them on every page.
SEEN_COOKIE = "vid_seen"

CRAWLER_UA = re.compile(
    r"""
    ^\s*$                                   # no user agent at all
    | (?<!cu)bot\b                          # Googlebot/2.1, bingbot, YandexBot, AhrefsBot, coccocbot-web,
                                            # Applebot, DuckDuckBot, Twitterbot… (but not CUBOT phones)
    | crawl | spider | slurp | archiver     # Baiduspider, Yahoo! Slurp, ia_archiver…
    | facebookexternalhit | facebookcatalog | meta-externalagent
    | mediapartners-google | google-inspectiontool | google-read-aloud | googleother
    | headlesschrome | phantomjs | lighthouse | pingdom | uptimerobot
    | ^(?:curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|java|okhttp
         |libwww-perl|scrapy|httpclient|apache-httpclient)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)


def visitor_from_cookie(request):
    """The visitor id (a UUID) in the request's cookie, or None (no cookie, or not one of ours)."""
    value = request.COOKIES.get(VISITOR_COOKIE)
    if not value or len(value) != 32:
        return None
    try:
        return uuid.UUID(hex=value)
    except ValueError:
        return None


class _RandomBytes:
    """os.urandom read 4 KB at a time: a new visitor id costs no system call (a getrandom() call for
    each id was 4 % of a worker's time on cached pages, where every scripted request is a new visitor).
    A forked worker throws away what it inherited, so no two processes hand out the same bytes."""

    SIZE = 4096

    def __init__(self):
        self.lock = threading.Lock()
        self._forget()
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self):
        self.lock = threading.Lock()
        self.pool, self.used = b"", self.SIZE

    def take(self, n):
        with self.lock:
            if self.used + n > len(self.pool):
                self.pool, self.used = os.urandom(self.SIZE), 0
            self.used += n
            return self.pool[self.used - n : self.used]


_random_bytes = _RandomBytes()


def make_visitor_id():
    """A new visitor id: a random (version 4) UUID, as uuid.uuid4() makes."""
    return uuid.UUID(bytes=_random_bytes.take(16), version=4)


def is_crawler(user_agent):
    """True for anything that is not a person's browser, as far as its user agent tells: search
    engine crawlers, link previewers, scripts, headless browsers and the empty user agent."""
    return bool(CRAWLER_UA.search(user_agent or ""))


class Device(enum.IntEnum):
    """The kind of device a visit comes from, as its User-Agent says (for the dashboard's split)."""

    UNKNOWN = 0
    DESKTOP = 1
    PHONE = 2
    TABLET = 3


TABLET_UA = re.compile(r"ipad|tablet|kindle|silk/|playbook", re.IGNORECASE)
PHONE_UA = re.compile(r"mobi|iphone|ipod|android|windows phone|blackberry|opera mini", re.IGNORECASE)


def device_class(user_agent) -> Device:
    """Phone, tablet or desktop from a User-Agent string (an iPad asking for the desktop site says it
    is a Mac: it counts as a desktop, as it asked)."""
    user_agent = user_agent or ""
    if not user_agent:
        return Device.UNKNOWN
    lowered = user_agent.lower()
    # An Android tablet's browser leaves "Mobile" out (an Android phone's says it, in-app browsers too).
    if TABLET_UA.search(user_agent) or ("android" in lowered and "mobile" not in lowered):
        return Device.TABLET
    if PHONE_UA.search(user_agent):
        return Device.PHONE
    return Device.DESKTOP

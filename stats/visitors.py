"""Who a reader is: the `vid` cookie, and the clients that are no readers at all.

Public: other apps tell visitors apart the way stats does (rating limits votes per visitor).
What the cookie is and how long it is kept is explained to readers at /quyen-rieng-tu/.
"""

import re
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


def is_crawler(user_agent):
    """True for anything that is not a person's browser, as far as its user agent tells: search
    engine crawlers, link previewers, scripts, headless browsers and the empty user agent."""
    return bool(CRAWLER_UA.search(user_agent or ""))

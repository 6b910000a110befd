"""Who is not a reader: search engine crawlers, link previewers, scripts and empty user agents."""

import re

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


def is_crawler(user_agent):
    """True for anything that is not a person's browser, as far as its user agent tells."""
    return bool(CRAWLER_UA.search(user_agent or ""))

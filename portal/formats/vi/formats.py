"""Vietnamese formats: Django's, plus what Django's "vi" locale leaves out, the input formats. Without them
Django falls back to its American defaults and reads "05/12/2026" (5 December, as Vietnamese write it) as
12 May. Day first, then ISO (what the admin's date picker and browsers' date inputs send)."""

from django.conf.locale.vi.formats import *  # noqa: F403

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/12/2026
    "%d-%m-%Y",  # 05-12-2026
    "%d.%m.%Y",  # 05.12.2026
    "%Y-%m-%d",  # 2026-12-05
    "%d/%m/%y",  # 05/12/26
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f", "%Hg%M", "%Hh%M"]

"""Vietnamese dates of old pages → an aware datetime in Asia/Ho_Chi_Minh.

Forms met on provincial portals: "Chiều 10/01/2023", "Thứ ba, 10/01/2023 - 14:05", "10-01-2023",
"10.01.2023 14h05", "14:05 10/01/2023", "Ngày 10 tháng 01 năm 2023", "Cập nhật: 10/01/2023 2:05 PM".
The day comes first (Vietnamese order). A page that gives no time is placed at a time guessed from the
part of day it names, else at noon, and the result says it is an estimate:

    Sáng (morning) 08:00 · Trưa (midday) 12:00 · Chiều (afternoon) 14:00 · Tối (evening) 19:00 · Đêm (night) 21:00

With a part of day and a 12-hour clock time ("Chiều 2:30"), afternoon and evening times get 12 hours added.
"""

import re
import unicodedata
from datetime import datetime, time
from zoneinfo import ZoneInfo

VN = ZoneInfo("Asia/Ho_Chi_Minh")

PART_OF_DAY = {"sáng": time(8, 0), "trưa": time(12, 0), "chiều": time(14, 0), "tối": time(19, 0), "đêm": time(21, 0)}
NOON = time(12, 0)

_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})(?!\d)")
_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_TIME = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})?(?:\s*(?::)\s*\d{2})?\s*(am|pm|sa|ch)?(?![\d/])", re.I
)
_PART = re.compile(r"\b(sáng|trưa|chiều|tối|đêm)\b", re.I)


class UnreadableDate(ValueError):
    """The text has no date this module can read."""


def parse_vn_date(text):
    """(aware datetime, estimated) of the first date in `text`; UnreadableDate if none."""
    text = unicodedata.normalize("NFC", text or "").replace("\xa0", " ")
    day = _find_day(text)
    if day is None:
        raise UnreadableDate(text.strip()[:80])
    date_value, (start, end) = day
    rest = text[:start] + " " + text[end:]
    part = _PART.search(text)
    clock = _find_time(rest, part.group(1).lower() if part else None)
    if clock is not None:
        return datetime.combine(date_value, clock, VN), False
    if part:
        return datetime.combine(date_value, PART_OF_DAY[part.group(1).lower()], VN), True
    return datetime.combine(date_value, NOON, VN), True


def part_of_day(text):
    """The time a part of day ("Chiều …") in `text` stands for, or None."""
    part = _PART.search(unicodedata.normalize("NFC", text or ""))
    return PART_OF_DAY[part.group(1).lower()] if part else None


def _find_day(text):
    for pattern, order in ((_WORDS, "dmy"), (_NUMERIC, "dmy"), (_ISO, "ymd")):
        for found in pattern.finditer(text):
            numbers = dict(zip(order, (int(g) for g in found.groups()), strict=True))
            try:
                value = datetime(numbers["y"], numbers["m"], numbers["d"]).date()
            except ValueError:
                continue
            if 1990 <= value.year <= 2100:
                return value, found.span()
    return None


def _find_time(text, part):
    for found in _TIME.finditer(text):
        hour, minute, suffix = int(found.group(1)), int(found.group(2) or 0), (found.group(3) or "").lower()
        if found.group(2) is None and "giờ" not in found.group(0) and "h" not in found.group(0).lower():
            continue
        if suffix in ("pm", "ch") and hour < 12:
            hour += 12
        elif suffix in ("am", "sa") and hour == 12:
            hour = 0
        elif not suffix and part in ("chiều", "tối", "đêm") and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            return time(hour, minute)
    return None

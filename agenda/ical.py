"""The calendar as iCalendar (RFC 5545) through the `icalendar` library: times with the site's time zone
(a VTIMEZONE is included), one VEVENT per published entry with a stable UID."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone


def calendar(entries, request):
    zone = ZoneInfo(settings.TIME_ZONE)
    host = urlsplit(settings.SITE_URL).netloc or request.get_host()
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Lich cong tac//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Lịch công tác – {settings.SITE_NAME}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", f"lich-cong-tac-{entry.pk}@{host}")
        event.add("dtstamp", entry.updated_at or timezone.now())
        event.add("dtstart", entry.start.astimezone(zone))
        if entry.end:
            event.add("dtend", entry.end.astimezone(zone))
        summary = entry.content if not entry.leaders else f"{entry.leaders}: {entry.content}"
        event.add("summary", " ".join(summary.split()))
        if entry.place:
            event.add("location", entry.place)
        details = [
            ("Lãnh đạo", entry.leaders),
            ("Đơn vị chủ trì", entry.host_unit),
            ("Thành phần", entry.attendees),
        ]
        description = "\n".join(f"{label}: {value}" for label, value in details if value)
        if description:
            event.add("description", description)
        event.add("url", f"{settings.SITE_URL}{entry.get_absolute_url()}")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()

"""Shows a staff member's workflow notices (core.workflow.models.Notice) on their next admin page."""

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache

from .service import NOTICE_FLAG, seen_notices


class NoticeMiddleware:
    """Costs nothing on public pages; on admin pages, one cache read, and one UPDATE only when the cache says
    there is something (set when a notice is made), or on the admin home (where a lost flag is caught up)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + getattr(settings, "ADMIN_URL_PREFIX", "admin/").lstrip("/")

    def __call__(self, request):
        if request.method == "GET" and request.path.startswith(self.prefix):
            self.show(request)
        return self.get_response(request)

    def show(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff:
            return
        key = NOTICE_FLAG.format(user.pk)
        if not cache.get(key) and request.path != self.prefix:
            return
        cache.delete(key)
        for text, level, _created in seen_notices(user):
            messages.add_message(request, level, text)

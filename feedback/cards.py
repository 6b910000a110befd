"""The feedback card on the admin home (core/admincards.py): new items, and those past
FEEDBACK_OVERDUE_DAYS without an answer; each count is what its link lists."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import admincards

from .models import Feedback


def _changelist(query):
    return reverse("admin:feedback_feedback_changelist") + "?" + query


def register():
    admincards.register(
        "feedback",
        _("Góp ý mới / quá hạn"),
        [
            admincards.Figure(
                _("góp ý mới"),
                lambda request: Feedback.objects.filter(status=Feedback.Status.NEW).count(),
                lambda request: _changelist(f"status__exact={Feedback.Status.NEW}"),
            ),
            admincards.Figure(
                _("quá hạn trả lời"),
                lambda request: Feedback.objects.overdue().count(),
                lambda request: _changelist("qua_han=1"),  # feedback/admin.py's OverdueFilter
                alert=True,
            ),
        ],
        permission="feedback.change_feedback",
        order=30,
    )

"""The audit trail is Django's own admin log (django.contrib.admin.models.LogEntry): forms log
additions, changes and deletions by themselves, and the bulk actions of news and feedback log what
they did with a plain Vietnamese message (see `ACTIONS`). This proxy gives it a name and a
permission of its own, so the "Duyệt bài" group can read it without touching anything else."""

from django.contrib.admin.models import LogEntry
from django.utils.translation import gettext_lazy as _

# The messages the bulk actions write, in the order the filter offers them. Each is the start of the
# LogEntry's change_message, so "who published this article" is a filter away.
ACTIONS = {
    "publish": _("Xuất bản bài viết"),
    "unpublish": _("Gỡ bài viết xuống"),
    "submit": _("Gửi duyệt bài viết"),
    "answer": _("Trả lời góp ý"),
    "reanswer": _("Sửa câu trả lời góp ý"),
    "feedback_status": _("Đổi trạng thái góp ý"),
    "feedback_public": _("Công khai câu hỏi trên trang Hỏi đáp"),
    "feedback_private": _("Thôi công khai câu hỏi trên trang Hỏi đáp"),
}


class AuditEntry(LogEntry):
    class Meta:
        proxy = True
        verbose_name = _("thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        default_permissions = ("view",)

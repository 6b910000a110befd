"""Image uploads from CKEditor 5 in the admin: staff only, checked and cleaned like covers, and kept as items
of the media library (core.media): the same photo uploaded again gives the image already there."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import media


@require_POST
def editor_image_upload(request):
    user = request.user
    # admin.site.has_permission: active staff whose session has passed two-factor where it is required.
    if not (
        admin.site.has_permission(request)
        and (user.has_perm("news.add_article") or user.has_perm("news.change_article"))
    ):
        if user.is_active and user.is_staff and not admin.site.has_permission(request):
            message = _("Phiên đăng nhập chưa qua bước mã xác thực. Hãy đăng nhập lại rồi tải ảnh lên.")
        else:
            message = _("Bạn không có quyền tải ảnh lên.")
        return JsonResponse({"error": {"message": message}}, status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("Chưa chọn tệp ảnh.")}}, status=400)
    try:
        item, _created = media.add_upload(upload, user, kinds=(media.Kind.IMAGE,), folder="editor")
    except ValidationError as exc:
        return JsonResponse({"error": {"message": exc.messages[0]}}, status=400)
    return JsonResponse({"url": item.file.url, "id": item.pk, "alt": item.alt_text})

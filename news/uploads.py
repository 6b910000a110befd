"""Image uploads from CKEditor 5 in the admin: staff only, checked and cleaned like covers."""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.images import clean_image_upload


@require_POST
def editor_image_upload(request):
    user = request.user
    if not (
        user.is_active
        and user.is_staff
        and (user.has_perm("news.add_article") or user.has_perm("news.change_article"))
    ):
        return JsonResponse({"error": {"message": _("Bạn không có quyền tải ảnh lên.")}}, status=403)
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": _("Chưa chọn tệp ảnh.")}}, status=400)
    try:
        image = clean_image_upload(upload)
    except ValidationError as exc:
        return JsonResponse({"error": {"message": exc.messages[0]}}, status=400)
    name = default_storage.save(timezone.now().strftime("editor/%Y/%m/") + image.name, image)
    return JsonResponse({"url": default_storage.url(name)})

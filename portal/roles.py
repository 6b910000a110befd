"""The staff roles of the admin: the one table of groups and their permissions (README, "Who does what
in the admin"). portal may name every app's permissions; core/roles.py makes the table true after every
migrate (groups created, each with exactly these permissions: one taken out here is taken from the
group). Each role's description is what "Thêm cán bộ" shows beside its checkbox (portal/accounts.py); a role
gives admin access by itself."""

from core.roles import Role


def perms(model, *actions):
    """The permission names of `model` ("app_label.model") for these actions, "app_label.action_model"."""
    app_label, model_name = model.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


EDITORS = "Biên tập viên"
PUBLISHERS = "Duyệt bài"
FEEDBACK_STAFF = "Tiếp nhận góp ý"
LEADERS = "Lãnh đạo"
ADMINISTRATORS = "Quản trị"

# Editors and publishers both write documents and procedures; publishers also publish and delete them
# and keep the lists of types, issuing bodies and fields.
_DOCUMENT_WRITING = [
    *perms("documents.document", "add", "change", "view"),
    *perms("documents.documentfile", "add", "change", "delete", "view"),
    *perms("documents.procedure", "add", "change", "view"),
    "documents.view_documenttype",
    "documents.view_issuingbody",
    "documents.view_field",
]

# Photo galleries and videos (gallery app): editors build them and send them for review, publishers publish.
_GALLERY_WRITING = [
    *perms("gallery.gallery", "add", "change", "view"),
    *perms("gallery.photo", "add", "change", "delete", "view"),
    *perms("gallery.video", "add", "change", "view"),
]

# The leaders' work calendar and drafts for public comment: editors write, publishers also publish.
_AGENDA_CONSULTATION_WRITING = [
    *perms("agenda.entry", "add", "change", "view"),
    *perms("consultation.consultation", "add", "change", "view"),
    *perms("consultation.consultationfile", "add", "change", "delete", "view"),
]

_NAVIGATION = ["navigation.menuitem", "navigation.weblink", "navigation.banner", "navigation.announcement"]

ROLES = [
    Role(
        EDITORS,
        "Viết và sửa bài nháp, tải ảnh và tệp lên, gửi bài chờ duyệt; soạn văn bản và thủ tục hành chính. "
        "Không xuất bản, không sửa bài đã xuất bản.",
        [
            *perms("news.article", "add", "change", "view"),
            *perms("news.attachment", "add", "change", "delete", "view"),
            "news.view_category",
            *perms("core.mediaitem", "add", "change", "delete", "view"),  # "Thư viện tệp" (core/admin_media.py)
            *_DOCUMENT_WRITING,
            *_AGENDA_CONSULTATION_WRITING,
            *perms("core.redirect", "add", "change", "view"),  # "Chuyển hướng": keep old links working
            *_GALLERY_WRITING,
        ],
    ),
    Role(
        PUBLISHERS,
        "Xuất bản, gỡ xuống và hẹn giờ xuất bản bài viết và văn bản, sửa mọi bài; quản lý chuyên mục, menu, liên kết, banner, thông báo, danh mục "
        "văn bản, trang giới thiệu, lãnh đạo và thông tin liên hệ; xem nhật ký thao tác.",
        [
            *perms("news.article", "add", "change", "delete", "view"),
            "news.publish_article",
            *perms("news.attachment", "add", "change", "delete", "view"),
            *perms("news.category", "add", "change", "view"),
            *perms("core.mediaitem", "add", "change", "delete", "view"),
            *_DOCUMENT_WRITING,
            "documents.publish_document",
            *_AGENDA_CONSULTATION_WRITING,
            *perms("agenda.entry", "delete", "publish"),
            *perms("consultation.consultation", "delete", "publish"),
            *perms("consultation.comment", "change", "view"),
            "documents.delete_document",
            "documents.delete_procedure",
            *perms("documents.documenttype", "add", "change", "delete"),
            *perms("documents.issuingbody", "add", "change", "delete"),
            *perms("documents.field", "add", "change", "delete"),
            *perms("pages.page", "change", "view"),
            *perms("pages.leader", "add", "change", "delete", "view"),
            *perms("pages.contactinfo", "change", "view"),
            "audit.view_auditentry",
            *perms("core.redirect", "add", "change", "delete", "view"),
            *_GALLERY_WRITING,
            "gallery.publish_gallery",
            *perms("gallery.gallery", "delete"),
            *perms("gallery.video", "delete"),
            # The frame (navigation): menus, agency links, banners, announcements; publishing them too.
            *[p for m in _NAVIGATION for p in perms(m, "add", "change", "delete", "view")],
            "navigation.publish_navigation",
        ],
    ),
    Role(
        FEEDBACK_STAFF,
        "Đọc và trả lời góp ý của người dân, công khai câu trả lời trên trang Hỏi đáp, xuất tệp CSV.",
        [*perms("feedback.feedback", "change", "view"), *perms("consultation.comment", "change", "view")],
    ),
    Role(
        LEADERS,
        "Xem bảng thống kê truy cập của cổng thông tin.",
        ["stats.view_dashboard"],
    ),
    Role(
        ADMINISTRATORS,
        "Quản lý tài khoản cán bộ và vai trò, xem nhật ký thao tác, các lần đăng nhập sai (mở khoá bằng cách "
        "xoá) và thiết bị xác thực hai bước (xoá khi cán bộ mất điện thoại).",
        [
            *perms("auth.user", "add", "change", "delete", "view"),
            *perms("auth.group", "add", "change", "delete", "view"),
            "audit.view_auditentry",
            *perms("axes.accessattempt", "delete", "view"),
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
            *perms("otp_totp.totpdevice", "delete", "view"),
            *perms("core.outgoingmail", "view", "retry", "delete"),  # the outbox ("Thư đi", core/admin.py)
            "news.view_importedpage",  # what import_site brought in from the old portal (news/admin.py)
        ],
    ),
]

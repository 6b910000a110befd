"""The staff roles of the admin: the one table of groups and their permissions (README, "Who does what
in the admin"). portal may name every app's permissions; core/roles.py makes the table true after every
migrate (groups created, each with exactly these permissions: one taken out here is taken from the
group). Users are put in groups in the admin, under "Người dùng"."""

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

ROLES = [
    Role(
        EDITORS,
        "Write and edit drafts, upload images and files, submit articles for review; write documents and "
        "procedures. Cannot publish, nor change what is published.",
        [
            *perms("news.article", "add", "change", "view"),
            *perms("news.attachment", "add", "change", "delete", "view"),
            "news.view_category",
            *_DOCUMENT_WRITING,
        ],
    ),
    Role(
        PUBLISHERS,
        "Publish, unpublish and schedule articles and documents, edit any of them, manage categories, the "
        "document lists, the Department's pages, leaders and contact details; read the audit trail.",
        [
            *perms("news.article", "add", "change", "delete", "view"),
            "news.publish_article",
            *perms("news.attachment", "add", "change", "delete", "view"),
            *perms("news.category", "add", "change", "view"),
            *_DOCUMENT_WRITING,
            "documents.publish_document",
            "documents.delete_document",
            "documents.delete_procedure",
            *perms("documents.documenttype", "add", "change", "delete"),
            *perms("documents.issuingbody", "add", "change", "delete"),
            *perms("documents.field", "add", "change", "delete"),
            *perms("pages.page", "change", "view"),
            *perms("pages.leader", "add", "change", "delete", "view"),
            *perms("pages.contactinfo", "change", "view"),
            "audit.view_auditentry",
        ],
    ),
    Role(
        FEEDBACK_STAFF,
        "Read and answer reader feedback, publish answers on /hoi-dap/, export CSV.",
        perms("feedback.feedback", "change", "view"),
    ),
    Role(
        LEADERS,
        'The traffic dashboard ("Xem thống kê").',
        ["stats.view_dashboard"],
    ),
    Role(
        ADMINISTRATORS,
        "Administer the portal's staff: user accounts and their groups, the audit trail, login attempts "
        "(unlock by deleting one) and two-factor devices (delete a lost phone's).",
        [
            *perms("auth.user", "add", "change", "delete", "view"),
            *perms("auth.group", "add", "change", "delete", "view"),
            "audit.view_auditentry",
            *perms("axes.accessattempt", "delete", "view"),
            "axes.view_accesslog",
            "axes.view_accessfailurelog",
            *perms("otp_totp.totpdevice", "delete", "view"),
        ],
    ),
]

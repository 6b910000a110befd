"""The workflow's transitions. Each runs inside the caller's transaction with the object's row locked
(SELECT … FOR UPDATE), checks that nothing changed since the person's form was opened (the state token),
records a revision (core.revisions), writes the audit trail (Django's admin log, the audit app's view of
it) and tells the people concerned: the publishers by e-mail when something is submitted, the author by
e-mail and by a notice on their next admin page when it is published or returned. E-mail goes through
the outbox (core/mail.py): a row in this same transaction, delivered by the mail sender."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.mail import send_mail
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import media, revisions
from core.slugs import unique_slug

from . import kinds
from .models import Notice, WorkingCopy

NOTICE_FLAG = "workflow-notices:{}"


class WorkflowError(Exception):
    """A refusal with a message for the person (Vietnamese, ready to show)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class Stale(WorkflowError):
    """The object changed (someone else saved, approved, returned) since this person's form was opened."""


class Conflict(WorkflowError):
    """The live row changed since the working copy was started: the publisher chooses."""


# Reading the state ---------------------------------------------------------------------------------------


def content_type(model):
    return ContentType.objects.get_for_model(model, for_concrete_model=True)


def working_copy(obj, lock=False):
    copies = WorkingCopy.objects.filter(content_type=content_type(type(obj)), object_id=obj.pk)
    if lock:
        return copies.select_for_update().first()
    return copies.select_related("author").first()


def state_token(obj, copy=None, latest=None):
    """Changes whenever the object's stored state does: its newest version and its working copy."""
    if obj is None or obj.pk is None:
        return ""
    if latest is None:
        latest = revisions.latest_id(obj) or 0
    stamp = copy.updated_at.timestamp() if copy else 0
    return f"{latest}:{copy.pk if copy else 0}:{stamp}"


def review_state(obj, copy):
    """(code, label) as the change form's banner and the list show it."""
    kind = kinds.of(type(obj))
    if copy is not None and copy.state == WorkingCopy.State.PENDING or kind.is_pending_row(obj):
        return "pending", _("Chờ duyệt")
    if copy is not None and copy.state == WorkingCopy.State.RETURNED:
        return "returned", _("Bị trả lại")
    if kind.is_live(obj):
        return (
            ("live-draft", _("Đang xuất bản, có bản sửa đổi")) if copy and copy.data else ("live", _("Đang xuất bản"))
        )
    return "draft", _("Bản nháp")


def pending_ids(model):
    """Ids of `model`'s objects whose working copy waits for review (a subquery)."""
    return WorkingCopy.objects.filter(content_type=content_type(model), state=WorkingCopy.State.PENDING).values(
        "object_id"
    )


def pending_queryset(model):
    kind = kinds.of(model)
    condition = Q(pk__in=pending_ids(model))
    if isinstance(kind, kinds.StatusWorkflow):
        condition |= Q(status=kind.PENDING)
    return model._default_manager.filter(condition)


# Field data ---------------------------------------------------------------------------------------------


def snapshot(obj, m2m=None):
    """The working-copy fields of `obj` (in memory), JSON-shaped; many-to-many from `m2m` or the row."""
    kind = kinds.of(type(obj))
    fields = kind.copied_fields()
    plain = [f for f in fields if not isinstance(obj._meta.get_field(f), models.ManyToManyField)]
    data = revisions.serialize(obj, plain)
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ManyToManyField):
            if m2m is not None and name in m2m:
                data[name] = sorted(item.pk if hasattr(item, "pk") else int(item) for item in m2m[name])
            elif obj.pk:
                data[name] = sorted(getattr(obj, name).values_list("pk", flat=True))
            else:
                data[name] = []
    return data


def apply(obj, data):
    """Put stored field values into `obj` (in memory). Returns (m2m ids by name, names of fields whose related
    row is gone: those are left empty)."""
    m2m, missing = {}, []
    for name, value in data.items():
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a field removed since
        if isinstance(field, models.ManyToManyField):
            ids = set(field.related_model._default_manager.filter(pk__in=value or []).values_list("pk", flat=True))
            m2m[name] = sorted(ids)
            if len(ids) < len(value or []):
                missing.append(name)
        elif isinstance(field, models.ForeignKey):
            if value is not None and not field.related_model._default_manager.filter(pk=value).exists():
                missing.append(name)
                value = None
            setattr(obj, field.attname, value)
        elif isinstance(field, models.FileField):
            setattr(obj, name, value or "")
        else:
            setattr(obj, name, field.to_python(value))
    return m2m, missing


def commit_files(obj):
    """A newly uploaded file (cover image) is stored now, so the working copy can name it."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.FileField):
            value = getattr(obj, field.name)
            if value and not value._committed:
                value.save(value.name, value.file, save=False)


def free_slug(obj):
    """A slug that another row has taken since is replaced by a free one; returns the old slug when it was."""
    if not hasattr(obj, "slug") or not obj.slug:
        return None
    model = type(obj)
    if model._default_manager.filter(slug=obj.slug).exclude(pk=obj.pk).exists():
        taken = obj.slug
        obj.slug = unique_slug(model, taken, instance=obj, max_length=obj._meta.get_field("slug").max_length)
        return taken
    return None


def set_m2m(obj, m2m):
    for name, ids in (m2m or {}).items():
        getattr(obj, name).set(ids)


# Locking and staleness -------------------------------------------------------------------------------------


def lock(obj):
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def who_last(obj):
    version = revisions.history(obj).first()
    if version is None:
        return _("một người khác"), ""
    user = version.revision.user
    name = (user.get_full_name() or user.get_username()) if user else _("một người khác")
    when = date_format(timezone.localtime(version.revision.date_created), "H:i d/m/Y")
    return name, when


def check_fresh(obj, token):
    """Raise Stale when the object changed since `token` was given out (the row must be locked)."""
    if not token:
        return
    if state_token(obj, working_copy(obj)) != token:
        name, when = who_last(obj)
        raise Stale(
            _("Trong lúc bạn mở trang này, %(who)s đã thay đổi mục này (lúc %(when)s).") % {"who": name, "when": when}
        )


# Notifications and audit ------------------------------------------------------------------------------------


def audit(user, obj, message):
    LogEntry.objects.log_actions(
        user_id=user.pk, queryset=[obj], action_flag=CHANGE, change_message=str(message), single_object=True
    )


def notify(user, text, level=20):
    if user is None or not user.is_active:
        return
    Notice.objects.create(user=user, text=text, level=level)
    cache.set(NOTICE_FLAG.format(user.pk), True, None)


def publishers(kind):
    app_label, codename = kind.publish_permission.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    condition = Q(is_superuser=True)
    if permission is not None:
        condition |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    return users.filter(condition).distinct()


def mail(to, subject, body):
    """One message per person (nobody sees the others' addresses), each a row of the outbox."""
    for address in dict.fromkeys(a for a in to if a):
        send_mail(subject, body, None, [address])


def display_name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def author_of(obj, copy):
    if copy is not None and copy.author_id:
        return copy.author
    return getattr(obj, "created_by", None) or getattr(obj, "updated_by", None)


# Transitions (the row is locked by the caller: `lock(obj)`) --------------------------------------------------


def ensure_history(row):
    """An object saved before its kind kept versions (imported, made by a script) gets its stored state as
    the first version, before the first change through the admin."""
    if revisions.latest_id(row) is None:
        revisions.record(row, None, _("Bản có từ trước"))


def save_working_copy(obj, user, m2m=None, copy=None, live=None, record=True):
    """Keep the edited `obj` (in memory) as the working copy of its live row; readers keep the row."""
    commit_files(obj)
    data = snapshot(obj, m2m)
    if copy is None:
        copy = WorkingCopy(content_type=content_type(type(obj)), object_id=obj.pk)
    if copy.data is None or copy.base is None:
        copy.base = snapshot(live if live is not None else lock(obj))
    copy.data = data
    if not copy.author_id or copy.author_id == user.pk:
        # The author's own edit makes it a draft again; a publisher's touch-up keeps it waiting as it was.
        copy.author = user
        copy.state = WorkingCopy.State.DRAFT
        copy.comment = ""
    copy.save()
    media.record_pending(obj)  # the library's items this edit shows cannot be deleted while it waits
    if record:
        revisions.record(obj, user, _("Bản sửa đổi (chưa xuất bản)"), m2m=_copy_m2m(copy))
    return copy


def submit(obj, user, copy, link="", what=None, logged=None):
    """ "Gửi duyệt". `what` names the version (default "Gửi duyệt"), `logged` the audit entry (default `what`)."""
    kind = kinds.of(type(obj))
    what = what or _("Gửi duyệt")
    if copy is None:
        copy = WorkingCopy(content_type=content_type(type(obj)), object_id=obj.pk, author=user)
    copy.state = WorkingCopy.State.PENDING
    copy.submitted_at = timezone.now()
    copy.comment = ""
    if not copy.author_id:
        copy.author = user
    copy.save()
    if not kind.is_live(obj):
        kind.mark_pending(obj)
        obj.save()
    revisions.record(obj, user, what, m2m=_copy_m2m(copy))
    audit(user, obj, logged or what)
    subject = _("Chờ duyệt: %(label)s") % {"label": kind.label(obj)}
    body = _(
        "%(who)s vừa gửi duyệt %(noun)s “%(label)s”.\n\nXem, so sánh và duyệt tại: %(link)s\n\n"
        "Cổng thông tin điện tử Sở Khoa học và Công nghệ"
    ) % {"who": display_name(user), "noun": kind.noun, "label": kind.label(obj), "link": link}
    mail([p.email for p in publishers(kind) if p.pk != user.pk], subject, body)
    return copy


def _copy_m2m(copy):
    if copy is None or not copy.data:
        return None
    return {k: v for k, v in copy.data.items() if isinstance(v, list)}


def live_changed(obj, copy):
    """Whether the live row differs from what the working copy started from."""
    if copy is None or not copy.data or copy.base is None:
        return False
    return snapshot(obj) != copy.base


def publish(obj, user, copy, when=None, force=False, link="", what=None, logged=None):
    """Write the working copy (if any) into the row and make it live (at `when`, for "Lên lịch"). `what` names
    the version (default "Duyệt & xuất bản"), `logged` the audit entry (default `what`)."""
    kind = kinds.of(type(obj))
    m2m = None
    notes = []
    if copy is not None and copy.data:
        row = lock(obj)
        if not force and live_changed(row, copy):
            raise Conflict(
                _(
                    "Bản đang xuất bản đã thay đổi sau khi bản sửa này được tạo. Hãy so sánh hai bản rồi chọn bản "
                    "sẽ xuất bản."
                )
            )
        m2m, missing = apply(obj, copy.data)
        if missing:
            names = ", ".join(str(obj._meta.get_field(n).verbose_name) for n in missing)
            raise WorkflowError(
                _("Chưa duyệt được: %(fields)s của bản sửa không còn (đã bị xoá). Hãy chọn lại rồi lưu.")
                % {"fields": names}
            )
        if not kind.is_live(row) and (taken := free_slug(obj)):
            notes.append(
                _("Đường dẫn “%(slug)s” đã có mục khác dùng; đường dẫn mới là “%(new)s”.")
                % {"slug": taken, "new": obj.slug}
            )
    kind.make_live(obj, when)
    if hasattr(obj, "updated_by_id"):
        obj.updated_by = user
    obj.save()
    set_m2m(obj, m2m)
    author = author_of(obj, copy)
    if copy is not None:
        copy.delete()
    scheduled = when is not None and when > timezone.now()
    if what is None and scheduled:
        what = _("Lên lịch xuất bản lúc %(when)s") % {"when": date_format(timezone.localtime(when), "H:i d/m/Y")}
    elif what is None:
        what = _("Duyệt & xuất bản")
    revisions.record(obj, user, what)
    audit(user, obj, logged or what)
    if author is not None and author.pk != user.pk:
        text = _("%(noun)s “%(label)s” của bạn đã được %(who)s duyệt: %(what)s.") % {
            "noun": str(kind.noun).capitalize(),
            "label": kind.label(obj),
            "who": display_name(user),
            "what": str(what).lower(),
        }
        notify(author, text, level=25)
        mail([author.email], _("Đã duyệt: %(label)s") % {"label": kind.label(obj)}, text + "\n\n" + link)
    return notes


def return_(obj, user, copy, comment, link=""):
    kind = kinds.of(type(obj))
    if copy is None:
        copy = WorkingCopy(content_type=content_type(type(obj)), object_id=obj.pk)
    author = author_of(obj, copy)
    copy.state = WorkingCopy.State.RETURNED
    copy.comment = comment
    copy.author = author
    copy.save()
    if not kind.is_live(obj):
        kind.mark_draft(obj)
        obj.save()
    what = _("Trả lại: %(comment)s") % {"comment": comment}
    revisions.record(obj, user, what, m2m=_copy_m2m(copy))
    audit(user, obj, what)
    if author is not None and author.pk != user.pk:
        text = _("%(noun)s “%(label)s” bị %(who)s trả lại: %(comment)s") % {
            "noun": str(kind.noun).capitalize(),
            "label": kind.label(obj),
            "who": display_name(user),
            "comment": comment,
        }
        notify(author, text, level=30)
        mail([author.email], _("Bị trả lại: %(label)s") % {"label": kind.label(obj)}, text + "\n\n" + link)
    return copy


def unpublish(obj, user, what=None, logged=None):
    kind = kinds.of(type(obj))
    what = what or _("Gỡ xuống")
    kind.make_unlive(obj)
    if hasattr(obj, "updated_by_id"):
        obj.updated_by = user
    obj.save()
    revisions.record(obj, user, what)
    audit(user, obj, logged or what)


# Bulk actions (the lists' "Xuất bản / Gỡ xuống / Gửi duyệt các … đã chọn") ------------------------------------


def status_label(obj):
    """The row's own status as its list shows it ("Chờ duyệt", "Đã xuất bản"), for the audit trail."""
    if hasattr(obj, "get_status_display"):
        return obj.get_status_display()
    return review_state(obj, working_copy(obj))[1]


def bulk(action, obj, user, link=""):
    """One selected item of a bulk action ("publish", "unpublish", "submit"), done as its form's button does it
    (working copy applied, version recorded, audit entry, people told), under the row's lock. Returns whether
    anything changed; raises WorkflowError (Conflict) when it cannot be done from the list."""
    kind = kinds.of(type(obj))
    row = lock(obj)
    copy = working_copy(row, lock=True)
    live = kind.is_live(row)
    edited = copy is not None and bool(copy.data)
    facts = {"noun": kind.noun, "state": status_label(row)}
    if action == "publish":
        if live and not edited:
            return False
        ensure_history(row)
        logged = _("Xuất bản %(noun)s (trước đó: “%(state)s”)") % facts
        publish(row, user, copy, link=link, what=_("Xuất bản hàng loạt"), logged=logged)
    elif action == "unpublish":
        if not live or not kind.can_unpublish:
            return False
        ensure_history(row)
        unpublish(
            row, user, what=_("Gỡ xuống hàng loạt"), logged=_("Gỡ %(noun)s xuống (trước đó: “%(state)s”)") % facts
        )
    elif action == "submit":
        waiting = (copy is not None and copy.state == WorkingCopy.State.PENDING) or kind.is_pending_row(row)
        if waiting or (live and not edited):
            return False
        ensure_history(row)
        logged = _("Gửi duyệt %(noun)s (trước đó: “%(state)s”)") % facts
        submit(row, user, copy, link, what=_("Gửi duyệt hàng loạt"), logged=logged)
    else:
        raise ValueError(action)
    return True


def restore(obj, user, version):
    """Make an old version the object's working copy (never the live row itself). Returns messages about
    what could not come back as it was."""
    kind = kinds.of(type(obj))
    row = lock(obj)
    ensure_history(row)
    copy = working_copy(row, lock=True)
    fields = kind.copied_fields()
    stored = {k: v for k, v in revisions.stored_fields(version).items() if k in fields}
    if copy is not None and copy.data:
        # The working copy being replaced stays in the history.
        current = type(obj)._default_manager.get(pk=obj.pk)
        apply(current, copy.data)
        revisions.record(current, copy.author, _("Bản sửa đổi (được thay bằng bản khôi phục)"), m2m=_copy_m2m(copy))
    restored = type(obj)._default_manager.get(pk=obj.pk)
    m2m, missing = apply(restored, stored)
    notes = []
    for name in missing:
        field = obj._meta.get_field(name)
        notes.append(
            _("%(field)s của phiên bản này đã bị xoá: hãy chọn %(field_lower)s khác trước khi lưu.")
            % {"field": str(field.verbose_name).capitalize(), "field_lower": field.verbose_name}
        )
    if hasattr(restored, "slug"):
        if kind.is_live(row):
            restored.slug = row.slug  # links already given out keep working
        elif taken := free_slug(restored):
            notes.append(
                _("Đường dẫn “%(slug)s” đã có mục khác dùng; bản khôi phục dùng “%(new)s”.")
                % {"slug": taken, "new": restored.slug}
            )
    if copy is None:
        copy = WorkingCopy(content_type=content_type(type(obj)), object_id=obj.pk)
    copy.data = snapshot(restored, m2m)
    copy.base = snapshot(row)
    copy.state = WorkingCopy.State.DRAFT
    copy.comment = ""
    copy.author = user
    copy.save()
    if kind.is_live(row):
        if any(followed(row, name) != followed(version, name, type(obj)) for name in kind.follow):
            notes.append(
                _(
                    "Tệp, ảnh đi kèm của phiên bản này không được khôi phục vì mục đang xuất bản: người duyệt sửa "
                    "danh sách đó trong biểu mẫu."
                )
            )
    else:
        notes.extend(restore_followed(row, version))
    when = date_format(timezone.localtime(version.revision.date_created), "H:i d/m/Y")
    what = _("Khôi phục phiên bản lúc %(when)s thành bản nháp") % {"when": when}
    revisions.record(restored, user, what, m2m=m2m)
    audit(user, obj, what)
    return copy, notes


def followed(source, name, model=None):
    """The rows of relation `name` (attachments, files, photos) as [(pk, label)] in their order: those of the
    object `source` now, or those stored with the version `source` (of an object of `model`)."""
    if model is None:
        return [(row.pk, str(row)) for row in getattr(source, name).all()]
    related = model._meta.get_field(name).related_model
    stored = source.revision.version_set.filter(content_type=content_type(related))
    rows = sorted(stored, key=lambda v: (v.field_dict.get("position") or 0, int(v.object_id)))
    return [(int(v.object_id), v.object_repr) for v in rows]


def _unrestorable(version):
    """Why a stored related row cannot come back (its file or a row it points at is gone), or ""."""
    model = version._model
    values = version.field_dict
    for field in model._meta.concrete_fields:
        value = values.get(field.attname, values.get(field.name))
        if isinstance(field, models.ForeignKey) and value is not None:
            if not field.related_model._default_manager.filter(pk=getattr(value, "pk", value)).exists():
                return _("Không khôi phục được “%(name)s”: mục nó dùng đã bị xoá.") % {"name": version.object_repr}
        elif isinstance(field, models.FileField) and value:
            name = getattr(value, "name", value)
            if not field.storage.exists(name):
                return _("Không khôi phục được “%(name)s”: tệp đã bị xoá.") % {"name": version.object_repr}
    return ""


def restore_followed(obj, version):
    """Put back the related rows (files, attachments, photos) stored with `version`, removing those added since.
    Returns notes about the rows that could not come back."""
    notes = []
    for name in kinds.of(type(obj)).follow:
        related = obj._meta.get_field(name).related_model
        kept = []
        for stored in version.revision.version_set.filter(content_type=content_type(related)):
            problem = _unrestorable(stored)
            if problem:
                notes.append(problem)
                continue
            stored.revert()
            kept.append(int(stored.object_id))
        getattr(obj, name).exclude(pk__in=kept).delete()
    return notes


def record_deletion(obj, user):
    revisions.record(obj, user, _("Đã xoá"))


def restore_deleted(model, version, user, replacements=None):
    """Bring a deleted object back as a draft, with its attachments. `replacements` gives an existing row
    for each required relation whose row is gone ({field name: pk}). Returns (obj, notes), or raises
    WorkflowError naming what must be chosen first."""
    kind = kinds.of(model)
    obj = model(pk=int(version.object_id))
    stored = revisions.stored_fields(version)
    m2m, missing = apply(
        obj,
        {
            k: v
            for k, v in stored.items()
            if k in {f.name for f in model._meta.concrete_fields} | set(kind.copied_fields())
        },
    )
    still_missing = []
    for name in missing:
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey) and not field.null:
            chosen = (replacements or {}).get(name)
            if chosen and field.related_model._default_manager.filter(pk=chosen).exists():
                setattr(obj, field.attname, int(chosen))
            else:
                still_missing.append(name)
    if still_missing:
        raise WorkflowError(
            _("%(fields)s của mục này đã bị xoá: hãy chọn %(fields_lower)s thay thế rồi khôi phục.")
            % {
                "fields": ", ".join(str(model._meta.get_field(n).verbose_name).capitalize() for n in still_missing),
                "fields_lower": ", ".join(str(model._meta.get_field(n).verbose_name) for n in still_missing),
            }
        )
    notes = []
    if taken := free_slug(obj):
        notes.append(
            _("Đường dẫn “%(slug)s” đã có mục khác dùng; đường dẫn mới là “%(new)s”.")
            % {"slug": taken, "new": obj.slug}
        )
    kind.make_unlive(obj)
    kind.mark_draft(obj)
    for name in ("created_by", "updated_by"):
        if hasattr(obj, name + "_id"):
            setattr(obj, name + "_id", stored.get(name) if name == "created_by" else user.pk)
            if not get_user_model().objects.filter(pk=getattr(obj, name + "_id")).exists():
                setattr(obj, name + "_id", None)
    obj.save(force_insert=True)
    set_m2m(obj, m2m)
    for other in version.revision.version_set.exclude(pk=version.pk).select_related("content_type"):
        if other._model in [obj._meta.get_field(n).related_model for n in kind.follow]:
            try:
                other.revert()
            except Exception:
                notes.append(_("Một tệp đính kèm không khôi phục được: %(name)s.") % {"name": other.object_repr})
    revisions.record(obj, user, _("Khôi phục mục đã xoá thành bản nháp"))
    audit(user, obj, _("Khôi phục mục đã xoá thành bản nháp"))
    return obj, notes


def seen_notices(user):
    """The user's unseen notices, marked seen (one UPDATE … RETURNING)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_notice SET seen_at = now() WHERE user_id = %s AND seen_at IS NULL "
            "RETURNING text, level, created_at",
            [user.pk],
        )
        rows = cursor.fetchall()
    return sorted(rows, key=lambda row: row[2])

"""Every saved version of a reviewed object, kept by django-reversion, and the comparison of two versions.

The workflow (core/workflow/service.py) records a revision at each save and transition, with a comment
saying what it was ("Lưu nháp", "Bản sửa đổi", "Duyệt & xuất bản", "Khôi phục", "Đã xoá"); a deleted object
keeps its versions, and "Đã xoá" lists those deleted within REVISIONS_KEEP_DELETED_DAYS.
`manage.py deleterevisions --days N` (reversion's own command) drops older history when wanted.
"""

import difflib
import json
import re
from datetime import timedelta

import reversion
from django.conf import settings
from django.core import serializers
from django.db import models
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from reversion.models import Version

from core.sanitize import html_to_text


def register(model, follow=()):
    """Keep the versions of `model` (and of the related rows named in `follow`, registered too)."""
    if reversion.is_registered(model):
        return
    exclude = [f.name for f in model._meta.local_fields if isinstance(f, models.GeneratedField)]
    reversion.register(model, exclude=exclude, follow=follow)


def register_related(model):
    """A model that only travels with its parent's versions (attachments, files)."""
    if not reversion.is_registered(model):
        reversion.register(model)


def record(obj, user=None, comment="", m2m=None):
    """One revision holding `obj` as it is in memory (its followed rows as stored). `m2m` replaces many-to-many
    ids in the stored copy (a working copy's choices, not yet written to the row). Returns the Version."""
    with reversion.create_revision(manage_manually=True):
        if user is not None and getattr(user, "pk", None):
            reversion.set_user(user)
        reversion.set_comment(str(comment)[:500])
        reversion.add_to_revision(obj)
    version = Version.objects.get_for_object(obj).first()
    if version is not None and m2m:
        data = json.loads(version.serialized_data)
        for name, ids in m2m.items():
            data[0]["fields"][name] = list(ids)
        Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data, ensure_ascii=False))
        version.serialized_data = json.dumps(data, ensure_ascii=False)
    return version


def history(obj):
    """The object's versions, newest first, with who saved them."""
    return Version.objects.get_for_object(obj).select_related("revision", "revision__user")


def latest_id(obj):
    return Version.objects.get_for_object(obj).values_list("pk", flat=True).first()


def stored_fields(version):
    """The version's field values, JSON-shaped (as the serialiser wrote them), m2m as id lists."""
    return json.loads(version.serialized_data)[0]["fields"]


def keep_deleted_days():
    return getattr(settings, "REVISIONS_KEEP_DELETED_DAYS", 30)


def deleted(model):
    """The last versions of `model`'s deleted objects, deleted within the kept days, newest first."""
    since = timezone.now() - timedelta(days=keep_deleted_days())
    return (
        Version.objects.get_deleted(model)
        .filter(revision__date_created__gte=since)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created")
    )


def deleted_version(model, version_id):
    return deleted(model).filter(pk=version_id).first()


# Comparison ------------------------------------------------------------------------------------------------

WORD = re.compile(r"\s+|[^\s]+")


def shown_value(model, name, value):
    """A stored value as a reader of the comparison sees it: the related row's name, the body as text."""
    field = model._meta.get_field(name)
    if value in (None, "", []):
        return ""
    if isinstance(field, models.ManyToManyField):
        names = field.related_model._default_manager.filter(pk__in=value)
        found = ", ".join(str(item) for item in names)
        return found or str(_("(đã bị xoá)"))
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(_("(đã bị xoá)"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("Có")) if value else str(_("Không"))
    if isinstance(field, models.DateTimeField):
        moment = field.to_python(value)
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""
    if isinstance(field, models.DateField):
        day = field.to_python(value)
        return day.strftime("%d/%m/%Y") if day else ""
    text = str(value)
    if "<" in text and ">" in text:
        return html_to_text(text)
    return text


def mark_words(old, new):
    """Two HTML fragments: `old` with removed words in <del>, `new` with added words in <ins>."""
    a, b = WORD.findall(old), WORD.findall(new)
    left, right = [], []
    # Runs of changes separated only by spaces read as one change: "<del>đầu tiên</del>", not two.
    merged = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if merged and op != "equal" and merged[-1][0] != "equal":
            merged[-1] = ("replace", merged[-1][1], i2, merged[-1][3], j2)
        elif (
            len(merged) >= 2
            and op != "equal"
            and merged[-1][0] == "equal"
            and merged[-2][0] != "equal"
            and "".join(a[merged[-1][1] : merged[-1][2]]).isspace()
        ):
            merged.pop()
            merged[-1] = ("replace", merged[-1][1], i2, merged[-1][3], j2)
        else:
            merged.append((op, i1, i2, j1, j2))
    for op, i1, i2, j1, j2 in merged:
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            left.append(format_html("{}", old_part))
            right.append(format_html("{}", new_part))
            continue
        if old_part:
            left.append(format_html("<del>{}</del>", old_part))
        if new_part:
            right.append(format_html("<ins>{}</ins>", new_part))
    return format_html_join("", "{}", ((p,) for p in left)), format_html_join("", "{}", ((p,) for p in right))


def compare(model, fields, old, new):
    """Rows (label, old html, new html, changed) for each of `fields`, `old` and `new` being stored-field dicts."""
    rows = []
    for name in fields:
        field = model._meta.get_field(name)
        before = shown_value(model, name, old.get(name))
        after = shown_value(model, name, new.get(name))
        left, right = mark_words(before, after)
        rows.append(
            {"label": str(field.verbose_name).capitalize(), "old": left, "new": right, "changed": before != after}
        )
    return rows


def serialize(obj, fields):
    """`obj`'s values of `fields`, as the JSON serialiser writes them (m2m as ids, from the row)."""
    return json.loads(serializers.serialize("json", [obj], fields=fields))[0]["fields"]

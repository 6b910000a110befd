"""The order of menu items through review (issue 19): the ↑/↓ arrows of the admin list.

Every other change to a live menu item waits in its working copy (core.workflow) until a publisher approves
it; the arrows do too. They work on the order as it will be (each item's working copy over its row):

- Someone without navigation.publish_navigation: the new positions go into the working copies of the live
  items concerned (`service.save_working_copy`, a version each), which then wait for review ("Chờ duyệt").
  Items that are not live yet (drafts) are not on the site: their rows take the new position at once. The
  public menu keeps its order until a publisher approves the items ("Duyệt & xuất bản"); "Xem trước menu"
  shows the order as it will be (`menus.preview`).
- A publisher is the reviewer: the new positions go straight into the rows, each change a version
  (core.revisions) and an audit entry; a working copy waiting beside a row gets the same position (so its
  approval does not undo the move, nor see a conflict), and goes if nothing else is left in it.

No e-mail per press (a few presses would flood the publishers): the items show as waiting in the list's
"Chờ duyệt" filter and the admin home's card.
"""

import copy as copying

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import revisions
from core.workflow import service
from core.workflow.models import WorkingCopy

from .models import MenuItem

STEP = 10


def copies_by_id(lock=False):
    """{item id: WorkingCopy} of the menu items that have one (one query)."""
    copies = WorkingCopy.objects.filter(content_type=service.content_type(MenuItem))
    if lock:
        copies = copies.select_for_update()
    return {copy.object_id: copy for copy in copies}


def overlay(item, data):
    """`item` (in memory) with a working copy's field values put in, without any query."""
    for name, value in (data or {}).items():
        try:
            field = item._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since
            continue
        if field.is_relation:
            setattr(item, field.attname, value)
        else:
            setattr(item, field.attname, field.to_python(value))
    return item


def as_they_will_be(items, copies):
    """Copies of `items` as they will be once their working copies are approved."""
    return [overlay(copying.copy(item), copies[item.pk].data) if item.pk in copies else item for item in items]


def siblings_of(item, items):
    same = [i for i in items if i.menu == item.menu and i.parent_id == item.parent_id]
    return sorted(same, key=lambda i: (i.position, i.pk))


def move(pk, direction, user, publisher):
    """Swap item `pk` with its neighbour ("up" or "down") in the order as it will be. Returns None when there
    is nothing to swap with, else whether the change waits for review."""
    with transaction.atomic():
        rows = {row.pk: row for row in MenuItem.objects.select_for_update().order_by("pk")}
        copies = copies_by_id(lock=True)
        future = {item.pk: item for item in as_they_will_be(rows.values(), copies)}
        if pk not in future:
            return None
        order = siblings_of(future[pk], future.values())
        index = next(i for i, item in enumerate(order) if item.pk == pk)
        other = index - 1 if direction == "up" else index + 1
        if direction not in ("up", "down") or not 0 <= other < len(order):
            return None
        order[index], order[other] = order[other], order[index]
        waits = False
        for number, item in enumerate(order, start=1):
            position = number * STEP
            if item.position == position:
                continue
            row, copy = rows[item.pk], copies.get(item.pk)
            if publisher:
                _apply_now(row, copy, position, user)
            else:
                waits |= _propose(row, copy, position, user)
        return waits


def _apply_now(row, copy, position, user):
    service.ensure_history(row)
    if row.position != position:
        row.position = position
        row.save(update_fields=["position", "updated_at"])
        revisions.record(row, user, _("Đổi thứ tự trên menu"))
        service.audit(user, row, _("Đổi thứ tự trên menu"))
    if copy is not None and copy.data:
        copy.data["position"] = position
        if copy.base is not None:
            copy.base["position"] = position
        if copy.data == copy.base:
            copy.delete()  # the order was all it proposed, and it is live now
        else:
            copy.save()


def _propose(row, copy, position, user):
    """The new position of one item by someone who does not publish; whether it waits for review."""
    service.ensure_history(row)
    if row.status != MenuItem.Status.PUBLISHED:
        row.position = position  # not on the site: the row is the draft
        row.save(update_fields=["position", "updated_at"])
        revisions.record(row, user, _("Đổi thứ tự trên menu (bản nháp)"))
        service.audit(user, row, _("Đổi thứ tự trên menu (bản nháp)"))
        return False
    edited = overlay(copying.copy(row), copy.data if copy is not None else None)
    edited.position = position
    copy = service.save_working_copy(edited, user, copy=copy, live=row)
    copy.state = WorkingCopy.State.PENDING
    copy.submitted_at = copy.submitted_at or timezone.now()
    copy.save(update_fields=["state", "submitted_at", "updated_at"])
    service.audit(user, row, _("Đổi thứ tự trên menu (chờ duyệt)"))
    return True

"""Roles: the staff groups of the admin, each with exactly the permissions one table gives it.

The table is declared once, where every app's permissions may be named (portal/roles.py, registered
by portal's AppConfig.ready() with `declare`); core knows no app and only makes the table true. That
happens after every `migrate`, and after every `flush` (Django sends `post_migrate` for both, so the
tests' live-server runs, which empty the database, get their groups back too): `apply` creates the
missing groups and sets each one's permissions to exactly those listed, adding what is missing and
removing what is not listed (also a permission given by hand in the admin). Running it again changes
nothing. A group that is no longer in the table is left alone: users may still be in it.
"""

import sys
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router, transaction


@dataclass(frozen=True)
class Role:
    """A group of the admin: its name (what the admin shows), what it is for, and its permissions
    as "app_label.codename"."""

    name: str
    description: str
    permissions: frozenset = field(default_factory=frozenset)

    def __post_init__(self):
        permissions = frozenset(self.permissions)
        malformed = sorted(p for p in permissions if p.count(".") != 1)
        if malformed:
            raise ValueError(f'Role "{self.name}": permissions are "app_label.codename", not {malformed}')
        object.__setattr__(self, "permissions", permissions)


@dataclass
class Report:
    """What `apply` did (or, with nothing to do, did not)."""

    created: list = field(default_factory=list)  # names of the groups created
    added: dict = field(default_factory=dict)  # group name → permissions added
    removed: dict = field(default_factory=dict)  # group name → permissions removed
    missing: dict = field(default_factory=dict)  # group name → listed permissions the database lacks

    @property
    def changed(self):
        return bool(self.created or self.added or self.removed)


_roles = {}  # name → Role; filled once at start-up (portal's ready()), read-only afterwards


def declare(*roles):
    """Make these the roles `apply` keeps true (called once, by the app that owns the table)."""
    names = [role.name for role in roles]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"Roles declared twice: {duplicates}")
    _roles.clear()
    _roles.update((role.name, role) for role in roles)


def declared():
    return list(_roles.values())


def apply(roles=None, *, apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Create the roles' groups and give each exactly its permissions; idempotent. Returns a Report.

    A listed permission the database does not have (a typo, or a model not migrated yet) is reported
    in `Report.missing`, not invented: tests check that there is none."""
    roles = declared() if roles is None else list(roles)
    report = Report()
    if not roles:
        return report
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        f"{app_label}.{codename}": pk
        for app_label, codename, pk in Permission.objects.using(using).values_list(
            "content_type__app_label", "codename", "pk"
        )
    }
    names = {pk: dotted for dotted, pk in known.items()}
    with transaction.atomic(using=using):
        for role in roles:
            group, created = Group.objects.using(using).get_or_create(name=role.name)
            if created:
                report.created.append(role.name)
            wanted = {known[p] for p in role.permissions if p in known}
            if missing := sorted(p for p in role.permissions if p not in known):
                report.missing[role.name] = missing
            have = set(group.permissions.values_list("pk", flat=True))
            if add := wanted - have:
                group.permissions.add(*add)
                report.added[role.name] = sorted(names[pk] for pk in add)
            if remove := have - wanted:
                group.permissions.remove(*remove)
                report.removed[role.name] = sorted(names[pk] for pk in remove)
    return report


def after_migrate(sender, app_config=None, verbosity=1, interactive=True, using=DEFAULT_DB_ALIAS, apps=None, **kwargs):
    """post_migrate receiver (connected in core's AppConfig.ready(), for core's signal only).

    Permissions are normally made by the auth app's own receiver, app by app, and core comes before
    most apps: make them all first (idempotent), then the roles."""
    from django.contrib.auth.management import create_permissions

    apps = apps or global_apps
    if not router.allow_migrate(using, "auth"):
        return
    try:
        apps.get_model("auth", "Permission")
        apps.get_model("auth", "Group")
    except LookupError:  # auth's tables are not there (migrated back to zero)
        return
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, interactive=interactive, using=using, apps=apps)
    report = apply(apps=apps, using=using)
    if verbosity >= 1:
        for name, missing in report.missing.items():
            print(f'Warning: role "{name}": no such permission {", ".join(missing)}', file=sys.stderr)
    if verbosity >= 2 and report.changed:
        print(f"Roles: created {report.created}, added {report.added}, removed {report.removed}")

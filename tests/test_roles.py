"""Roles: one table (portal/roles.py), made true after every migrate and flush (core/roles.py)."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from core import roles
from core.roles import Role
from portal.roles import ADMINISTRATORS, EDITORS, FEEDBACK_STAFF, LEADERS, PUBLISHERS, ROLES

README = Path(__file__).resolve().parent.parent / "README.md"


def granted(name):
    """The group's permissions as "app_label.codename"."""
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def snapshot():
    return {group.name: granted(group.name) for group in Group.objects.all()}


def test_the_table_is_what_portal_declares():
    assert [role.name for role in roles.declared()] == [EDITORS, PUBLISHERS, FEEDBACK_STAFF, LEADERS, ADMINISTRATORS]
    assert roles.declared() == ROLES


@pytest.mark.django_db
def test_after_migrate_every_group_has_exactly_its_permissions():
    for role in ROLES:
        assert granted(role.name) == role.permissions, role.name
    assert roles.apply().missing == {}  # every permission the table names exists


# What the data migrations granted before the table existed (news 0002, documents 0002, pages 0002,
# audit 0002, feedback 0002, stats 0002), written out: the table must not have changed anyone's rights.
DOCUMENT_WRITING = {
    "documents.add_document", "documents.change_document", "documents.view_document",
    "documents.add_documentfile", "documents.change_documentfile", "documents.view_documentfile",
    "documents.add_procedure", "documents.change_procedure", "documents.view_procedure",
    "documents.delete_documentfile", "documents.view_documenttype", "documents.view_issuingbody",
    "documents.view_field",
}  # fmt: skip
AGENDA_CONSULTATION_WRITING = {  # the work calendar and drafts for public comment (issue 19)
    "agenda.add_entry", "agenda.change_entry", "agenda.view_entry",
    "consultation.add_consultation", "consultation.change_consultation", "consultation.view_consultation",
    "consultation.add_consultationfile", "consultation.change_consultationfile",
    "consultation.delete_consultationfile", "consultation.view_consultationfile",
}  # fmt: skip
GALLERY_WRITING = {  # photo galleries and videos (issue 19)
    "gallery.add_gallery", "gallery.change_gallery", "gallery.view_gallery",
    "gallery.add_photo", "gallery.change_photo", "gallery.delete_photo", "gallery.view_photo",
    "gallery.add_video", "gallery.change_video", "gallery.view_video",
}  # fmt: skip
BEFORE = {
    EDITORS: {
        "news.add_article", "news.change_article", "news.view_article",
        "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
        "news.view_category",
        "core.add_mediaitem", "core.change_mediaitem", "core.delete_mediaitem", "core.view_mediaitem",
        "core.add_redirect", "core.change_redirect", "core.view_redirect",  # "Chuyển hướng" (issue 21)
    } | DOCUMENT_WRITING | AGENDA_CONSULTATION_WRITING | GALLERY_WRITING,
    PUBLISHERS: {
        "news.add_article", "news.change_article", "news.delete_article", "news.view_article",
        "news.publish_article",
        "news.add_attachment", "news.change_attachment", "news.delete_attachment", "news.view_attachment",
        "news.add_category", "news.change_category", "news.view_category",
        "core.add_mediaitem", "core.change_mediaitem", "core.delete_mediaitem", "core.view_mediaitem",
        "core.add_redirect", "core.change_redirect", "core.delete_redirect", "core.view_redirect",
        "audit.view_auditentry",
        "documents.publish_document", "documents.delete_document", "documents.delete_procedure",
        "documents.add_documenttype", "documents.change_documenttype", "documents.delete_documenttype",
        "documents.add_issuingbody", "documents.change_issuingbody", "documents.delete_issuingbody",
        "documents.add_field", "documents.change_field", "documents.delete_field",
        "pages.change_page", "pages.view_page",
        "pages.add_leader", "pages.change_leader", "pages.delete_leader", "pages.view_leader",
        "pages.change_contactinfo", "pages.view_contactinfo",
    } | DOCUMENT_WRITING | AGENDA_CONSULTATION_WRITING | {
        "agenda.delete_entry", "agenda.publish_entry",
        "consultation.delete_consultation", "consultation.publish_consultation",
        "consultation.change_comment", "consultation.view_comment",
    } | {  # the frame (navigation, issue 19): menus, links, banners, announcements
        f"navigation.{action}_{model}"
        for model in ("menuitem", "weblink", "banner", "announcement")
        for action in ("add", "change", "delete", "view")
    } | {"navigation.publish_navigation"}
    | GALLERY_WRITING | {"gallery.publish_gallery", "gallery.delete_gallery", "gallery.delete_video"},
    FEEDBACK_STAFF: {"feedback.view_feedback", "feedback.change_feedback"}
    | {"consultation.change_comment", "consultation.view_comment"},
    LEADERS: {"stats.view_dashboard"},
}  # fmt: skip


@pytest.mark.django_db
def test_the_groups_of_before_keep_exactly_what_the_data_migrations_gave():
    for name, permissions in BEFORE.items():
        assert granted(name) == permissions, name


@pytest.mark.django_db
def test_administrators_hold_the_staff_accounts_and_nothing_of_the_content():
    assert granted(ADMINISTRATORS) == {
        "auth.add_user", "auth.change_user", "auth.delete_user", "auth.view_user",
        "auth.add_group", "auth.change_group", "auth.delete_group", "auth.view_group",
        "audit.view_auditentry",
        "axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog", "axes.view_accessfailurelog",
        "otp_totp.view_totpdevice", "otp_totp.delete_totpdevice",
        "core.view_outgoingmail", "core.retry_outgoingmail", "core.delete_outgoingmail",
        "news.view_importedpage",  # what import_site brought in (read-only list, news/admin.py)
    }  # fmt: skip


@pytest.mark.django_db
def test_running_the_step_twice_changes_nothing():
    before = snapshot()
    report = roles.apply()
    assert not report.changed and (report.created, report.added, report.removed) == ([], {}, {})
    call_command("migrate", verbosity=0)  # post_migrate: the same step again
    assert snapshot() == before


@pytest.mark.django_db
def test_a_permission_taken_out_of_the_table_is_taken_from_the_group():
    leaders = next(role for role in ROLES if role.name == LEADERS)
    fewer = [Role(LEADERS, leaders.description, set()) if role is leaders else role for role in ROLES]
    report = roles.apply(fewer)
    assert report.removed == {LEADERS: ["stats.view_dashboard"]} and not report.added and not report.created
    assert granted(LEADERS) == set()
    assert roles.apply().added == {LEADERS: ["stats.view_dashboard"]}  # and back with the real table
    assert granted(LEADERS) == {"stats.view_dashboard"}


@pytest.mark.django_db
def test_a_permission_given_by_hand_is_taken_back_and_a_missing_group_made_again():
    Group.objects.get(name=FEEDBACK_STAFF).permissions.add(Permission.objects.get(codename="delete_feedback"))
    Group.objects.filter(name=ADMINISTRATORS).delete()
    Group.objects.create(name="Nhóm riêng").permissions.add(Permission.objects.get(codename="view_article"))
    report = roles.apply()
    assert report.removed == {FEEDBACK_STAFF: ["feedback.delete_feedback"]}
    assert report.created == [ADMINISTRATORS] and set(report.added) == {ADMINISTRATORS}
    assert snapshot() == {**{role.name: role.permissions for role in ROLES}, "Nhóm riêng": {"news.view_article"}}


@pytest.mark.django_db
def test_a_permission_that_does_not_exist_is_reported_not_invented():
    report = roles.apply([Role("Thử", "", ["news.fly_article", "news.view_article"])])
    assert report.missing == {"Thử": ["news.fly_article"]}
    assert granted("Thử") == {"news.view_article"}


def test_a_role_names_permissions_as_app_label_dot_codename():
    with pytest.raises(ValueError, match="app_label.codename"):
        Role("Sai", "", ["view_article"])


def test_a_role_is_declared_once():
    with pytest.raises(ValueError, match="declared twice"):
        roles.declare(Role("A", ""), Role("A", ""))
    assert roles.declared() == ROLES  # a refused declaration changes nothing


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_its_groups_back():
    """Live-server tests empty the database when they end: flush sends post_migrate, and the roles come back."""
    call_command("flush", interactive=False, verbosity=0)
    for role in ROLES:
        assert granted(role.name) == role.permissions, role.name


@pytest.mark.django_db
def test_administrators_keep_the_staff_accounts(client, django_user_model):
    admin = django_user_model.objects.create_user(username="quantri", password="mat-khau-123", is_staff=True)
    admin.groups.add(Group.objects.get(name=ADMINISTRATORS))
    client.force_login(admin)
    for name in (
        "auth_user_changelist",
        "auth_group_changelist",
        "audit_auditentry_changelist",
        "axes_accessattempt_changelist",
        "axes_accesslog_changelist",
        "otp_totp_totpdevice_changelist",
        "core_outgoingmail_changelist",
    ):
        assert client.get(reverse(f"admin:{name}")).status_code == 200, name
    assert client.get(reverse("admin:news_article_changelist")).status_code == 403
    assert client.get(reverse("admin:feedback_feedback_changelist")).status_code == 403


def test_the_readme_lists_every_role():
    section = README.read_text("utf-8").split("## Who does what in the admin", 1)[1].split("\n## ", 1)[0]
    assert re.findall(r"^\| \*\*(.+?)\*\* \|", section, re.M) == [role.name for role in ROLES]

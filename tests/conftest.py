"""Shared fixtures. Every test talks to a real PostgreSQL (DATABASE_URL or the private one)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from documents.models import DocumentType
from news.models import Article, Category
from pages.models import Page

# Rows the data migrations put in: the document types, the two fixed pages and the contact row.
SEED_ROWS = [
    ("documents.migrations.0002_types_and_groups", "forwards"),
    ("pages.migrations.0002_pages_contact_groups", "forwards"),
]


@pytest.fixture(autouse=True)
def _seed_rows(request):
    """A test on a live server empties the database when it ends. Groups and permissions come back by
    themselves (the flush sends post_migrate: core/roles.py makes portal/roles.py true again); the rows
    the data migrations made are put back here, before each test that finds them missing."""
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        return  # (with the marker, pytest-django's own autouse fixture has opened the database already)
    if not (DocumentType.objects.exists() and Page.objects.exists()):
        import importlib

        from django.apps import apps

        for module, function in SEED_ROWS:
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages and fragments live in the cache framework (keyed by the content version, which a rolled-back
    test can leave behind for the next one to reach again): each test starts with an empty cache."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _stats_batches():
    """Counted views wait in the worker and are written in batches (stats/buffer.py) by a background
    thread. Here, unless a test switches that thread on, each request's batch is written as the
    request ends, in the request's own thread (so, for the test client, in the test's transaction);
    nothing one test holds reaches the next."""
    from django.core.signals import request_finished

    from stats import buffer

    def write(**kwargs):
        if buffer.views.thread is None:
            buffer.views.flush()

    request_finished.connect(write, dispatch_uid="tests-stats-batches")
    yield
    request_finished.disconnect(dispatch_uid="tests-stats-batches")
    buffer.views.stop()
    buffer.views.discard()


@pytest.fixture
def category(db):
    return Category.objects.create(name="Hoạt động của Sở", slug="hoat-dong-cua-so", position=1)


@pytest.fixture
def make_article(category):
    def make(title="Bài viết mẫu", status=Article.Status.PUBLISHED, publish_at=None, **fields):
        fields.setdefault("category", category)
        fields.setdefault("body", "<p>Nội dung bài viết mẫu.</p>")
        return Article.objects.create(
            title=title,
            status=status,
            publish_at=publish_at or timezone.now() - timedelta(hours=1),
            **fields,
        )

    return make


@pytest.fixture
def article(make_article):
    return make_article("Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023", summary="Tóm tắt bài.")


def _user_in_group(django_user_model, username, group_name):
    user = django_user_model.objects.create_user(username=username, password="mat-khau-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db, django_user_model):
    return _user_in_group(django_user_model, "bientap", "Biên tập viên")


@pytest.fixture
def publisher(db, django_user_model):
    return _user_in_group(django_user_model, "duyetbai", "Duyệt bài")


@pytest.fixture(scope="session", autouse=True)
def _mail_through_the_outbox(django_test_environment):
    """Django's test set-up swaps EMAIL_BACKEND for its in-memory box; put the outbox back, as in production:
    a sent e-mail is a row (core/mail.py) until the sender delivers it, here to django.core.mail.outbox
    (MAIL_DELIVERY_BACKEND in portal/settings_test.py). Tests read the mail with `deliver_mail`."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "core.mail.OutboxBackend"


@pytest.fixture
def deliver_mail(db):
    """Run the mail sender once, as `manage.py mail_sender` would, and return every message delivered so far
    (django.core.mail.outbox)."""
    from django.core import mail as django_mail

    from core import mail

    def deliver(now=None):
        mail.send_due(now)
        return list(django_mail.outbox)

    return deliver

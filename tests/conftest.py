"""Shared fixtures. Every test talks to a real PostgreSQL (DATABASE_URL or the private one)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from news.models import Article, Category

# Data that migrations create (groups with their permissions, document types). Tests on a live server
# empty the database when they end, so it is put back before each test that finds it missing.
MIGRATION_DATA = [
    ("news.migrations.0002_groups", "create_groups"),
    ("feedback.migrations.0002_group", "create_group"),
    ("stats.migrations.0002_leaders_group", "create_group"),
    ("audit.migrations.0002_publishers_read_log", "grant"),
    ("documents.migrations.0002_types_and_groups", "forwards"),
    ("pages.migrations.0002_pages_contact_groups", "forwards"),
]


@pytest.fixture(autouse=True)
def _migration_data(request):
    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    else:
        return
    if not Group.objects.filter(name="Biên tập viên").exists():
        import importlib

        from django.apps import apps

        # Some of these functions flip AppConfig.models_module to make permissions early: put it back.
        saved = {config: config.models_module for config in apps.get_app_configs()}
        try:
            for module, function in MIGRATION_DATA:
                getattr(importlib.import_module(module), function)(apps, None)
        finally:
            for config, models_module in saved.items():
                config.models_module = models_module


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    from core import fragments
    from pages import footer

    cache.clear()
    footer.forget()
    fragments.forget()  # a rolled-back test leaves a content version number the next test will reach again
    yield
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

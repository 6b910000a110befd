"""Every admin screen each role can reach speaks Vietnamese: the test crawls them (index, app pages, lists,
add forms and their errors, change forms, history, delete and action confirmations) and fails on any
visible text that is an English message of Django's or a library's catalogue (or, for a library that
marks nothing for translation, its models' English names and help texts)."""

import re
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.mail import OutgoingMail
from documents.models import Document, DocumentType, Field, IssuingBody, Procedure
from pages.models import Leader
from portal.roles import ROLES
from rating.models import Rating

from .test_feedback_support import make_feedback

SITE_PACKAGES = Path(django.__file__).parent.parent
# English catalogues (msgids) of Django and of the libraries; a library with no English catalogue is read
# through another language's, whose msgids are the English source strings.
CATALOGUES = [
    "django/conf/locale/en/LC_MESSAGES/django.po",
    "django/contrib/admin/locale/en/LC_MESSAGES/django.po",
    "django/contrib/admin/locale/en/LC_MESSAGES/djangojs.po",
    "django/contrib/auth/locale/en/LC_MESSAGES/django.po",
    "django/contrib/contenttypes/locale/en/LC_MESSAGES/django.po",
    "django/contrib/sessions/locale/en/LC_MESSAGES/django.po",
    "django/contrib/humanize/locale/en/LC_MESSAGES/django.po",
    "django/contrib/postgres/locale/en/LC_MESSAGES/django.po",
    "django/contrib/sites/locale/en/LC_MESSAGES/django.po",
    "axes/locale/de/LC_MESSAGES/django.po",
    "django_otp/locale/de/LC_MESSAGES/django.po",
    "captcha/locale/en/LC_MESSAGES/django.po",
]
# Libraries whose catalogues lag behind their code: their marked source strings are read too.
SOURCES = ["axes", "django_otp"]
MARKED = re.compile(r'\b(?:_|gettext|gettext_lazy|ngettext|ngettext_lazy)\(\s*f?"([^"]+)"')
PROJECT_APPS = {"core", "portal", "audit", "news", "feedback", "stats", "documents", "pages", "rating"}
# Names that are the same in Vietnamese, and words too short to mean anything alone.
ALLOWED = {"Django", "CKEditor", "TOTP", "Email", "E-mail", "Spam", "Captcha", "CAPTCHA", "HTTP", "Online"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")


def po_msgids(path):
    """The msgids (singular and plural) of a .po file: a simple reader, enough for these catalogues."""
    ids, current, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) \"(.*)\"$", line)
        if match:
            if key in ("msgid", "msgid_plural") and current:
                ids.append(current)
            key, current = match.group(1), match.group(2)
        elif line.startswith('"') and key:
            current += line[1:-1]
        else:
            if key in ("msgid", "msgid_plural") and current:
                ids.append(current)
            key, current = None, None
    if key in ("msgid", "msgid_plural") and current:
        ids.append(current)
    return {bytes(i, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8") for i in ids}


def source_strings():
    strings = set()
    for package in SOURCES:
        for path in (SITE_PACKAGES / package).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                strings |= set(MARKED.findall(path.read_text(encoding="utf-8")))
    return strings


def library_model_strings():
    """English strings of the libraries' models as the admin would show them (django-otp marks none)."""
    strings = set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in PROJECT_APPS or model._meta.app_config.name.startswith("django."):
            continue
        for klass in type(model_admin).__mro__:  # the library's column titles (its own class, under ours)
            for value in vars(klass).values():
                description = getattr(value, "short_description", None)
                if isinstance(description, str):
                    strings.add(description)
        for name in ("verbose_name", "verbose_name_plural"):
            if name in model._meta.original_attrs:
                strings.add(str(model._meta.original_attrs[name]))
        for field in model._meta.get_fields():
            for attr in ("verbose_name", "help_text"):
                value = getattr(field, attr, None)
                if value and isinstance(value, str):  # a plain str: not marked for translation
                    strings.add(value)
    return strings


def english_messages():
    msgids = set()
    for relative in CATALOGUES:
        msgids |= po_msgids(SITE_PACKAGES / relative)
    msgids |= source_strings() | library_model_strings()
    exact, patterns = set(), []
    for msgid in msgids:
        text = " ".join(msgid.split())
        literal = PLACEHOLDER.sub("", text).strip()
        if len(literal) <= 3 or text in ALLOWED or not re.search(r"[A-Za-z]{3}", literal):
            continue
        if PLACEHOLDER.search(text):
            parts = [re.escape(part) for part in PLACEHOLDER.split(text)]
            if sum(len(p.strip()) for p in PLACEHOLDER.split(text)) >= 6:
                patterns.append(re.compile("^" + ".+?".join(parts) + "$"))
        else:
            exact.add(text)
    return exact, patterns


class VisibleText(HTMLParser):
    """Text nodes and the visible attributes (title, placeholder, labels, button values) of a page."""

    HIDDEN = {"script", "style", "template", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.chunks = []

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden_depth += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attrs.get(name):
                self.chunks.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
            self.chunks.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and data.strip():
            self.chunks.append(data)


def visible_chunks(html):
    parser = VisibleText()
    parser.feed(html)
    return [" ".join(chunk.split()) for chunk in parser.chunks if chunk.strip()]


def english_in(html, exact, patterns):
    found = set()
    for chunk in visible_chunks(html):
        candidates = {chunk, chunk.rstrip(":"), chunk.strip("()")}
        hit = candidates & exact
        if hit:
            found |= hit
            continue
        for pattern in patterns:
            if pattern.match(chunk):
                found.add(pattern.pattern)
                break
    return found


@pytest.fixture
def objects(db, article, django_user_model):
    """One object of every model in the admin, so change forms, history and confirmations can be seen."""
    kind = DocumentType.objects.first()
    issuer = IssuingBody.objects.create(name="Ủy ban nhân dân tỉnh")
    field = Field.objects.create(name="Sở hữu trí tuệ")
    document = Document.objects.create(
        doc_type=kind,
        number="12/2023/QĐ-UBND",
        issuer=issuer,
        summary="Quy định quản lý nhiệm vụ khoa học",
        issued_on=date(2023, 3, 15),
        expires_on=timezone.localdate() + timedelta(days=10),
        is_published=True,
    )
    Procedure.objects.create(code="1.004495", name="Đăng ký kết quả nhiệm vụ", field=field)
    Leader.objects.create(name="Nguyễn Văn An", title="Giám đốc Sở")
    make_feedback()
    Rating.objects.create(level=Rating.Level.choices[0][0], comment="Tốt", visitor_hash="a" * 64, ip_hash="b" * 64)
    OutgoingMail.objects.create(
        subject="Thư mời", to=["can-bo@example.vn"], body="Nội dung", status=OutgoingMail.Status.FAILED
    )
    common = {"user_agent": "Mozilla/5.0", "ip_address": "198.51.100.7", "username": "nguoila", "path_info": "/admin/"}
    AccessAttempt.objects.create(**common, http_accept="text/html", get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**common, http_accept="text/html")
    AccessFailureLog.objects.create(**common, http_accept="text/html", locked_out=False)
    owner = django_user_model.objects.create_user("chuthietbi", email="chu@example.vn")
    TOTPDevice.objects.create(user=owner, name="Điện thoại", confirmed=True)
    return document


def role_users(django_user_model):
    users = []
    for role in ROLES:
        user = django_user_model.objects.create_user(f"vaitro{len(users)}", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=role.name))
        users.append((role.name, user))
    users.append(("superuser", django_user_model.objects.create_superuser("sieuquantri", "sieu@example.vn", "x")))
    return users


def admin_urls_of(client):
    """What one user can reach: the index, the apps' pages, and each model's pages and confirmations."""
    response = client.get(reverse("admin:index"))
    yield "GET", reverse("admin:index"), None, response
    for app in response.context["app_list"]:
        yield "GET", app["app_url"], None, None
        for model_info in app["models"]:
            model = model_info["model"]
            model_admin = admin.site._registry[model]
            opts = model._meta
            if model_info.get("admin_url"):
                changelist = model_info["admin_url"]
                yield "GET", changelist, None, None
                if not opts.managed:
                    continue  # a page of its own (the leaders' dashboard), no rows
                obj = model_admin.get_queryset(response.wsgi_request).order_by("pk").first()
                if obj is not None:
                    request = response.wsgi_request
                    for name in model_admin.get_actions(request):
                        data = {"action": name, "_selected_action": [obj.pk], "index": 0}
                        yield "POST", changelist, data, None
                    for view in ("change", "history", "delete"):
                        try:
                            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
                        except NoReverseMatch:
                            continue
                        yield "GET", url, None, None
            if model_info.get("add_url"):
                yield "GET", model_info["add_url"], None, None
                yield "POST", model_info["add_url"], {}, None  # every error of an empty form


@pytest.mark.django_db
def test_no_english_in_the_admin(client, django_user_model, objects):
    """Every admin page each role (and a superuser) can reach is free of Django's and the libraries'
    English interface text."""
    exact, patterns = english_messages()
    assert len(exact) > 400  # the catalogues were read
    problems = {}
    pages = 0
    for role, user in role_users(django_user_model):
        client.force_login(user)
        for method, url, data, response in admin_urls_of(client):
            if response is None:
                response = client.post(url, data, follow=True) if method == "POST" else client.get(url, follow=True)
            if response.status_code in (403, 404):
                continue
            assert response.status_code == 200, (role, method, url, response.status_code)
            if "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            for text in english_in(response.content.decode(), exact, patterns):
                problems.setdefault(text, set()).add(f"{role}: {method} {url}")
        client.logout()
    assert pages > 100
    report = "\n".join(f"{text!r}  ← {sorted(where)[:3]}" for text, where in sorted(problems.items()))
    assert not problems, f"English interface text in the admin:\n{report}"


def test_project_catalogue_wins():
    """The project's Vietnamese catalogue is used for the libraries' strings (LOCALE_PATHS comes first)."""
    from django.utils import translation

    with translation.override("vi"):
        assert translation.gettext("access attempts") != "access attempts"
        assert str(apps.get_app_config("axes").verbose_name) == "Đăng nhập"
        assert str(TOTPDevice._meta.verbose_name_plural) == "thiết bị xác thực hai bước"


@pytest.mark.django_db
def test_device_secret_not_shown(client, django_user_model):
    """ "Quản trị" sees a colleague's authenticator in Vietnamese, but never its secret key or QR code."""
    admin_user = django_user_model.objects.create_user("quantri", password="x", is_staff=True)
    admin_user.groups.add(Group.objects.get(name="Quản trị"))
    owner = django_user_model.objects.create_user("chuthietbi")
    device = TOTPDevice.objects.create(user=owner, name="Điện thoại", confirmed=True)
    client.force_login(admin_user)
    html = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert "Tên thiết bị" in html and "Chống dò mã" in html
    assert device.key not in html and "qrcode" not in html
    with pytest.raises(NoReverseMatch):
        reverse("admin:otp_totp_totpdevice_config", args=[device.pk])
    response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/", follow=True)
    assert device.key not in response.content.decode() and "otpauth" not in response.content.decode()

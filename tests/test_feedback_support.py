"""Helpers for the feedback tests (no tests here). The captcha is always the real one: a challenge
is created in django-simple-captcha's store and its answer read back from the row."""

from captcha.models import CaptchaStore
from django.contrib.auth.models import Group, Permission

from core.clientip import hash_ip
from feedback.codes import new_code
from feedback.models import GROUP_NAME, Feedback

GROUP_PERMISSIONS = ["view_feedback", "change_feedback"]  # as in the migration
CREATE_URL = "/gop-y/"
LOCAL_IP = "127.0.0.1"  # the test client's REMOTE_ADDR


def solve_captcha():
    """A fresh challenge from the real store, answered correctly."""
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def answer_for(key):
    return CaptchaStore.objects.get(hashkey=key).response


def form_data(captcha=True, **overrides):
    data = {
        "name": "Nguyễn Văn An",
        "email": "an.nguyen@example.vn",
        "phone": "0912 345 678",
        "title": "Hỏi về thủ tục đăng ký đề tài khoa học cấp tỉnh",
        "content": "Xin hỏi Sở: hồ sơ đăng ký đề tài cấp tỉnh năm 2024 gồm những giấy tờ gì?",
        "website": "",
        "article": "",
    }
    if captcha:
        data.update(solve_captcha())
    data.update(overrides)
    return data


def make_feedback(**fields):
    """A stored item, as if a citizen had sent it."""
    fields.setdefault("name", "Trần Thị Bình")
    fields.setdefault("title", "Câu hỏi về sở hữu trí tuệ")
    fields.setdefault("content", "Doanh nghiệp nhỏ đăng ký nhãn hiệu ở đâu?")
    fields.setdefault("ip_hash", hash_ip("198.51.100.7"))
    fields.setdefault("code", new_code())
    if fields.get("is_public"):  # published as staff do: with a public version of the answer
        fields.setdefault("public_answer", fields.get("answer", ""))
    return Feedback.objects.create(**fields)


def answered(**fields):
    fields.setdefault("status", Feedback.Status.ANSWERED)
    fields.setdefault("answer", "Doanh nghiệp nộp hồ sơ tại Cục Sở hữu trí tuệ hoặc trực tuyến.")
    fields.setdefault("answered_unit", "Phòng Quản lý chuyên ngành")
    return make_feedback(**fields)


def staff_user(django_user_model, username="tiepnhan", email="tiepnhan@so.example.vn", **extra):
    user = django_user_model.objects.create_user(
        username=username, password="mat-khau-123", is_staff=True, email=email, **extra
    )
    user.groups.add(receivers_group())
    return user


def receivers_group():
    """The group made by feedback/migrations/0002_group.py (made again after a transactional
    test has flushed the database: a flush keeps permissions, not data-migration rows)."""
    group, created = Group.objects.get_or_create(name=GROUP_NAME)
    if created:
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="feedback", codename__in=GROUP_PERMISSIONS)
        )
    return group


def text_of(response):
    return response.content.decode()

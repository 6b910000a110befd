"""Management commands for cron and demos."""

from datetime import timedelta
from io import StringIO

import pytest
from captcha.models import CaptchaStore
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.clientip import hash_ip
from feedback.models import Feedback

from .test_feedback_support import answered, make_feedback, staff_user

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_remind_emails_the_overdue_list(django_user_model, deliver_mail):
    staff_user(django_user_model)
    late = make_feedback(title="Chưa ai trả lời <b>cả</b>")
    done = answered(title="Đã trả lời rồi")
    make_feedback(title="Mới gửi hôm nay")
    Feedback.objects.filter(pk__in=[late.pk, done.pk]).update(created_at=timezone.now() - timedelta(days=10))
    output = run("feedback_remind")
    assert late.code in output and "Đã trả lời rồi" not in output and "Mới gửi hôm nay" not in output
    assert "thư nhắc đã vào hàng gửi tới 1 người" in output
    (message,) = deliver_mail()
    assert message.to == ["tiepnhan@so.example.vn"]
    assert message.subject == "[Góp ý quá hạn] 1 góp ý chưa được trả lời sau 7 ngày"
    assert late.code in message.body and "Chưa ai trả lời <b>cả</b>" in message.body
    assert "&lt;b&gt;cả&lt;/b&gt;" in message.alternatives[0][0]
    assert "/admin/feedback/feedback/?qua_han=1" in message.body


def test_remind_sends_nothing_when_all_is_answered(django_user_model, deliver_mail):
    staff_user(django_user_model)
    make_feedback()
    assert "Không có góp ý nào quá hạn." in run("feedback_remind")
    assert deliver_mail() == []


def test_cleanup_forgets_old_ip_hashes_and_expired_captchas():
    old, recent = make_feedback(), make_feedback()
    Feedback.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    expired = CaptchaStore.generate_key()
    CaptchaStore.objects.filter(hashkey=expired).update(expiration=timezone.now() - timedelta(minutes=1))
    fresh = CaptchaStore.generate_key()
    output = run("feedback_cleanup")
    assert "Đã xoá 1 mã kiểm tra hết hạn; đã xoá mã băm IP của 1 góp ý." in output
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_hash == "" and recent.ip_hash == hash_ip("198.51.100.7")
    assert list(CaptchaStore.objects.values_list("hashkey", flat=True)) == [fresh]
    with pytest.raises(CommandError):
        run("feedback_cleanup", "--ip-days", "0")


def test_demo_is_idempotent(client):
    assert "thêm 4, đã có 0" in run("feedback_demo")
    assert "thêm 0, đã có 4" in run("feedback_demo")
    assert Feedback.objects.published().count() == 4
    assert "Doanh nghiệp nhỏ đăng ký nhãn hiệu ở đâu?" in client.get("/hoi-dap/").content.decode()


def test_cleanup_removes_contact_details_after_the_retention(settings):
    """Decree 13: name, e-mail and phone go FEEDBACK_CONTACT_RETENTION_DAYS after the answer; a published
    question keeps only its public version; open and recent items keep everything."""
    settings.FEEDBACK_CONTACT_RETENTION_DAYS = 90
    long_ago = timezone.now() - timedelta(days=91)
    contact = {"email": "binh@example.vn", "phone": "0912345678"}
    old = answered(answered_at=long_ago, staff_note="Gọi lại số 0912345678", **contact)
    published = answered(
        answered_at=long_ago,
        is_public=True,
        content="Tôi là Bình, số 0912345678, hỏi về nhãn hiệu.",
        public_question="Hỏi về đăng ký nhãn hiệu.",
        staff_note="Đã gọi điện.",
        **contact,
    )
    recent = answered(answered_at=timezone.now() - timedelta(days=89), **contact)
    still_open = make_feedback(**contact)
    spam = make_feedback(status=Feedback.Status.SPAM, **contact)
    Feedback.objects.filter(pk__in=[still_open.pk, spam.pk]).update(created_at=long_ago)

    output = run("feedback_cleanup")
    assert "Đã xoá thông tin liên hệ (họ tên, email, điện thoại) của 3 góp ý; 1 câu hỏi công khai" in output
    for item in (old, published, spam):
        item.refresh_from_db()
        assert (item.name, item.email, item.phone) == ("", "", "")
    assert old.content == "Doanh nghiệp nhỏ đăng ký nhãn hiệu ở đâu?" and old.answer  # the record of the work stays
    assert old.staff_note == ""
    assert published.content == "Hỏi về đăng ký nhãn hiệu." and published.staff_note == ""
    for item in (recent, still_open):
        item.refresh_from_db()
        assert (item.name, item.email, item.phone) == ("Trần Thị Bình", "binh@example.vn", "0912345678")
    assert "0912345678" not in str(list(Feedback.objects.filter(is_public=True).values()))
    assert "của 0 góp ý; 0 câu hỏi" in run("feedback_cleanup")  # nothing left to do: idempotent

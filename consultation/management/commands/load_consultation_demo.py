"""Demo drafts for public comment: one open, one closed with its published report (illustrative content).

Idempotent: a draft is found again by its title; nothing is duplicated, what an editor changed is kept."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from consultation.models import Comment, Consultation, ConsultationFile
from core.fonts import font

UNIT = "Sở Khoa học và Công nghệ"

OPEN_TITLE = "Dự thảo Quyết định ban hành Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh (sửa đổi)"
OPEN_SUMMARY = (
    "Dự thảo sửa đổi Quy định quản lý nhiệm vụ khoa học và công nghệ cấp tỉnh sử dụng ngân sách nhà nước: "
    "đơn giản hoá hồ sơ đề xuất, cho phép nộp hồ sơ trực tuyến, rút ngắn thời gian thẩm định kinh phí và "
    "bổ sung cơ chế khoán chi đến sản phẩm cuối cùng.\n\n"
    "Sở Khoa học và Công nghệ trân trọng đề nghị các cơ quan, tổ chức, doanh nghiệp và người dân góp ý, "
    "nhất là về Điều 8 (hồ sơ đề xuất), Điều 15 (thẩm định kinh phí) và Điều 21 (khoán chi)."
)
CLOSED_TITLE = "Dự thảo Kế hoạch phát triển thị trường khoa học và công nghệ tỉnh giai đoạn 2026 - 2030"
CLOSED_SUMMARY = (
    "Dự thảo Kế hoạch đặt mục tiêu tăng giá trị giao dịch công nghệ, phát triển các tổ chức trung gian và "
    "sàn giao dịch công nghệ của tỉnh, hỗ trợ doanh nghiệp đổi mới công nghệ."
)
CLOSED_REPORT = (
    "Sau 30 ngày lấy ý kiến, Sở Khoa học và Công nghệ nhận được 3 ý kiến của doanh nghiệp và người dân.\n\n"
    "1. Đề nghị bổ sung hỗ trợ doanh nghiệp nhỏ và vừa tham gia chợ công nghệ: tiếp thu, bổ sung tại mục III.2.\n"
    "2. Đề nghị tăng chỉ tiêu số giao dịch công nghệ: giải trình, giữ nguyên vì chỉ tiêu đã cân đối với nguồn lực.\n"
    "3. Góp ý về câu chữ tại mục I: tiếp thu, chỉnh sửa."
)


def draft_pdf(title):
    page = Image.new("L", (827, 1169), 255)
    draw = ImageDraw.Draw(page)
    draw.text((60, 60), "SỞ KHOA HỌC VÀ CÔNG NGHỆ", font=font(17, bold=True), fill=0)
    draw.text((60, 120), "DỰ THẢO", font=font(24, bold=True), fill=0)
    y = 180
    line = ""
    for word in title.split():
        if draw.textlength(f"{line} {word}", font=font(17)) > 700:
            draw.text((60, y), line, font=font(17), fill=0)
            y, line = y + 28, word
        else:
            line = f"{line} {word}".strip()
    draw.text((60, y), line, font=font(17), fill=0)
    draw.text((60, y + 60), "Tài liệu mẫu dùng để trình diễn cổng thông tin điện tử.", font=font(15), fill=0)
    out = io.BytesIO()
    page.save(out, "PDF", resolution=100)
    return out.getvalue()


class Command(BaseCommand):
    help = "Load demo drafts for public comment (idempotent)."

    def handle(self, *args, **options):
        now = timezone.now()
        with transaction.atomic():
            open_draft = self.draft(OPEN_TITLE, OPEN_SUMMARY, now - timedelta(days=5), now + timedelta(days=25))
            closed = self.draft(CLOSED_TITLE, CLOSED_SUMMARY, now - timedelta(days=60), now - timedelta(days=30))
            if not closed.comments.exists():
                Comment.objects.bulk_create(
                    [
                        Comment(
                            consultation=closed,
                            name="Công ty TNHH Công nghệ Sao Việt",
                            content="Đề nghị bổ sung hỗ trợ doanh nghiệp nhỏ và vừa tham gia chợ công nghệ.",
                            response="Tiếp thu, bổ sung tại mục III.2 của Kế hoạch.",
                            is_public=True,
                            created_at=now - timedelta(days=50),
                        ),
                        Comment(
                            consultation=closed,
                            name="Nguyễn Văn An",
                            content="Chỉ tiêu số giao dịch công nghệ nên tăng lên 20% mỗi năm.",
                            created_at=now - timedelta(days=45),
                        ),
                        Comment(
                            consultation=closed,
                            name="Trần Thị Bình",
                            content="Mục I có câu chưa rõ nghĩa, đề nghị viết lại.",
                            created_at=now - timedelta(days=40),
                        ),
                    ]
                )
            if not closed.report:
                closed.report = CLOSED_REPORT
                closed.report_published = True
                closed.save()
            for item in (open_draft, closed):
                if not item.files.exists():
                    ConsultationFile.objects.create(
                        consultation=item,
                        title="Dự thảo",
                        file=ContentFile(draft_pdf(item.title), name=f"{item.slug}.pdf"),
                    )
        self.stdout.write(self.style.SUCCESS(f"Consultation demo ready: {Consultation.objects.count()} drafts."))

    @staticmethod
    def draft(title, summary, opens_at, closes_at):
        item = Consultation.objects.filter(title=title).first()
        if item is None:
            item = Consultation.objects.create(
                title=title,
                summary=summary,
                drafting_unit=UNIT,
                opens_at=opens_at,
                closes_at=closes_at,
                status=Consultation.Status.PUBLISHED,
                publish_at=opens_at,
            )
        return item

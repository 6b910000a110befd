"""Demo questions with answers for /hoi-dap/ (idempotent: run it twice, nothing is duplicated)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from feedback.codes import new_code
from feedback.models import Feedback

QUESTIONS = [
    (
        "Hồ sơ đăng ký đề tài khoa học cấp tỉnh gồm những gì?",
        "Tôi là giảng viên, muốn đăng ký chủ trì đề tài cấp tỉnh năm tới. Xin hỏi hồ sơ gồm những giấy tờ gì "
        "và nộp ở đâu?",
        "Hồ sơ gồm: đơn đăng ký chủ trì, thuyết minh đề tài theo mẫu, lý lịch khoa học của chủ nhiệm và các "
        "thành viên, văn bản xác nhận phối hợp (nếu có). Hồ sơ nộp tại Bộ phận tiếp nhận và trả kết quả của Sở "
        "hoặc qua Cổng dịch vụ công của tỉnh.",
        "Phòng Quản lý Khoa học",
    ),
    (
        "Doanh nghiệp nhỏ đăng ký nhãn hiệu ở đâu?",
        "Cơ sở sản xuất nước mắm của gia đình tôi muốn đăng ký nhãn hiệu. Xin hỏi thủ tục và chi phí?",
        "Đơn đăng ký nhãn hiệu nộp tại Cục Sở hữu trí tuệ (trực tiếp, qua bưu điện hoặc trực tuyến). Sở hỗ trợ "
        "hướng dẫn lập hồ sơ miễn phí; doanh nghiệp nhỏ và vừa có thể được hỗ trợ một phần chi phí theo "
        "chương trình phát triển tài sản trí tuệ của tỉnh.",
        "Phòng Quản lý chuyên ngành",
    ),
    (
        "Kiểm định cân điện tử ở chợ bao lâu một lần?",
        "Tiểu thương chúng tôi dùng cân điện tử. Bao lâu phải kiểm định lại và kiểm định ở đâu?",
        "Cân dùng trong mua bán phải được kiểm định ban đầu và kiểm định định kỳ 12 tháng một lần tại tổ chức "
        "kiểm định được chỉ định. Chi cục Tiêu chuẩn Đo lường Chất lượng tổ chức kiểm định tại chợ theo lịch "
        "thông báo hằng quý.",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    ),
    (
        "Đăng ký thiết bị X-quang tại phòng khám tư nhân",
        "Phòng khám của tôi mới mua máy X-quang chẩn đoán nha khoa. Cần làm thủ tục gì trước khi sử dụng?",
        "Cơ sở cần đề nghị cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán y tế) "
        "tại Sở trước khi đưa thiết bị vào sử dụng; hồ sơ gồm đơn đề nghị, báo cáo đánh giá an toàn, chứng chỉ "
        "nhân viên bức xạ và kết quả kiểm định thiết bị.",
        "",
    ),
]


class Command(BaseCommand):
    help = "Add a few answered, published questions to /hoi-dap/ (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        now = timezone.now()
        created = 0
        for days, (title, question, answer, unit) in enumerate(QUESTIONS, start=1):
            _item, made = Feedback.objects.get_or_create(
                title=title,
                defaults={
                    "code": new_code(),
                    "name": "Bạn đọc",
                    "content": question,
                    "answer": answer,
                    "public_answer": answer,
                    "answered_unit": unit,
                    "status": Feedback.Status.ANSWERED,
                    "is_public": True,
                    "created_at": now - timedelta(days=days * 3),
                    "answered_at": now - timedelta(days=days * 3 - 2),
                },
            )
            created += made
        self.stdout.write(f"Hỏi đáp mẫu: thêm {created}, đã có {len(QUESTIONS) - created}.")

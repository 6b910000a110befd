"""The bench database's other searched kinds: documents, procedures, Q&A, consultations (and the pages).

    DATABASE_URL=postgres://…/portal_bench_100000 python scripts/bench_kinds.py [--documents 3000] …

`make bench` (scripts/bench.py) runs it after the articles loader, so the site search is measured
against every provider's table at a provincial department's scale, not against articles alone:
3,000 legal documents (each with one or two file records: name and size, no file written),
300 administrative procedures, 2,000 published questions with answers (and 1,000 more that are not
public: a real inbox holds them), 50 drafts for public comment. The Department's pages are the two the
pages app has (`load_pages_demo`); the other kinds' demo loaders run first, so their hand-written
rows (the seed document 12/2023/QĐ-UBND…) are there too.

Vietnamese text made from a fixed vocabulary with a fixed random seed; bulk_create in batches.
Idempotent: generated rows are recognised by their slug, code or marker, and only the missing ones
are added.
"""

import argparse
import io
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

BATCH = 1000
MARKER = "bench-kinds"  # Feedback.ip_hash of generated Q&A (not shown anywhere)

DOC_TYPES = [
    # (type, symbol, issuer, weight)
    ("Quyết định", "QĐ-UBND", "Ủy ban nhân dân tỉnh", 6),
    ("Quyết định", "QĐ-SKHCN", "Sở Khoa học và Công nghệ", 8),
    ("Kế hoạch", "KH-SKHCN", "Sở Khoa học và Công nghệ", 4),
    ("Kế hoạch", "KH-UBND", "Ủy ban nhân dân tỉnh", 2),
    ("Công văn", "SKHCN-QLKH", "Sở Khoa học và Công nghệ", 6),
    ("Công văn", "UBND-KGVX", "Ủy ban nhân dân tỉnh", 3),
    ("Thông báo", "TB-SKHCN", "Sở Khoa học và Công nghệ", 3),
    ("Báo cáo", "BC-SKHCN", "Sở Khoa học và Công nghệ", 2),
    ("Thông tư", "TT-BKHCN", "Bộ Khoa học và Công nghệ", 2),
    ("Nghị quyết", "NQ-HĐND", "Hội đồng nhân dân tỉnh", 1),
    ("Chỉ thị", "CT-UBND", "Ủy ban nhân dân tỉnh", 1),
]
ACTIONS = [
    "Ban hành Quy định quản lý",
    "Phê duyệt danh mục",
    "Về việc tổ chức triển khai",
    "Hướng dẫn thực hiện",
    "Sửa đổi, bổ sung một số điều của Quy định về",
    "Về việc giao nhiệm vụ",
    "Triển khai kế hoạch",
    "Kiện toàn Hội đồng tư vấn",
    "Về việc công bố",
    "Tổng kết, đánh giá kết quả",
    "Phê duyệt kết quả tuyển chọn",
    "Thành lập đoàn kiểm tra",
]
TOPICS = [
    "nhiệm vụ khoa học và công nghệ cấp tỉnh",
    "đề tài, dự án sử dụng ngân sách nhà nước",
    "hoạt động đo lường, thử nghiệm phương tiện đo",
    "tiêu chuẩn, quy chuẩn kỹ thuật về chất lượng sản phẩm, hàng hóa",
    "bảo hộ quyền sở hữu trí tuệ, nhãn hiệu tập thể và chỉ dẫn địa lý",
    "chuyển giao công nghệ trong nông nghiệp công nghệ cao",
    "an toàn bức xạ và hạt nhân trong y tế",
    "hệ sinh thái khởi nghiệp đổi mới sáng tạo",
    "chương trình năng suất, chất lượng sản phẩm hàng hóa",
    "chuyển đổi số trong cơ quan nhà nước",
    "ứng dụng trí tuệ nhân tạo và dữ liệu lớn",
    "thiết bị X-quang chẩn đoán y tế",
    "kiểm định cân điện tử tại chợ và siêu thị",
    "truy xuất nguồn gốc sản phẩm OCOP",
    "phát triển tài sản trí tuệ cho doanh nghiệp nhỏ và vừa",
    "quỹ phát triển khoa học và công nghệ của tỉnh",
    "thông tin, thống kê khoa học và công nghệ",
    "cải cách hành chính và dịch vụ công trực tuyến",
    "an toàn thông tin mạng",
    "giống cây trồng, vật nuôi chất lượng cao",
    "công nghệ sinh học trong chế biến thủy sản",
    "năng lượng tái tạo và tiết kiệm năng lượng",
]
PLACES = [
    "trên địa bàn tỉnh",
    "giai đoạn 2021-2025",
    "giai đoạn 2026-2030",
    "năm 2024",
    "năm 2025",
    "năm 2026",
    "tại các huyện miền núi",
    "cho doanh nghiệp nhỏ và vừa",
    "tại Khu công nghiệp",
]
SIGNERS = ["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Quang Minh", "Phạm Đức Thắng", "Hoàng Thị Lan", "Võ Thanh Tùng"]
PROCEDURE_ACTIONS = [
    "Cấp giấy phép",
    "Cấp lại giấy phép",
    "Gia hạn giấy phép",
    "Cấp giấy chứng nhận đăng ký",
    "Đăng ký",
    "Thẩm định",
    "Xác nhận",
    "Công nhận",
    "Điều chỉnh nội dung",
    "Thu hồi",
]
PROCEDURE_OBJECTS = [
    "tiến hành công việc bức xạ – sử dụng thiết bị X-quang chẩn đoán trong y tế",
    "chứng chỉ nhân viên bức xạ",
    "kết quả thực hiện nhiệm vụ khoa học và công nghệ không sử dụng ngân sách nhà nước",
    "hợp đồng chuyển giao công nghệ",
    "hoạt động thử nghiệm, giám định, kiểm định, chứng nhận",
    "doanh nghiệp khoa học và công nghệ",
    "tổ chức khoa học và công nghệ",
    "văn phòng đại diện, chi nhánh của tổ chức khoa học và công nghệ",
    "phương tiện đo nhóm 2",
    "dấu định lượng trên hàng đóng gói sẵn",
    "công bố hợp chuẩn, hợp quy",
    "chỉ dẫn địa lý, nhãn hiệu chứng nhận",
    "sáng kiến cấp tỉnh",
    "cơ sở ươm tạo công nghệ, ươm tạo doanh nghiệp",
    "hàng hóa nhóm 2 nhập khẩu",
]
QUESTION_STARTS = [
    "Xin hỏi thủ tục",
    "Cho tôi hỏi hồ sơ",
    "Doanh nghiệp chúng tôi muốn biết về",
    "Hợp tác xã cần làm gì để",
    "Tôi muốn hỏi chi phí",
    "Thời gian giải quyết hồ sơ",
    "Ở đâu hướng dẫn",
    "Có được hỗ trợ kinh phí khi",
]
QUESTION_GOALS = [
    "đăng ký nhãn hiệu cho sản phẩm nước mắm truyền thống",
    "đăng ký đề tài khoa học cấp tỉnh",
    "kiểm định cân điện tử ở chợ",
    "xin giấy phép sử dụng máy X-quang nha khoa",
    "công bố hợp quy sản phẩm thép",
    "chứng nhận doanh nghiệp khoa học và công nghệ",
    "ứng dụng công nghệ cao trong trồng rau",
    "xây dựng chỉ dẫn địa lý cho bưởi da xanh",
    "truy xuất nguồn gốc sản phẩm OCOP",
    "chuyển giao công nghệ sấy nông sản",
    "tham gia chương trình khởi nghiệp đổi mới sáng tạo",
    "kiểm định đồng hồ đo nước",
    "đánh giá trình độ công nghệ sản xuất",
    "áp dụng hệ thống quản lý chất lượng ISO 9001",
]
ANSWER_SENTENCES = [
    "Hồ sơ nộp tại Bộ phận tiếp nhận và trả kết quả của Sở hoặc qua Cổng dịch vụ công của tỉnh.",
    "Thành phần hồ sơ gồm đơn đề nghị theo mẫu, bản thuyết minh và các giấy tờ chứng minh liên quan.",
    "Thời hạn giải quyết là 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Doanh nghiệp nhỏ và vừa được hỗ trợ một phần chi phí theo chương trình phát triển tài sản trí tuệ.",
    "Chi cục Tiêu chuẩn Đo lường Chất lượng tổ chức kiểm định định kỳ theo lịch thông báo hằng quý.",
    "Phí thẩm định thực hiện theo quy định của Bộ Tài chính, nộp khi nhận kết quả.",
    "Ông/bà có thể liên hệ Phòng Quản lý Khoa học qua số điện thoại đường dây nóng để được hướng dẫn.",
    "Căn cứ Thông tư số 15/2024/TT-BKHCN, cơ sở phải hoàn thành việc đăng ký trước khi đưa vào sử dụng.",
    "Sở sẽ tổ chức lớp tập huấn hướng dẫn lập hồ sơ miễn phí cho các hợp tác xã trong quý tới.",
    "Kết quả được trả trực tuyến và gửi qua dịch vụ bưu chính công ích nếu người dân yêu cầu.",
    "Nội dung này được quy định tại Quyết định số 12/2023/QĐ-UBND của Ủy ban nhân dân tỉnh.",
    "Trường hợp hồ sơ chưa đầy đủ, Sở thông báo bằng văn bản trong vòng 03 ngày làm việc.",
]
UNITS = [
    "Phòng Quản lý Khoa học",
    "Phòng Quản lý chuyên ngành",
    "Chi cục Tiêu chuẩn Đo lường Chất lượng",
    "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
    "Văn phòng Sở",
]
NAMES = ["Nguyễn Thị Hoa", "Trần Văn Bình", "Lê Thị Thu", "Phạm Minh Tuấn", "Đặng Văn Lâm", "Bùi Thị Ngọc"]


def weighted_types(rnd):
    return rnd.choices(DOC_TYPES, weights=[weight for *_, weight in DOC_TYPES])[0]


def document_summary(rnd):
    return f"{rnd.choice(ACTIONS)} {rnd.choice(TOPICS)} {rnd.choice(PLACES)}"


def number_for(symbol, serial, year):
    # Legal documents (QĐ-UBND with a year, Thông tư, Nghị quyết) carry the year; the others do not.
    if symbol in {"QĐ-UBND", "TT-BKHCN", "NQ-HĐND", "CT-UBND"}:
        return f"{serial}/{year}/{symbol}"
    return f"{serial}/{symbol}"


def load_documents(count, rnd):
    from core.slugs import vn_slugify
    from documents.models import Document, DocumentFile, DocumentType, Field, IssuingBody

    have = Document.objects.filter(slug__startswith="bench-vb-").count()
    if have >= count:
        return 0
    types = {}
    for position, (name, *_rest) in enumerate(DOC_TYPES, 1):
        types[name] = DocumentType.objects.get_or_create(
            name=name, defaults={"slug": vn_slugify(name, max_length=120), "position": 50 + position}
        )[0]
    issuers = {}
    for position, (*_rest, issuer, _weight) in enumerate(DOC_TYPES, 1):
        issuers[issuer] = IssuingBody.objects.get_or_create(
            name=issuer, defaults={"slug": vn_slugify(issuer, max_length=120), "position": 50 + position}
        )[0]
    fields = list(Field.objects.all())
    today = date.today()
    batch, made = [], 0
    for index in range(have + 1, count + 1):
        type_name, symbol, issuer, _weight = weighted_types(rnd)
        issued = today - timedelta(days=rnd.randrange(0, 365 * 8))
        number = number_for(symbol, rnd.randrange(1, 2500), issued.year)
        if index == 1:
            type_name, symbol, issuer, number = "Thông tư", "TT-BKHCN", "Bộ Khoa học và Công nghệ", "15/2024/TT-BKHCN"
            issued = date(2024, 10, 15)
        batch.append(
            Document(
                doc_type=types[type_name],
                type_name=type_name,
                number=number,
                issuer=issuers[issuer],
                issuer_name=issuer,
                signer=rnd.choice(SIGNERS),
                issued_on=issued,
                summary=document_summary(rnd),
                slug=f"bench-vb-{index}",
                is_published=rnd.random() < 0.95,
            )
        )
        if len(batch) == BATCH or index == count:
            made += len(batch)
            created = Document.objects.bulk_create(batch)
            files = [
                DocumentFile(
                    document=document,
                    title=f"{document.type_name} {document.number}" + (" (phụ lục)" if part else ""),
                    file=f"attachments/van-ban/bench/{document.slug}-{part}.pdf",
                    size=rnd.randrange(80_000, 4_000_000),
                    position=part,
                )
                for document in created
                for part in range(1 + (rnd.random() < 0.3))
            ]
            DocumentFile.objects.bulk_create(files)
            if fields:
                through = Document.fields.through
                through.objects.bulk_create(
                    [through(document_id=document.pk, field_id=rnd.choice(fields).pk) for document in created]
                )
            batch = []
    return made


def load_procedures(count, rnd):
    from documents.models import Field, Procedure

    have = Procedure.objects.filter(code__startswith="9.").count()
    fields = list(Field.objects.all())
    items = []
    for index in range(have + 1, count + 1):
        name = f"{rnd.choice(PROCEDURE_ACTIONS)} {rnd.choice(PROCEDURE_OBJECTS)}"
        items.append(
            Procedure(
                code=f"9.{index:06d}",
                name=name,
                field=rnd.choice(fields),
                level=rnd.choice(list(Procedure.Level)),
                online=rnd.choice(list(Procedure.Online)),
                agency=rnd.choice(["Sở Khoa học và Công nghệ", "Chi cục Tiêu chuẩn Đo lường Chất lượng"]),
                processing_time=f"{rnd.choice([5, 7, 10, 15, 20, 30])} ngày làm việc",
                fee=rnd.choice(["Không", "300.000 đồng", "1.500.000 đồng/hồ sơ"]),
                url=f"https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=9.{index:06d}",
            )
        )
    Procedure.objects.bulk_create(items, batch_size=BATCH)
    return len(items)


def load_questions(published, private, rnd):
    from django.utils import timezone

    from feedback.codes import new_code
    from feedback.models import Feedback

    have = Feedback.objects.filter(ip_hash=MARKER).count()
    wanted = published + private
    now = timezone.now()
    items = []
    for index in range(have + 1, wanted + 1):
        public = (index * published) // wanted != ((index - 1) * published) // wanted  # spread evenly
        title = f"{rnd.choice(QUESTION_STARTS)} {rnd.choice(QUESTION_GOALS)}?"
        question = f"{title} {rnd.choice(QUESTION_STARTS)} {rnd.choice(QUESTION_GOALS)}."
        answer = " ".join(rnd.sample(ANSWER_SENTENCES, 3))
        asked = now - timedelta(days=rnd.randrange(3, 365 * 5), minutes=index)
        items.append(
            Feedback(
                code=new_code(),
                name=rnd.choice(NAMES),
                title=title[:200],
                content=question,
                status=Feedback.Status.ANSWERED,
                answer=answer,
                answered_unit=rnd.choice(UNITS),
                answered_at=asked + timedelta(days=rnd.randrange(1, 15)),
                is_public=public,
                public_answer=answer if public else "",
                ip_hash=MARKER,
                created_at=asked,
            )
        )
    Feedback.objects.bulk_create(items, batch_size=BATCH)
    return len(items)


def load_consultations(count, rnd):
    from django.utils import timezone

    from consultation.models import Consultation

    have = Consultation.objects.filter(slug__startswith="bench-ldt-").count()
    now = timezone.now()
    items = []
    for index in range(have + 1, count + 1):
        opens = now - timedelta(days=rnd.randrange(-10, 900))
        topic = rnd.choice(TOPICS)
        items.append(
            Consultation(
                title=f"Dự thảo Quyết định ban hành Quy định về {topic} {rnd.choice(PLACES)}",
                slug=f"bench-ldt-{index}",
                drafting_unit=rnd.choice(UNITS),
                summary=" ".join(
                    [f"Dự thảo quy định phạm vi, đối tượng áp dụng và trách nhiệm của các bên về {topic}."]
                    + rnd.sample(ANSWER_SENTENCES, 2)
                ),
                opens_at=opens,
                closes_at=opens + timedelta(days=30),
                status=Consultation.Status.PUBLISHED,
                publish_at=opens,
            )
        )
    Consultation.objects.bulk_create(items)
    return len(items)


def load(*, documents=3000, procedures=300, questions=2000, private_questions=1000, consultations=50, seed=18):
    """Fill the other searched kinds (idempotent); returns {kind: rows added}."""
    from django.core.management import call_command
    from django.db import transaction

    for command in ("load_state_demo", "feedback_demo", "load_pages_demo", "load_consultation_demo"):
        call_command(command, verbosity=0, stdout=io.StringIO())
    rnd = random.Random(seed)
    with transaction.atomic():
        added = {
            "documents": load_documents(documents, rnd),
            "procedures": load_procedures(procedures, rnd),
            "questions": load_questions(questions, private_questions, rnd),
            "consultations": load_consultations(consultations, rnd),
        }
    return added


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--procedures", type=int, default=300)
    parser.add_argument("--questions", type=int, default=2000, help="published questions with answers")
    parser.add_argument("--private-questions", type=int, default=1000, help="answered but not public")
    parser.add_argument("--consultations", type=int, default=50)
    args = parser.parse_args()

    import django

    django.setup()
    added = load(
        documents=args.documents,
        procedures=args.procedures,
        questions=args.questions,
        private_questions=args.private_questions,
        consultations=args.consultations,
    )
    print("Other searched kinds added: " + ", ".join(f"{count:,} {kind}" for kind, count in added.items()))


if __name__ == "__main__":
    main()

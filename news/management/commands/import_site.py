"""manage.py import_site: bring the old portal's articles, photos, files and addresses in (docs/import.md).

manage.py import_site --folder ./old-site --base-url http://skhcn.tinh.gov.vn --rules site.toml --dry-run
manage.py import_site --warc old-site.warc.gz --publish
manage.py import_site --urls urls.txt --review --report import-report.csv
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from news.importer.rules import load_rules
from news.importer.run import Importer
from news.importer.sources import FolderSource, UrlListSource, WarcSource


class Command(BaseCommand):
    help = (
        "Nhập bài viết, ảnh, tệp và địa chỉ cũ từ cổng thông tin cũ (danh sách URL, thư mục trang đã lưu, tệp WARC)."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group()
        source.add_argument("--urls", metavar="FILE", help="tệp văn bản, mỗi dòng một địa chỉ trang cũ")
        source.add_argument("--folder", metavar="DIR", help="thư mục các trang đã lưu (như wget --mirror)")
        source.add_argument("--warc", metavar="FILE", help="tệp WARC (wget --warc-file, kho lưu trữ web)")
        parser.add_argument("--base-url", help="địa chỉ gốc của cổng cũ, cho --folder (mặc định: [site] base_url)")
        parser.add_argument("--rules", metavar="FILE", help="quy tắc riêng của cổng cũ (TOML: bộ chọn CSS)")
        parser.add_argument("--dry-run", action="store_true", help="chỉ in ra việc sẽ làm, không ghi gì")
        status = parser.add_mutually_exclusive_group()
        status.add_argument("--draft", dest="status", action="store_const", const="draft", help="nhập làm bản nháp")
        status.add_argument("--review", dest="status", action="store_const", const="review", help="nhập, chờ duyệt")
        status.add_argument("--publish", dest="status", action="store_const", const="publish", help="xuất bản ngay")
        status.add_argument(
            "--status",
            dest="status",
            choices=["draft", "review", "publish"],
            help="như --draft / --review / --publish",
        )
        parser.set_defaults(status="draft")
        parser.add_argument(
            "--skip-missing-media",
            action="store_true",
            help="vẫn nhập bài khi một ảnh/tệp của nó không tải được (mặc định: bỏ qua cả bài)",
        )
        parser.add_argument("--user", help="tên đăng nhập ghi là người tạo (mặc định: trống)")
        parser.add_argument("--report", metavar="FILE", help="ghi kết quả từng trang ra tệp CSV")
        parser.add_argument(
            "--workers", type=int, default=2, help="số luồng đọc trang và kiểm tra ảnh song song (mặc định 2)"
        )
        parser.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")

    def handle(self, *args, **options):
        rules = load_rules(options["rules"])
        max_bytes = int(float(rules.get("import", {}).get("max_page_mb", 2)) * 1024 * 1024)
        if options["urls"]:
            source = UrlListSource(options["urls"], max_bytes)
        elif options["folder"]:
            base_url = options["base_url"] or rules.get("site", {}).get("base_url")
            if not base_url:
                raise CommandError(
                    "--folder cần --base-url (địa chỉ gốc của cổng cũ) hoặc [site] base_url trong --rules."
                )
            source = FolderSource(options["folder"], base_url, max_bytes)
        elif options["warc"]:
            source = WarcSource(options["warc"], max_bytes)
        else:
            raise CommandError("Hãy chọn nguồn: --urls FILE, --folder DIR hoặc --warc FILE.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Không có người dùng “{options['user']}”.")
        importer = Importer(
            source,
            rules,
            status=options["status"],
            dry_run=options["dry_run"],
            user=user,
            skip_missing_media=options["skip_missing_media"],
            out=self.stdout,
        )
        report = importer.run(progress=not options["no_progress"], workers=options["workers"])
        title = "Chạy thử (không ghi gì): " if options["dry_run"] else "Kết quả: "
        self.stdout.write(self.style.SUCCESS(title + report.summary()))
        if report.failures:
            self.stdout.write(self.style.WARNING(f"Không nhập được {len(report.failures)} trang:"))
            for url, reason in report.failures:
                self.stdout.write(f"  - {url}: {reason}")
        if report.warnings:
            self.stdout.write("Lưu ý:")
            for url, message in report.warnings:
                self.stdout.write(f"  - {url + ': ' if url else ''}{message}")
        if options["report"]:
            report.write_csv(options["report"])
            self.stdout.write(f"Đã ghi kết quả từng trang vào {options['report']}.")

"""Make media library items of the files stored before the library existed, and record where each is used.

Idempotent: a file that already has its item is left alone, usages are written exactly (core.media.track
says which models and fields use the library). Run by `make run` and `make demo`."""

from django.core.management.base import BaseCommand

from core import media


class Command(BaseCommand):
    help = "Tạo mục trong thư viện tệp cho các tệp đã lưu trước đây và ghi lại nơi dùng chúng."

    def handle(self, *args, **options):
        before = media.MediaItem.objects.count()
        objects = 0
        for spec in media.tracked():
            for obj in spec.model._default_manager.iterator(chunk_size=500):
                spec.record(obj)
                objects += 1
        made = media.MediaItem.objects.count() - before
        self.stdout.write(f"Thư viện tệp: {made} tệp mới, {objects} đối tượng đã kiểm tra.")

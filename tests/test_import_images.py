"""The import checks the old site's photos as uploads are checked (news.importer.images): metadata goes, what
is not an image or is too big is refused with a reason, and one bad photo does not stop the next."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from news.importer.images import ImageChecker


def jpeg_with_gps():
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh của phóng viên"  # Make
    exif[0x8825] = {2: (21.0, 1.0, 30.0)}  # GPSInfo: a latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def checker():
    checker = ImageChecker()
    yield checker
    checker.close()


def test_metadata_is_removed_and_the_picture_kept(checker):
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()
    clean = checker.clean(data, "Ảnh hội nghị.JPG")
    assert clean.name == "anh-hoi-nghi.jpg" and clean.content_type == "image/jpeg"
    with Image.open(clean) as picture:
        assert picture.size == (64, 48) and not picture.getexif()


def test_not_an_image_or_too_many_pixels_is_refused_and_the_worker_goes_on(checker):
    with pytest.raises(ValidationError, match="không phải là ảnh hợp lệ"):
        checker.clean(b"<html>404</html>", "anh.jpg")
    huge = io.BytesIO()
    Image.new("1", (8000, 6000)).save(huge, format="PNG")  # 48 megapixels in a few kilobytes
    with pytest.raises(ValidationError, match="ảnh quá lớn"):
        checker.clean(huge.getvalue(), "bom.png")
    truncated = jpeg_with_gps()[:200]
    with pytest.raises(ValidationError):
        checker.clean(truncated, "hong.jpg")
    assert checker.clean(jpeg_with_gps(), "sau.jpg").size > 0  # the same worker, still answering


def test_a_worker_that_dies_is_replaced(checker):
    checker.clean(jpeg_with_gps(), "a.jpg")
    worker = checker._local.worker
    worker.process.kill()
    worker.process.wait()
    assert checker.clean(jpeg_with_gps(), "b.jpg").size > 0
    assert checker._local.worker is not worker

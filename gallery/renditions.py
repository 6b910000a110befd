"""Sizes of a gallery's photos (and a video's poster), made with imagekit like the articles' covers: a
thumbnail for the grid (cropped to 4:3, so the grid lines up), 800 px for the page of a photo on a phone
and 1600 px for large screens. The photo is a media library item, not a field of ours, so the specs are
applied to its file: made once when the photo is saved (`make_all`), only named afterwards."""

from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from imagekit.processors import ResizeToFill, ResizeToFit

THUMB = (480, 360)
MEDIUM = 800
LARGE = 1600


class Thumb(ImageSpec):
    processors = [ResizeToFill(*THUMB)]
    format = "JPEG"
    options = {"quality": 80}


class Medium(ImageSpec):
    processors = [ResizeToFit(MEDIUM, MEDIUM, upscale=False)]
    format = "JPEG"
    options = {"quality": 82}


class Large(ImageSpec):
    processors = [ResizeToFit(LARGE, LARGE, upscale=False)]
    format = "JPEG"
    options = {"quality": 82}


def _file(spec, source):
    return ImageCacheFile(spec(source=source))


def thumb(source):
    return _file(Thumb, source)


def medium(source):
    return _file(Medium, source)


def large(source):
    return _file(Large, source)


def make_all(source):
    if source:
        for spec in (Thumb, Medium, Large):
            _file(spec, source).generate()


def fit(width, height, box):
    """The size ResizeToFit(box, box) gives an image of width × height (upscale: no larger than the source)."""
    if not width or not height:
        return box, box * 3 // 4
    scale = min(box / width, box / height, 1)
    return max(1, round(width * scale)), max(1, round(height * scale))

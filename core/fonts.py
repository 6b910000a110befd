"""A font with every Vietnamese letter, for the pictures the demo loaders draw (nothing downloaded)."""

from pathlib import Path

from PIL import ImageFont

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def font(size, bold=False):
    """DejaVu when installed (it has every Vietnamese letter), else Pillow's own font."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)

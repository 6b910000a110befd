"""The heavy part of an image upload (decoding and re-encoding), run in a child process with hard limits.

`core.images` runs this file with the upload on stdin and reads the clean image from stdout. The
child caps its own address space and CPU time before it decodes anything (the parent also kills it
after a wall-clock timeout), so a hostile or merely huge image cannot hold a worker thread for a
minute or take a gigabyte from the worker: the child dies and the upload is refused.
Imports Pillow only (no Django), so it starts quickly.

    python core/imagework.py FORMAT MAX_PIXELS MEMORY_BYTES CPU_SECONDS < upload > clean
Exit status: 0 done, 2 not a valid image, 3 out of memory (a CPU-time overrun ends it by SIGXCPU).
"""

import io
import math
import resource
import sys

# Kept on re-encoding: what draws the image right. Everything else Pillow read (EXIF, XMP, JPEG COM
# and GIF comment segments, PNG text chunks) is left behind.
KEEP_INFO = ("icc_profile", "transparency", "duration", "loop", "background", "disposal")


def reencode(data: bytes, fmt: str) -> bytes:
    from PIL import Image, ImageOps

    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as image:
        if image.format != fmt:
            raise ValueError("format changed")
        image.load()
        if fmt == "GIF":
            # GIF has no EXIF. Pillow copies the first frame's info into the file (its comment among
            # them) unless told otherwise: an empty comment writes none.
            image.save(out, format="GIF", save_all=getattr(image, "is_animated", False), comment=b"")
            return out.getvalue()
        image = ImageOps.exif_transpose(image)
        image.info = {key: value for key, value in image.info.items() if key in KEEP_INFO}
        if fmt == "JPEG":
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.save(out, format="JPEG", quality=88, optimize=True, progressive=True)
        elif fmt == "PNG":
            image.save(out, format="PNG", optimize=True)
        else:
            image.save(out, format="WEBP", quality=88)
    return out.getvalue()


def main(argv):
    fmt, max_pixels, memory = argv[1], int(argv[2]), int(argv[3])
    cpu_seconds = max(1, math.ceil(float(argv[4])))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = max_pixels  # over it: DecompressionBombError (the parent checked already)
    data = sys.stdin.buffer.read()
    try:
        clean = reencode(data, fmt)
    except MemoryError:
        return 3
    except Exception as exc:  # noqa: BLE001 - any decoder failure means "not a valid image"
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        return 2
    sys.stdout.buffer.write(clean)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""ASCII slugs from Vietnamese titles.

Django's slugify() decomposes accents (NFKD) and drops what is not ASCII, which
silently loses đ/Đ ("Đồng" would become "ong"): they have no decomposition, so
they are mapped to d/D first. Underscores, which slugify() keeps, become dashes: a slug is only
lowercase ASCII letters and digits joined by single dashes.
"""

from django.utils.text import slugify

_D_MAP = str.maketrans({"đ": "d", "Đ": "D", "_": " "})  # and "_" separates words like a space


def vn_slugify(text: str, max_length: int = 200) -> str:
    slug = slugify(str(text).translate(_D_MAP))
    return slug[:max_length].strip("-")


def unique_slug(model, text: str, *, instance=None, field: str = "slug", max_length: int = 200) -> str:
    """A slug not yet used by another row of `model` ("-2", "-3" … appended when taken)."""
    base = vn_slugify(text, max_length=max_length - 8) or "bai-viet"
    others = model._default_manager.all()
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    taken = set(others.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"

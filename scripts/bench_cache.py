"""What one remembered fragment costs per hit in each cache backend (docs/performance.md).

    DEBUG=1 DATABASE_URL=… python scripts/bench_cache.py [--redis redis://127.0.0.1:6379/15] [--hits 20000]

Times `core.fragments.remembered()` on a hit for the pieces a page keeps (a 300-byte card, the 6 KB
menu and footer, a list of 7 articles as "Tin cùng chuyên mục" keeps them): local memory (pickles
each value on the way in and out) and, when given, Redis (adds a round trip on loopback). It needs
no table: the article list is made of unsaved instances.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def measure(label, hits):
    from django.core.cache import cache
    from django.utils import timezone

    from core.fragments import remembered, remembered_value
    from news.models import Article, Category

    category = Category(id=1, name="Hoạt động của Sở", slug="hoat-dong-cua-so")
    articles = [
        Article(
            id=n,
            title=f"Bài viết số {n} về khoa học và công nghệ",
            slug=f"bai-{n}",
            category=category,
            publish_at=timezone.now(),
            updated_at=timezone.now(),
        )
        for n in range(7)
    ]
    pieces = {
        "card (300 B)": lambda key: remembered(key, lambda: "<article>" + "x" * 290 + "</article>"),
        "menu/footer (6 KB)": lambda key: remembered(key, lambda: "<nav>" + "y" * 6000 + "</nav>"),
        "7 articles (list)": lambda key: remembered_value(key, lambda: articles),
    }
    cache.clear()
    rows = []
    for name, get in pieces.items():
        key = ("bench", name)
        get(key)  # the miss that fills it
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(hits):
                get(key)
            runs.append((time.perf_counter() - start) / hits * 1e6)
        rows.append((label, name, statistics.median(runs)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis", help="also measure a Redis cache at this URL (a spare database number)")
    parser.add_argument("--hits", type=int, default=20000)
    args = parser.parse_args()
    import django
    from django.conf import settings

    django.setup()
    rows = measure("local memory", args.hits)
    if args.redis:
        from django.core.cache import caches

        settings.CACHES["default"] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": args.redis,
            "KEY_PREFIX": "bench-cache",
        }
        del caches["default"]  # the next access builds the Redis one
        rows += measure("Redis (loopback)", max(args.hits // 10, 1000))
    print(f"{'backend':<18} {'piece':<20} {'µs per hit':>10}")
    for label, name, micros in rows:
        print(f"{label:<18} {name:<20} {micros:>10.1f}")


if __name__ == "__main__":
    main()

"""Shard rows for the article counters; the visitor's day row also says when they were last seen.

The tables keep their data: the old rows become shard 0, presence moves into stats_visitorday, and
days still holding visitor rows become open days (their totals are counted from those rows).
"""

from django.db import migrations, models

TO_SHARDS = """
ALTER TABLE stats_articleviews ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE stats_articleviews ALTER COLUMN shard DROP DEFAULT;
ALTER TABLE stats_articleviews DROP CONSTRAINT stats_articleviews_pkey;
ALTER TABLE stats_articleviews ADD PRIMARY KEY (article_id, shard);
ALTER TABLE stats_articleday ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE stats_articleday ALTER COLUMN shard DROP DEFAULT;
ALTER TABLE stats_articleday DROP CONSTRAINT stats_articleday_pkey;
ALTER TABLE stats_articleday ADD PRIMARY KEY (article_id, day, shard);
"""

FROM_SHARDS = """
DELETE FROM stats_articleviews WHERE shard <> 0;
ALTER TABLE stats_articleviews DROP CONSTRAINT stats_articleviews_pkey;
ALTER TABLE stats_articleviews DROP COLUMN shard;
ALTER TABLE stats_articleviews ADD PRIMARY KEY (article_id);
DELETE FROM stats_articleday WHERE shard <> 0;
ALTER TABLE stats_articleday DROP CONSTRAINT stats_articleday_pkey;
ALTER TABLE stats_articleday DROP COLUMN shard;
ALTER TABLE stats_articleday ADD PRIMARY KEY (article_id, day);
"""

LAST_SEEN = """
ALTER TABLE stats_visitorday ADD COLUMN last_seen timestamp with time zone;
UPDATE stats_visitorday v
SET last_seen = COALESCE(
    (SELECT p.last_seen FROM stats_presence p WHERE p.visitor = v.visitor AND p.last_seen >= v.day),
    v.day::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
ALTER TABLE stats_visitorday ALTER COLUMN last_seen SET NOT NULL;
-- Days that still have visitor rows are open from now on: counted from their detail rows, not from
-- the running totals the old code kept for them.
DELETE FROM stats_dailytraffic t WHERE EXISTS (SELECT 1 FROM stats_visitorday v WHERE v.day = t.day);
"""


class Migration(migrations.Migration):
    dependencies = [("stats", "0002_leaders_group")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(TO_SHARDS, FROM_SHARDS)],
            state_operations=[
                migrations.DeleteModel("ArticleViews"),
                migrations.CreateModel(
                    name="ArticleViews",
                    fields=[
                        ("pk", models.CompositePrimaryKey("article_id", "shard", blank=True, editable=False, primary_key=True, serialize=False)),
                        ("article_id", models.BigIntegerField(verbose_name="mã bài viết")),
                        ("shard", models.SmallIntegerField(default=0, verbose_name="phân mảnh")),
                        ("views", models.BigIntegerField(default=0, verbose_name="lượt xem")),
                    ],
                    options={
                        "verbose_name": "lượt xem bài viết",
                        "verbose_name_plural": "lượt xem bài viết",
                        "db_table": "stats_articleviews",
                        "default_permissions": (),
                    },
                ),
                migrations.DeleteModel("ArticleDay"),
                migrations.CreateModel(
                    name="ArticleDay",
                    fields=[
                        ("pk", models.CompositePrimaryKey("article_id", "day", "shard", blank=True, editable=False, primary_key=True, serialize=False)),
                        ("article_id", models.BigIntegerField(verbose_name="mã bài viết")),
                        ("day", models.DateField(verbose_name="ngày")),
                        ("shard", models.SmallIntegerField(default=0, verbose_name="phân mảnh")),
                        ("views", models.IntegerField(default=0, verbose_name="lượt xem")),
                    ],
                    options={
                        "verbose_name": "lượt xem bài viết theo ngày",
                        "verbose_name_plural": "lượt xem bài viết theo ngày",
                        "db_table": "stats_articleday",
                        "default_permissions": (),
                        "indexes": [models.Index(fields=["day"], name="stats_articleday_day_idx")],
                    },
                ),
            ],
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(LAST_SEEN, "ALTER TABLE stats_visitorday DROP COLUMN last_seen"),
            ],
            state_operations=[
                migrations.AddField(
                    model_name="visitorday",
                    name="last_seen",
                    field=models.DateTimeField(verbose_name="lần cuối"),
                    preserve_default=False,
                ),
            ],
        ),
        migrations.DeleteModel("Presence"),
    ]

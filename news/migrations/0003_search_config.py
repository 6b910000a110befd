"""PostgreSQL pieces for accent-insensitive Vietnamese search.

PostgreSQL has no Vietnamese text search configuration. `vn_unaccent` is a copy of
`simple` whose word mapping goes through `unaccent` first, so "khoa hoc" matches
"khoa học" and "dong chi" matches "Đồng chí". Unlike calling unaccent() directly, a
configuration may be used in generated columns and indexes (to_tsvector with a
constant configuration is immutable).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("news", "0002_groups")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(
            sql="""
                CREATE TEXT SEARCH CONFIGURATION vn_unaccent (COPY = simple);
                ALTER TEXT SEARCH CONFIGURATION vn_unaccent
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
                -- An immutable unaccent for trigram indexes and lookups (the extension's own is only stable).
                CREATE OR REPLACE FUNCTION vn_unaccent_text(text) RETURNS text
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
                    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;
            """,
            reverse_sql="""
                DROP FUNCTION IF EXISTS vn_unaccent_text(text);
                DROP TEXT SEARCH CONFIGURATION IF EXISTS vn_unaccent;
            """,
        ),
    ]

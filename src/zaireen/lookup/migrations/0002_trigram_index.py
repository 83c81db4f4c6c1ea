"""On PostgreSQL only: pg_trgm, btree_gin and two GIN indexes on the name key.

- `lookup_key_trgm`: (birth_year, key gin_trgm_ops): the trigram search (`key % query`) for
  names spelt differently from the registered spelling, narrowed by the birth year inside
  the index.
- `lookup_key_words`: (birth_year, to_tsvector('simple', key)): every canonical word of the
  query present (the common case: most variants fold to the same words), found by
  intersecting posting lists instead of rechecking every row that shares a common trigram.

SQLite (the embedded demo) has neither; the look-up applies the same two rules in Python
there (lookup.selectors), with the same similarity function, so both give the same answers.
"""

from django.db import migrations

EXTENSIONS = ("pg_trgm", "btree_gin")
INDEXES = {
    "lookup_key_trgm": "(birth_year, key gin_trgm_ops)",
    "lookup_key_words": "(birth_year, to_tsvector('simple'::regconfig, key))",
}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for extension in EXTENSIONS:
        schema_editor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON lookup_profilenamekey USING gin {columns}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("lookup", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

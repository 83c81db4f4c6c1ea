"""The vocabulary of key words: filled from the keys, and on PostgreSQL a GIN trigram index
on it (query words are matched against it by trigram similarity)."""

from django.db import migrations


def forwards(apps, schema_editor):
    keys = apps.get_model("lookup", "ProfileNameKey")
    words = apps.get_model("lookup", "NameWord")
    seen: set[str] = set()
    for key in keys._base_manager.values_list("key", flat=True).iterator(chunk_size=5000):
        seen.update(key.split())
    words._base_manager.bulk_create(
        [words(word=w) for w in sorted(seen)], ignore_conflicts=True, batch_size=2000
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS lookup_word_trgm "
            "ON lookup_nameword USING gin (word gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS lookup_word_trgm")


class Migration(migrations.Migration):
    dependencies = [("lookup", "0004_name_word")]

    operations = [migrations.RunPython(forwards, backwards)]

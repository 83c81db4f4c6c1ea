"""Key the profiles that existed before the look-up (later ones are keyed as they are saved)."""

from django.db import migrations

from zaireen.lookup.names import city_key, name_key

BATCH = 2000


def forwards(apps, schema_editor):
    profiles = apps.get_model("pilgrims", "PilgrimProfile")
    keys = apps.get_model("lookup", "ProfileNameKey")
    rows = profiles._base_manager.order_by("pk").values_list(
        "pk", "organiser_id", "surname", "given_names", "birth_date", "sex", "home_city", "phone"
    )
    batch = []
    for pk, organiser_id, surname, given_names, birth_date, sex, home_city, phone in rows.iterator(
        chunk_size=BATCH
    ):
        batch.append(
            keys(
                profile_id=pk,
                organiser_id=organiser_id,
                key=name_key(given_names, surname)[:200],
                birth_year=birth_date.year,
                sex=sex,
                city_key=city_key(home_city)[:100],
                phone=phone,
                version=1,
            )
        )
        if len(batch) >= BATCH:
            keys._base_manager.bulk_create(batch, ignore_conflicts=True)
            batch = []
    keys._base_manager.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("lookup", "0002_trigram_index"),
        ("pilgrims", "0002_pilgrimprofile_home_city"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

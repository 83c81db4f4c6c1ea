from django.core.management.base import BaseCommand

from zaireen.lookup.services import name_keys_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the look-up's name keys of every pilgrim profile (after changing "
        "lookup/names.py, raise models.KEY_VERSION), or with --stale only the missing and "
        "outdated ones."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale", action="store_true", help="only profiles without a current key"
        )

    def handle(self, *args, **options):
        result = name_keys_rebuild(stale_only=options["stale"])
        self.stdout.write(
            f"{result['written']} name keys written for {result['profiles']} profiles "
            f"(key version {result['version']})."
        )

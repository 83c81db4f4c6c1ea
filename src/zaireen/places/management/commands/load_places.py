from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zaireen.places import services
from zaireen.places.loader import DataFileError


class Command(BaseCommand):
    help = "Load or update the reference geography (cities, sites, zones, airports, crossings)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=services.DATA_DIR,
            help="Folder with the CSV data files (default: the files shipped in the package).",
        )

    def handle(self, *args, data_dir: Path, **options):
        try:
            report = services.places_load(data_dir=data_dir)
        except DataFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for kind, counts in report.items():
            summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "none"
            self.stdout.write(f"{kind}: {summary}")
        self.stdout.write(self.style.SUCCESS("Reference geography loaded."))

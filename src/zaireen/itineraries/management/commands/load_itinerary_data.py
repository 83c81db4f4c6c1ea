from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zaireen.itineraries import services
from zaireen.itineraries.loader import DATA_DIR
from zaireen.places.loader import DataFileError


class Command(BaseCommand):
    help = (
        "Load the itinerary planner's reference data (site visit facts, monthly climate, "
        "vehicle stops at occasions, circuits). Needs the places loaded first (load_places). "
        "Rows the ministry edited are kept unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite existing rows with the files' values."
        )

    def handle(self, *args, data_dir: Path, replace: bool, **options):
        try:
            report = services.reference_load(data_dir=data_dir, replace=replace)
        except DataFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for kind, counts in report.items():
            summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "none"
            self.stdout.write(f"{kind}: {summary}")
        self.stdout.write(self.style.SUCCESS("Itinerary reference data loaded."))

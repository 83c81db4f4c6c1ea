from django.core.management.base import BaseCommand

from zaireen.core.jobs import enqueue
from zaireen.pilgrims.tasks import rehash_identifiers


class Command(BaseCommand):
    help = (
        "After putting a new key first in ZAIREEN_IDENTIFIER_KEYS: re-hash every identifier "
        "with it in the background. Remove the old key once the job has finished."
    )

    def handle(self, *args, **options):
        job = enqueue(rehash_identifiers, label="Re-hash identifiers")
        self.stdout.write(f"Queued job {job.id}; follow it at /jobs/{job.id}/")

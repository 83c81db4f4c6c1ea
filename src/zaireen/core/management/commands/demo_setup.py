from django.core.management.base import BaseCommand

from zaireen.core.demo import demo_accounts_ensure


class Command(BaseCommand):
    help = "Create the demo accounts (once) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the app runs.")

    def handle(self, *args, url: str, **options):
        logins = demo_accounts_ensure()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Zaireen is starting at {url}"))
        self.stdout.write("Demo logins (kept in the data folder, demo-logins.json):")
        for login in logins:
            self.stdout.write(f"  {login['username']:<12} {login['password']}")
        self.stdout.write("Press Ctrl-C to stop the web server and the worker.\n")

from django.core.management.base import BaseCommand

from zaireen.core.demo import demo_setup


class Command(BaseCommand):
    help = "Create the demo organisers and one login per role (once), and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Where the app runs.")

    def handle(self, *args, url: str, **options):
        logins = demo_setup()
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Zaireen is starting at {url}"))
        self.stdout.write("Demo logins (passwords kept in the data folder, demo-logins.json):")
        for login in logins:
            self.stdout.write(f"  {login['username']:<10} {login['role']:<18} {login['login']}")
        self.stdout.write(
            "Phone logins: open /accounts/phone/, enter the number; the code appears in this"
            " console (SMS backend: console)."
        )
        self.stdout.write("Press Ctrl-C to stop the web server and the worker.\n")

from django.core.management.base import BaseCommand

from motcua.documents import signing


class Command(BaseCommand):
    help = (
        "Generate a DEMO certificate authority and a DEMO agency signing certificate (no legal value) in "
        "MOTCUA_SIGNING_DIR, unless a certificate is already configured (--force replaces it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force, **options):
        if signing.is_configured() and not force:
            self.stdout.write("A signing certificate is already configured; nothing done.")
            return
        directory = signing.create_demo_ca()
        self.stdout.write(f"DEMO certificate authority and agency certificate written to {directory}.")

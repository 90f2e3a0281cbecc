from django.core.management.base import BaseCommand

from motcua.documents import signing


class Command(BaseCommand):
    help = (
        "Generate a DEMO certificate authority and a DEMO deployment signing certificate (no legal value) in "
        "MOTCUA_SIGNING_DIR, unless a certificate is already configured (--force replaces it). With --agencies, "
        "also issue a DEMO signing certificate to every agency that has none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")
        parser.add_argument("--agencies", action="store_true")

    def handle(self, *args, force, agencies, **options):
        if signing.is_configured() and not force:
            self.stdout.write("A signing certificate is already configured; nothing done.")
        else:
            directory = signing.create_demo_ca()
            self.stdout.write(
                f"DEMO certificate authority and deployment certificate written to {directory}."
            )
        if agencies:
            issued = signing.issue_missing_demo_certificates()
            self.stdout.write(f"{len(issued)} DEMO agency certificates issued.")

import datetime

from django.core.management.base import BaseCommand

from motcua.documents.orphans import cleanup


class Command(BaseCommand):
    help = "Delete stored document files that no document points to (older than --hours, default 24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, hours, dry_run, **options):
        removed = cleanup(datetime.timedelta(hours=hours), dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for name in removed:
            self.stdout.write(f"{verb} {name}")
        self.stdout.write(f"{verb} {len(removed)} orphan file(s).")

"""Write docs/CONFIGURATION.md from the declarations of `motcua.conf` (or, with --check, say whether it is current)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua import conf

DEFAULT_PATH = Path(conf.__file__).resolve().parents[2] / "docs" / "CONFIGURATION.md"


class Command(BaseCommand):
    help = "Generate docs/CONFIGURATION.md from motcua/conf.py."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, default=DEFAULT_PATH, help="Where to write the document.")
        parser.add_argument(
            "--check", action="store_true", help="Fail if the document differs; write nothing."
        )

    def handle(self, *args, output: Path, check: bool, **options):
        text = conf.markdown()
        if check:
            if not output.exists() or output.read_text(encoding="utf-8") != text:
                raise CommandError(f"{output} is out of date: run `motcua configuration_doc`.")
            return
        output.write_text(text, encoding="utf-8")
        self.stdout.write(f"{output}: {len(conf.SETTINGS)} settings.")

"""Digitisation costs: scanned pages into one PDF, signing a result (PAdES), verifying it.

Usage: .venv/bin/python benchmarks/documents_bench.py [--runs N]
Runs without a database (pure file work); medians of N runs. A4-sized JPEG pages at 150 dpi (1240×1754).
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from PIL import Image  # noqa: E402

from motcua.documents import pdf, signing  # noqa: E402
from motcua.uploads import check_upload  # noqa: E402


def page(n: int) -> bytes:
    image = Image.effect_noise((1240, 1754), 40 + n).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MOTCUA_SIGNING_DIR = tempfile.mkdtemp()
    signing.create_demo_ca()
    pages = [check_upload(SimpleUploadedFile(f"{n}.jpg", page(n))) for n in range(10)]
    one = median_ms(lambda: pdf.combine(pages[:1]), args.runs)
    ten = median_ms(lambda: pdf.combine(pages), args.runs)
    content, _count = pdf.combine(pages)
    sign = median_ms(lambda: signing.sign_pdf(content), args.runs)
    signed, _who = signing.sign_pdf(content)
    verify = median_ms(lambda: signing.verify_pdf(signed), args.runs)
    size = sum(p.size for p in pages)
    print(f"10 JPEG pages, {size / 1e6:.1f} MB in total, PDF {len(content) / 1e6:.1f} MB")
    print(f"| combine 1 page | {one:.1f} ms |")
    print(f"| combine 10 pages | {ten:.1f} ms |")
    print(f"| sign the 10-page PDF (PAdES, ECDSA P-256) | {sign:.1f} ms |")
    print(f"| verify it | {verify:.1f} ms |")


if __name__ == "__main__":
    main()

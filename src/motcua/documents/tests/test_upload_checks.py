"""One module checks every upload: types by content, office documents only where the procedure asks for them,
no macros, safe names, size limit."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.uploads import DOCX, ODT, XLSX, allows_office_documents, check_name, check_upload

from .factories import image_bytes, pdf_bytes


def package(parts: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buffer.getvalue()


DOCX_BYTES = package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX_BYTES = package({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODT_BYTES = package({"mimetype": ODT, "content.xml": "<office/>"})
DOCM_BYTES = package(
    {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>", "word/vbaProject.bin": "macro"}
)


@pytest.mark.parametrize(
    "name,content,expected",
    [("don.docx", DOCX_BYTES, DOCX), ("bang.xlsx", XLSX_BYTES, XLSX), ("to.odt", ODT_BYTES, ODT)],
)
def test_office_documents_are_recognised_by_content_where_allowed(name, content, expected):
    assert check_upload(SimpleUploadedFile(name, content), allow_office=True).content_type == expected
    with pytest.raises(ValidationError, match="PDF, JPG hoặc PNG"):
        check_upload(SimpleUploadedFile(name, content))


def test_macro_documents_and_disguised_archives_are_refused():
    with pytest.raises(ValidationError, match="không phải"):
        check_upload(SimpleUploadedFile("don.docx", DOCM_BYTES), allow_office=True)
    with pytest.raises(ValidationError, match="không phải"):
        check_upload(SimpleUploadedFile("don.docx", package({"a.txt": "x"})), allow_office=True)
    with pytest.raises(ValidationError, match="nguy hiểm"):
        check_upload(SimpleUploadedFile("don.docm", DOCX_BYTES), allow_office=True)


def test_names_and_sizes(settings):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="vượt quá giới hạn"):
        check_upload(SimpleUploadedFile("a.jpg", image_bytes()))
    settings.MOTCUA_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    for bad in ("../a.pdf", "a\x00.pdf", ".hidden.pdf", "a.php.pdf"):
        with pytest.raises(ValidationError):
            check_name(bad)
    assert check_upload(SimpleUploadedFile("Tờ khai.pdf", pdf_bytes())).original_name == "Tờ khai.pdf"


@pytest.mark.django_db
def test_a_procedure_asks_for_office_documents_through_its_form_template():
    assert not allows_office_documents(RequiredDocumentFactory())
    assert allows_office_documents(RequiredDocumentFactory(form_template="catalog/forms/to-khai.docx"))

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.citizens.models import CitizenProfile
from motcua.documents.tests.factories import image_bytes
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory


def _one_page_pdf() -> bytes:
    """A real (blank, one-page) PDF: supplements are read and combined, so the sample must be a PDF a reader opens."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF = _one_page_pdf()
# Real images: uploads are decoded, not only sniffed.
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
HTML = b"<html><script>alert('x')</script></html>"


def pdf_upload(name="to-khai.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CitizenProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CitizenProfile

    applicant = factory.SubFactory(
        ApplicantFactory, email=factory.Sequence(lambda n: f"congdan{n}@example.vn")
    )
    user = factory.SubFactory(
        UserFactory,
        username=factory.SelfAttribute("..applicant.id_number"),
        full_name=factory.SelfAttribute("..applicant.name"),
    )


def online_procedure(online_level="full", documents=("Tờ khai đăng ký hộ kinh doanh", "Bản sao CCCD")):
    """A published online procedure with the standard process and its required documents."""
    procedure = ProcedureWithProcessFactory(name="Đăng ký thành lập hộ kinh doanh", online_level=online_level)
    for position, name in enumerate(documents, start=1):
        RequiredDocumentFactory(procedure=procedure, position=position, name=name, original_count=1)
    return procedure

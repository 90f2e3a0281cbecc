"""Factories and sample files for the documents tests."""

import io

import factory
from PIL import Image
from reportlab.platypus import Paragraph

from motcua.dossiers.tests.factories import make_dossier
from motcua.printing.document import render_pdf, styles
from motcua.uploads import check_upload

from ..models import Document


def pdf_bytes(text: str = "Giấy tờ mẫu", pages: int = 1) -> bytes:
    from reportlab.platypus import PageBreak

    story = []
    for n in range(pages):
        if n:
            story.append(PageBreak())
        story.append(Paragraph(f"{text} — trang {n + 1}", styles()["body"]))
    return render_pdf(story, title=text)


def image_bytes(fmt: str = "JPEG", colour: str = "white", mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (120, 160), colour).save(buffer, format=fmt)
    return buffer.getvalue()


def uploaded(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def checked(name: str, content: bytes):
    return check_upload(uploaded(name, content))


class DocumentFactory(factory.django.DjangoModelFactory):
    """A stored, digitised component of a new dossier (file written through the storage API)."""

    class Meta:
        model = Document

    dossier = factory.LazyFunction(make_dossier)
    applicant = factory.SelfAttribute("dossier.applicant")
    title = factory.Sequence(lambda n: f"Giấy tờ đã số hóa {n}")
    kind = Document.Kind.COMPONENT
    origin = Document.Origin.SCANNED
    page_count = 1
    sha256 = factory.LazyAttribute(lambda o: __import__("hashlib").sha256(pdf_bytes(o.title)).hexdigest())
    file = factory.LazyAttribute(
        lambda o: __import__("django.core.files.base", fromlist=["ContentFile"]).ContentFile(
            pdf_bytes(o.title), name="x.pdf"
        )
    )

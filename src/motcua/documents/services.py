"""Digitisation: storing files as documents, scanning components at the counter, registering results, the
applicant's electronic data store and re-use, and the dossier's digitisation state.

Files are written through Django's storage API before the database rows that point to them are committed. If the
transaction rolls back, the written file is an orphan (no row points to it) and `cleanup_orphan_files` removes it
later; a file is deleted only after the transaction that stopped using it has committed, so a failure half-way
never loses a file that a committed row still needs.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua import uploads
from motcua.catalog.models import RequiredDocument
from motcua.catalog.text import fold
from motcua.dossiers import services as dossier_services
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.models import Applicant, Dossier, DossierDocument
from motcua.dossiers.states import State

from . import pdf
from .models import DigitisationStatus, Document, DossierDigitisation, ResultNumberCounter

# --- files -------------------------------------------------------------------------------------------------


def _attach(document: Document, content: bytes, extension: str) -> None:
    """Write `content` to storage under a new unguessable name and point the (unsaved) document at it."""
    document.file.save(f"x.{extension}", ContentFile(content), save=False)


def delete_file_on_commit(name: str) -> None:
    """Delete a stored file once the current transaction has committed, if no document still points to it."""
    storage = Document._meta.get_field("file").storage

    def delete():
        if name and not Document.objects.filter(file=name).exists():
            storage.delete(name)

    transaction.on_commit(delete)


def delete_document(document: Document) -> None:
    """Delete a document row (e.g. a scan made by mistake before the dossier went on); its file is deleted only
    after the commit, and only if no other document (a re-use) still points to it."""
    with transaction.atomic():
        name, dossier = document.file.name, document.dossier
        if document.reuses.exists():
            raise ValidationError(_("Giấy tờ đã được dùng lại ở hồ sơ khác, không xóa được."))
        document.delete()
        delete_file_on_commit(name)
        refresh_state(dossier)


def read_content(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def _document_fields(dossier: Dossier, *, title: str, actor, **fields) -> dict:
    """The fields of a new document of `dossier`, kept in its applicant's store: its title (cut to the column's
    length) and who digitised it (an account, not a system run), with the caller's own `fields`."""
    return {
        "dossier": dossier,
        "applicant_id": dossier.applicant_id,
        "title": title[:500],
        "digitised_by": actor if getattr(actor, "pk", None) else None,
        **fields,
    }


def store_pdf(
    *,
    dossier: Dossier,
    title: str,
    content: bytes,
    origin: str,
    kind: str = Document.Kind.COMPONENT,
    actor=None,
    pages: int | None = None,
    **fields,
) -> Document:
    """Store a PDF as a document of `dossier` (for its applicant's store)."""
    document = Document(
        **_document_fields(
            dossier,
            title=title,
            actor=actor,
            kind=kind,
            origin=origin,
            content_type=uploads.PDF,
            size=len(content),
            page_count=pages if pages is not None else pdf.page_count(content, title),
            sha256=uploads.hashlib.sha256(content).hexdigest(),
            digitised_at=timezone.now(),
            **fields,
        )
    )
    _attach(document, content, "pdf")
    document.save()
    return document


# --- components ------------------------------------------------------------------------------------------


def _office_document(
    checked: uploads.CheckedFile, *, dossier: Dossier, title: str, actor, **fields
) -> Document:
    """Store an office document (where the procedure allows it) as it is, alone, as the component's document."""
    document = Document(
        **_document_fields(
            dossier,
            title=title,
            actor=actor,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            page_count=0,
            sha256=checked.sha256,
            **fields,
        )
    )
    _attach(document, checked.content, checked.extension)
    document.save()
    return document


def digitise_component(
    *,
    dossier: Dossier,
    pages: list[uploads.CheckedFile],
    actor=None,
    dossier_document: DossierDocument | None = None,
    required_document: RequiredDocument | None = None,
    origin: str = Document.Origin.SCANNED,
    kind: str = Document.Kind.COMPONENT,
    title: str = "",
    **fields,
) -> Document:
    """Combine the scanned pages of one component into one PDF and store it as the component's document.

    An office document (where the procedure allows it) is stored as it is, alone.
    """
    title = title or getattr(dossier_document, "name", "") or getattr(required_document, "name", "")
    if not title:
        raise ValidationError(_("Chưa có tên giấy tờ."))
    office = [p for p in pages if p.content_type not in (uploads.PDF, uploads.JPEG, uploads.PNG)]
    common = {
        "dossier": dossier,
        "title": title,
        "origin": origin,
        "kind": kind,
        "actor": actor,
        "dossier_document": dossier_document,
        "required_document": required_document,
        **fields,
    }
    if office:
        if len(pages) > 1:
            raise ValidationError(
                _("Tệp văn bản “%(name)s” phải nộp riêng, không ghép với ảnh quét.")
                % {"name": office[0].original_name}
            )
        return _office_document(office[0], **common)
    content, count = pdf.combine(pages)
    return store_pdf(
        content=content,
        pages=count,
        original_name=pages[0].original_name if len(pages) == 1 else "",
        **common,
    )


def stored_copy(applicant: Applicant, document_id, offered: list[Document]):
    """A copy (as an uploaded file) of one of the documents offered to the applicant, for a portal draft; the
    copy is checked and stored like any upload, and recognised as a re-use when the dossier is submitted."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = next((d for d in offered if str(d.pk) == str(document_id)), None)
    if document is None or document.applicant_id != applicant.pk:
        return None  # not one of the offers (a tampered form): nothing is attached
    return SimpleUploadedFile(document.download_name(), read_content(document), document.content_type)


def adopt_stored_file(
    *,
    dossier: Dossier,
    name: str,
    actor=None,
    dossier_document: DossierDocument | None = None,
    required_document: RequiredDocument | None = None,
) -> Document:
    """Record as a document a file already stored and checked elsewhere (a citizen's online upload)."""
    storage = Document._meta.get_field("file").storage
    with storage.open(name, "rb") as handle:
        content = handle.read()
    detected = uploads.sniff(content, allow_office=True)
    content_type = detected[0] if detected else "application/octet-stream"
    try:
        pages = pdf.page_count(content, name) if content_type == uploads.PDF else (1 if detected else 0)
    except ValidationError:
        pages = 0
    digest = uploads.hashlib.sha256(content).hexdigest()
    # The same content already in the applicant's store from an earlier dossier: a copy chosen on the portal
    # ("Chọn giấy tờ số hóa"). Two components of this very dossier with the same content are two uploads.
    source = store_of(dossier.applicant).filter(sha256=digest).exclude(dossier=dossier).first()
    if source is not None:
        # a copy of a document of the applicant's store, chosen on the portal: a re-use
        return reuse_document(
            dossier=dossier,
            source=source,
            actor=actor,
            dossier_document=dossier_document,
            required_document=required_document,
        )
    return Document.objects.create(
        **_document_fields(
            dossier,
            title=getattr(dossier_document, "name", "") or getattr(required_document, "name", "") or name,
            actor=actor,
            dossier_document=dossier_document,
            required_document=required_document,
            kind=Document.Kind.COMPONENT,
            file=name,
            content_type=content_type,
            size=len(content),
            page_count=pages,
            sha256=digest,
            origin=Document.Origin.UPLOADED if dossier.channel == "online" else Document.Origin.SCANNED,
        )
    )


def reuse_document(
    *,
    dossier: Dossier,
    source: Document,
    actor=None,
    dossier_document: DossierDocument | None = None,
    required_document: RequiredDocument | None = None,
) -> Document:
    """Use a document of the applicant's store for a component of a new dossier (no new file is written)."""
    if source.applicant_id != dossier.applicant_id:
        raise ValidationError(_("Giấy tờ trong kho không thuộc chủ hồ sơ này."))
    if source.withdrawn_at is not None or not source.in_store or source.reused_from_id:
        raise ValidationError(_("Giấy tờ “%(title)s” không còn trong kho dữ liệu.") % {"title": source.title})
    if not source.is_valid_today:
        raise ValidationError(
            _("Giấy tờ “%(title)s” đã hết hạn ngày %(day)s, không dùng lại được.")
            % {"title": source.title, "day": source.valid_until.strftime("%d/%m/%Y")}
        )
    return Document.objects.create(
        **_document_fields(
            dossier,
            title=getattr(dossier_document, "name", "") or source.title,
            actor=actor,
            dossier_document=dossier_document,
            required_document=required_document,
            kind=Document.Kind.COMPONENT,
            issuing_body=source.issuing_body,
            number=source.number,
            issued_on=source.issued_on,
            valid_until=source.valid_until,
            signer_name=source.signer_name,
            file=source.file.name,
            original_name=source.original_name,
            content_type=source.content_type,
            size=source.size,
            page_count=source.page_count,
            sha256=source.sha256,
            origin=Document.Origin.REUSED,
            reused_from=source,
            in_store=False,
            signed=source.signed,
            signature_info=source.signature_info,
        )
    )


# --- supplements -------------------------------------------------------------------------------------------


def _required_by_name(procedure) -> dict[str, RequiredDocument]:
    """The required components of `procedure` by folded name (the first of a name), to match supplement items
    with (so the stored copy can be re-used)."""
    by_name: dict[str, RequiredDocument] = {}
    for required in procedure.documents.all():
        by_name.setdefault(fold(required.name), required)
    return by_name


def _cleaned_supplied(supplied) -> list[tuple[str, list[uploads.CheckedFile]]]:
    """The supplied components that have pages, titles with spaces tidied; refuse none, or one without a title."""
    supplied = [(" ".join((title or "").split()), pages) for title, pages in supplied if pages]
    if not supplied:
        raise ValidationError({"files": _("Chưa chọn tệp giấy tờ bổ sung nào.")})
    if any(not title for title, _pages in supplied):
        raise ValidationError({"files": _("Chưa ghi tên giấy tờ bổ sung.")})
    return supplied


def _combined_supplement(supplied) -> list[tuple[str, list[uploads.CheckedFile], bytes, int]]:
    """Each component's pages combined into one PDF (title, pages, content, page count); nothing is written."""
    prepared = []
    for title, pages in supplied:
        office = [p for p in pages if p.content_type not in (uploads.PDF, uploads.JPEG, uploads.PNG)]
        if office:
            raise ValidationError(
                {
                    "files": _("Tệp “%(name)s” không ghép được vào bản số hóa (chỉ ảnh JPG, PNG hoặc PDF).")
                    % {"name": office[0].original_name}
                }
            )
        try:
            content, count = pdf.combine(pages)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
        prepared.append((title, pages, content, count))
    return prepared


def _store_supplement(dossier: Dossier, actor, prepared, origin: str, written: list[str]) -> list[Document]:
    """Store each combined component as a "Bổ sung" document, noting each file written in `written`."""
    documents = []
    required_by_name = _required_by_name(dossier.procedure)
    for title, pages, content, count in prepared:
        wanted = fold(title)
        document = store_pdf(
            dossier=dossier,
            title=title,
            content=content,
            pages=count,
            origin=origin,
            kind=Document.Kind.SUPPLEMENT,
            actor=actor,
            required_document=required_by_name.get(wanted) if wanted else None,
            original_name=pages[0].original_name[:200] if len(pages) == 1 else "",
        )
        written.append(document.file.name)
        documents.append(document)
    return documents


def _supplement_note(note: str, documents: list[Document]) -> str:
    """The transition's note: the officer's note (tidied, cut) followed by the list of what was supplied."""
    listed = "; ".join(
        _("%(title)s (%(n)d trang)") % {"title": d.title, "n": d.page_count} for d in documents
    )
    note = " ".join((note or "").split())[:1000]
    summary = _("Giấy tờ bổ sung đã số hóa: %(list)s.") % {"list": listed}
    return f"{note} — {summary}" if note else summary


def receive_supplement(
    dossier: Dossier,
    actor,
    supplied: list[tuple[str, list[uploads.CheckedFile]]],
    *,
    note: str = "",
    origin: str = Document.Origin.SCANNED,
    as_applicant: bool = False,
) -> tuple[Dossier, list[Document]]:
    """Digitise the documents supplied for a dossier waiting for a supplement, then resume it.

    `supplied`: (item, checked pages) per supplied component, the item being one of the requested ones (or any
    title the officer gives). Each component's pages become one PDF (images converted), stored as a document
    marked "Bổ sung" with who digitised it and when; the "supplement" transition follows in the same
    transaction, its note listing what was supplied (the dossier's timeline shows it). The officer at the
    counter (`origin` "scanned") and the citizen online (`origin` "uploaded", `as_applicant`) both come here.
    Every file is checked and combined before anything is written: a bad file leaves nothing behind.
    """
    if dossier.state != State.PAUSED_SUPPLEMENT:
        raise ValidationError(_("Hồ sơ không ở trạng thái chờ bổ sung."))
    prepared = _combined_supplement(_cleaned_supplied(supplied))
    storage = Document._meta.get_field("file").storage
    written: list[str] = []
    try:
        with transaction.atomic():
            documents = _store_supplement(dossier, actor, prepared, origin, written)
            dossier = dossier_services.supplement(
                dossier, actor, note=_supplement_note(note, documents), as_applicant=as_applicant
            )
            refresh_state(dossier)
    except BaseException:
        # Nothing of a refused supplement stays in storage (a rollback further out leaves orphans, which
        # `cleanup_orphan_files` removes).
        for name in written:
            storage.delete(name)
        raise
    return dossier, documents


# --- the applicant's store ---------------------------------------------------------------------------------


def store_of(applicant: Applicant):
    """The applicant's electronic data store: their digitised components and results, newest first."""
    return (
        Document.objects.in_store()
        .filter(applicant=applicant)
        .select_related("dossier", "required_document")
        .order_by("-digitised_at", "-id")
    )


def _matches(required: RequiredDocument, document: Document) -> bool:
    if document.required_document_id and document.required_document_id == required.pk:
        return True
    wanted, have = fold(required.name), fold(document.title)
    if not have:
        return False
    if document.required_document_id and fold(document.required_document.name) == wanted:
        return True
    return wanted == have or (len(have) >= 12 and have in wanted)


def offers_for(
    applicant: Applicant | None, procedure, day: datetime.date | None = None
) -> dict[int, list[Document]]:
    """Stored documents of the applicant, still valid on `day`, that match each re-usable required component of
    `procedure`: {required_document id: [documents, newest first]}."""
    if applicant is None or applicant.pk is None:
        return {}
    day = day or timezone.localdate()
    stored = list(store_of(applicant).valid_on(day))
    offers = {}
    for required in procedure.documents.filter(reusable=True).order_by("position", "id"):
        matching = [d for d in stored if _matches(required, d)]
        if matching:
            offers[required.pk] = matching
    return offers


# --- intake (called inside the intake transaction, see `receivers`) -----------------------------------------


def _required_for(procedure, row: dict) -> RequiredDocument | None:
    pk = row.get("required_document")
    if pk:
        return RequiredDocument.objects.filter(pk=getattr(pk, "pk", pk), procedure=procedure).first()
    return None


def _digitise_received(dossier: Dossier, row: DossierDocument, data: dict, actor, required) -> bool:
    """Digitise one received component: a re-use, its scanned pages or its stored upload; False if none."""
    pages = data.get("pages") or []
    reuse = data.get("reuse")
    if reuse:
        source = reuse if isinstance(reuse, Document) else Document.objects.filter(pk=reuse).first()
        if source is None:
            raise ValidationError({"documents": _("Không tìm thấy giấy tờ trong kho dữ liệu.")})
        document = reuse_document(
            dossier=dossier, source=source, actor=actor, dossier_document=row, required_document=required
        )
        row.file = document.file.name
        row.save(update_fields=["file"])
        return True
    if pages:
        document = digitise_component(
            dossier=dossier, pages=pages, actor=actor, dossier_document=row, required_document=required
        )
        # The component row points at its digitised file too (the dossier page marks it "đã số hóa").
        row.file = document.file.name
        row.save(update_fields=["file"])
        return True
    if data.get("file") and isinstance(data["file"], str):
        adopt_stored_file(
            dossier=dossier,
            name=data["file"],
            actor=actor,
            dossier_document=row,
            required_document=required,
        )
        return True
    return False


def digitise_intake(
    dossier: Dossier, documents, rows: list[DossierDocument], actor, historical: bool
) -> None:
    """Digitise the components received with a dossier at the counter: each component's scanned pages become
    one PDF, or a stored document is re-used. A component the catalog marks "must digitise" must have one or
    the other, or the intake is refused (nothing is saved).

    The dossier is new, so when no component is digitised its state is known without reading it back: no row at
    all for a dossier without components (no row reads as "nothing digitised" everywhere: the rates, the report
    facts and the dossier's page), otherwise a row counting its components, none digitised."""
    if not rows:
        return
    missing = []
    digitised_any = False
    for row, data in zip(rows, documents or [], strict=False):
        required = _required_for(dossier.procedure, data)
        if _digitise_received(dossier, row, data, actor, required):
            digitised_any = True
        elif (
            required is not None and required.must_digitise and not historical and dossier.channel != "online"
        ):
            missing.append(row.name)
    if missing:
        raise ValidationError(
            {
                "documents": _(
                    "Thủ tục này yêu cầu số hóa thành phần hồ sơ khi tiếp nhận; chưa số hóa: %(names)s."
                )
                % {"names": "; ".join(missing)}
            }
        )
    if not digitised_any:
        DossierDigitisation.objects.create(dossier=dossier, components_total=len(rows))
        return
    refresh_state(dossier)


# --- results -------------------------------------------------------------------------------------------------


def next_result_number(agency, year: int, symbol: str = "") -> str:
    """The next number of the agency's result register for the year: "15/2026/KQ-TP"."""
    counter, _created = ResultNumberCounter.objects.get_or_create(agency=agency, year=year)
    counter = ResultNumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    symbol = symbol or f"KQ-{agency.short_name}"
    return f"{counter.last_number}/{year}/{symbol}"


def _checked_result_fields(
    pages, content, signer_name: str, issued_on: datetime.date | None, valid_until: datetime.date | None
) -> tuple[str, datetime.date]:
    """Refuse a result without a file or signer, signed in the future or expiring before it was signed."""
    errors = {}
    if not (pages or content):
        errors["file"] = _("Chưa có bản quét hoặc tệp kết quả.")
    signer_name = (signer_name or "").strip()
    if not signer_name:
        errors["signer_name"] = _("Chưa ghi người ký kết quả.")
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        errors["issued_on"] = _("Ngày ký không được sau ngày hôm nay.")
    if valid_until and valid_until < issued_on:
        errors["valid_until"] = _("Ngày hết hiệu lực phải sau ngày ký.")
    if errors:
        raise ValidationError(errors)
    return signer_name, issued_on


def _result_pdf(pages, content: bytes | None, title: str) -> tuple[bytes, int, str]:
    """The result's PDF, its page count and origin: the scanned pages combined, or the system's PDF as it is."""
    if content is None:
        content, count = pdf.combine(pages)
        return content, count, Document.Origin.SCANNED
    return content, pdf.page_count(content, title), Document.Origin.GENERATED


def _sign_result(content: bytes, number: str, agency) -> tuple[bytes, str]:
    """Sign the result's PDF with the agency's certificate, naming its number; returns it and the signature."""
    from . import signing

    return signing.sign_pdf(
        content,
        reason=_("Kết quả giải quyết số %(n)s") % {"n": number},
        agency=agency,
    )


def register_result(
    *,
    dossier: Dossier,
    actor,
    pages: list[uploads.CheckedFile] | None = None,
    content: bytes | None = None,
    title: str = "",
    number: str = "",
    signer_name: str = "",
    issued_on: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    summary: str = "",
    sign: bool = False,
) -> Document:
    """Digitise and register the result of a dossier: the scan of the signed paper (`pages`) or a PDF produced by
    the system (`content`); numbered from the agency's register when no number is given; signed with the
    agency's certificate when `sign` is set."""
    signer_name, issued_on = _checked_result_fields(pages, content, signer_name, issued_on, valid_until)
    title = (title or dossier.procedure.result_type or _("Kết quả giải quyết thủ tục hành chính")).strip()
    number = (number or "").strip()
    # Checked before the slow work, again under the lock: another result or number may be filed meanwhile.
    _check_result_can_be_filed(dossier, number)
    # The slow work (combining the pages, signing) is done before the dossier's row is locked.
    content, count, origin = _result_pdf(pages, content, title)
    # One transaction: a refusal (no certificate, another result filed meanwhile) gives the number back. The
    # register's counter is locked from here (as the signature names the number), the dossier's row only once the
    # result is signed.
    with transaction.atomic():
        if not number:
            number = next_result_number(dossier.resolving_agency, issued_on.year)
        signature_info = ""
        if sign:
            content, signature_info = _sign_result(content, number, dossier.resolving_agency)
        filed = {}

        def file_result(locked: Dossier) -> str:
            _check_result_can_be_filed(locked, number)
            filed["document"] = store_pdf(
                dossier=locked,
                title=title,
                content=content,
                pages=count,
                origin=origin,
                kind=Document.Kind.RESULT,
                actor=actor,
                issuing_body=locked.resolving_agency.name,
                number=number,
                issued_on=issued_on,
                valid_until=valid_until,
                signer_name=signer_name,
                summary=(summary or locked.summary)[:500],
                signed=bool(signature_info),
                signature_info=signature_info,
            )
            refresh_state(locked)
            return _("Kết quả số %(n)s") % {"n": number}

        try:
            dossier_services.record_result(dossier, actor, file_result)
        except TransitionNotAllowed as exc:
            raise ValidationError(exc.message) from exc
        return filed["document"]


def _check_result_can_be_filed(dossier: Dossier, number: str) -> None:
    """Refuse a second result for the dossier, or a number the resolving agency already gave another result."""
    if Document.objects.filter(
        dossier=dossier, kind=Document.Kind.RESULT, withdrawn_at__isnull=True
    ).exists():
        raise ValidationError(_("Hồ sơ này đã có kết quả được số hóa."))
    if (
        number
        and Document.objects.filter(
            kind=Document.Kind.RESULT, number=number, dossier__resolving_agency=dossier.resolving_agency
        ).exists()
    ):
        raise ValidationError(
            {"number": _("Số “%(number)s” đã được dùng cho kết quả khác.") % {"number": number}}
        )


def signed_receipt(dossier: Dossier) -> bytes:
    """The dossier's receipt (Mẫu 01, giấy tiếp nhận hồ sơ và hẹn trả kết quả) as a PDF signed with the
    certificate of the receiving agency (see `signing` for an agency without one)."""
    from motcua.dossiers.pdf_forms import render_form

    from . import signing

    content = render_form(dossier, "01")
    signed, _who = signing.sign_pdf(
        content,
        reason=_("Giấy tiếp nhận hồ sơ và hẹn trả kết quả %(code)s") % {"code": dossier.code},
        agency=dossier.agency,
    )
    return signed


# --- state ------------------------------------------------------------------------------------------------------


def digitisation_status(digitised: int, total: int, has_result: bool) -> str:
    """The digitisation status of a dossier with `digitised` of `total` components digitised (and a result or not)."""
    if digitised and has_result:
        return DigitisationStatus.COMPLETE
    if digitised and digitised >= total:
        return DigitisationStatus.COMPONENTS
    if digitised or has_result:
        return DigitisationStatus.PARTIAL
    return DigitisationStatus.NONE


def refresh_state(dossier: Dossier) -> DossierDigitisation:
    """Recompute the dossier's digitisation state from its documents and components."""
    total = DossierDocument.objects.filter(dossier=dossier).count()
    counts = Document.objects.filter(dossier=dossier, withdrawn_at__isnull=True).aggregate(
        digitised=Count("dossier_document", filter=Q(kind=Document.Kind.COMPONENT), distinct=True),
        reused=Count(
            "dossier_document",
            filter=Q(kind=Document.Kind.COMPONENT, origin=Document.Origin.REUSED),
            distinct=True,
        ),
    )
    result = (
        Document.objects.filter(dossier=dossier, kind=Document.Kind.RESULT, withdrawn_at__isnull=True)
        .order_by("-id")
        .first()
    )
    digitised = counts["digitised"]
    status = digitisation_status(digitised, total, result is not None)
    state, _created = DossierDigitisation.objects.update_or_create(
        dossier=dossier,
        defaults={
            "components_total": total,
            "components_digitised": digitised,
            "components_reused": counts["reused"],
            "result_digitised": result is not None,
            "result": result,
            "digitisation_status": status,
        },
    )
    return state


def withdraw_document(document: Document, actor) -> None:
    """Take a document out of the store (kept for the record; its file stays while a dossier uses it)."""
    with transaction.atomic():
        document.withdrawn_at = timezone.now()
        document.save(update_fields=["withdrawn_at"])
        refresh_state(document.dossier)


def verify_result_file(content: bytes):
    """Is this file a result the system issued, unchanged? Returns (verification, the registered document or None).

    The file must carry a valid signature by a trusted certificate covering the whole file AND be byte-for-byte
    the registered result (same SHA-256): any changed byte fails. `verification.agency` is the agency whose
    installed certificate signed (None when the deployment's certificate signed).
    """
    from . import signing
    from .models import AgencyCertificate

    verification = signing.verify_pdf(content)
    if verification.fingerprint:
        record = (
            AgencyCertificate.objects.select_related("agency")
            .filter(fingerprint=verification.fingerprint)
            .first()
        )
        verification.agency = record.agency if record is not None else None
    digest = uploads.hashlib.sha256(content).hexdigest()
    document = (
        Document.objects.filter(kind=Document.Kind.RESULT, sha256=digest, withdrawn_at__isnull=True)
        .select_related("dossier")
        .first()
    )
    if document is None and verification.ok:
        verification.intact = False
        verification.message = _("Tệp không khớp với kết quả nào đã cấp.")
    elif document is None and not verification.message:
        verification.message = _("Tệp không khớp với kết quả nào đã cấp.")
    return verification, document


def offers_for_identity(id_type: str, id_number: str, procedure) -> dict[int, list[Document]]:
    """Offers for the applicant with this identity, if known (the counter types the ID before choosing)."""
    from motcua.dossiers import identity

    id_number = (id_number or "").strip()
    if not id_number or procedure is None:
        return {}
    try:
        normalized = identity.normalize_id_number(id_type or Applicant.IdType.CCCD, id_number)
    except Exception:  # noqa: BLE001 - a badly typed number simply finds nothing
        normalized = id_number
    applicant = Applicant.objects.filter(id_number=normalized).first()
    return offers_for(applicant, procedure)

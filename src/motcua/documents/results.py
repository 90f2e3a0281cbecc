"""A result document produced by the system (when the result is not a scan of signed paper)."""

from django.utils import timezone
from reportlab.platypus import Paragraph, Spacer

from motcua.printing.document import escape, motto_header, render_pdf, styles


def render_result_pdf(dossier, data: dict) -> bytes:
    s = styles()
    agency = dossier.resolving_agency
    title = data.get("title") or dossier.procedure.result_type or "Kết quả giải quyết thủ tục hành chính"
    story = [
        motto_header(
            "ỦY BAN NHÂN DÂN",
            agency.name,
            place="Gia Bình",
            day=data.get("issued_on") or timezone.localdate(),
            number=data.get("number") or None,
        ),
        Spacer(1, 18),
        Paragraph(escape(title).upper(), s["heading"]),
        Spacer(1, 12),
        Paragraph(f"Hồ sơ: {escape(dossier.code)} — {escape(dossier.procedure.name)}", s["body"]),
        Paragraph(f"Chủ hồ sơ: {escape(dossier.applicant.name)}", s["body"]),
        Paragraph(f"Nội dung: {escape(data.get('summary') or dossier.summary)}", s["body"]),
        Spacer(1, 36),
        Paragraph(escape(data.get("signer_name") or ""), s["right"]),
    ]
    return render_pdf(story, title=title, author=agency.name)

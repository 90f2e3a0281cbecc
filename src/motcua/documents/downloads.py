"""Serving stored documents: always as an attachment, with the detected type, never sniffed, never inline."""

from django.http import FileResponse, HttpResponseBase

from .models import Document


def harden(response: HttpResponseBase) -> HttpResponseBase:
    """Mark a download so that the browser neither sniffs its type nor runs it, and nothing caches it."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def attachment(document: Document) -> FileResponse:
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.download_name(),
        content_type=document.content_type or "application/octet-stream",
    )
    return harden(response)

"""What payments move when a reorganisation merges an agency into another (registered with
`motcua.org.reorganisation` at `PaymentsConfig.ready()`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import ReceiptBook


def move_receipt_books(merge) -> None:
    """Open receipt books continue their numbering at `into`; closed ones stay with `old`."""
    old, into = merge.old, merge.into
    books = list(ReceiptBook.objects.filter(agency=old, status=ReceiptBook.Status.OPEN))
    for book in books:
        if ReceiptBook.objects.filter(agency=into, template_no=book.template_no, series=book.series).exists():
            raise ValidationError(
                _(
                    "Quyển biên lai %(template)s – %(series)s của %(old)s trùng ký hiệu với một quyển của %(new)s."
                )
                % {"template": book.template_no, "series": book.series, "old": old.name, "new": into.name}
            )
        book.agency = into
        book.save(update_fields=["agency"])
    merge.outcome.receipt_books += len(books)


def split_receipt_books(split) -> None:
    """Each open receipt book goes to the successor the plan names for its series, else the default successor;
    closed ones stay with the split agency."""
    old = split.old
    for book in ReceiptBook.objects.filter(agency=old, status=ReceiptBook.Status.OPEN).order_by("series"):
        into = split.place(
            "receipt_books",
            book.series,
            _("quyển biên lai %(template)s – %(series)s")
            % {"template": book.template_no, "series": book.series},
        )
        if into is None:
            continue
        if ReceiptBook.objects.filter(agency=into, template_no=book.template_no, series=book.series).exists():
            raise ValidationError(
                _(
                    "Quyển biên lai %(template)s – %(series)s của %(old)s trùng ký hiệu với một quyển của %(new)s."
                )
                % {"template": book.template_no, "series": book.series, "old": old.name, "new": into.name}
            )
        book.agency = into
        book.save(update_fields=["agency"])
        split.outcome.add("receipt_books", into)

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

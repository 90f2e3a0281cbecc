"""What an import found: the bad rows and the counts of procedures created, updated and unchanged."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class RowError:
    sheet: str
    row: int
    messages: list[str]

    def __str__(self) -> str:
        if not self.sheet:
            return " ".join(self.messages)
        where = (
            _("Trang “%(sheet)s”, dòng %(row)d") % {"sheet": self.sheet, "row": self.row}
            if self.row
            else (_("Trang “%(sheet)s”") % {"sheet": self.sheet})
        )
        return f"{where}: " + " ".join(self.messages)


@dataclass
class ImportReport:
    dry_run: bool
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return _("Tệp có %(n)d dòng lỗi; chưa có thay đổi nào được ghi.") % {"n": len(self.errors)}
        if self.dry_run:
            return (
                _(
                    "Kiểm tra xong, tệp hợp lệ (chưa ghi): %(created)d thủ tục sẽ thêm mới, %(updated)d sẽ cập nhật, "
                    "%(unchanged)d không đổi."
                )
                % self.counts()
            )
        return _("Đã nhập: %(created)d thủ tục thêm mới, %(updated)d cập nhật, %(unchanged)d không đổi.") % (
            self.counts()
        )

    def counts(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

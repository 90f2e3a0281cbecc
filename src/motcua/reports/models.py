"""Statistics facts: a compact copy of each dossier's history, kept current from the dossier events.

The dossier event history (`motcua.dossiers.models.DossierEvent`) is the source of every statistic. Reading it
row by row for a million dossiers is too slow for a report answered in under a second, so `motcua.reports.facts`
derives from it, per dossier:

- one `DossierFact`: who resolves it (agency, field, procedure, unit, level), how it came in (channel, date of
  reception), how it ended (resolved, refused or withdrawn, on which date, early / on time / late against the
  legal due date) and when a supplement was requested;
- its `DossierSpell`s: the stretches of days during which it was open, either being processed (with the legal
  due date that applied then) or paused (supplement, financial obligation).

Both are derived data: `motcua rebuild_report_facts` recomputes them from the events at any time.
"""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _


class Ending(models.TextChoices):
    RESOLVED = "resolved", _("Đã giải quyết")
    REFUSED = "refused", _("Từ chối giải quyết")
    WITHDRAWN = "withdrawn", _("Rút hồ sơ")
    NOT_ACCEPTED = "not_accepted", _("Không được tiếp nhận")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class DossierFact(models.Model):
    """One dossier as the statistics see it (derived from its events)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="report_fact"
    )
    agency_id = models.IntegerField(_("Cơ quan giải quyết"), db_index=True)
    receiving_agency_id = models.IntegerField(_("Cơ quan tiếp nhận"))
    procedure_id = models.IntegerField(_("Thủ tục"))
    field_id = models.IntegerField(_("Lĩnh vực"))
    unit_id = models.IntegerField(_("Đơn vị hành chính"), null=True)
    level_id = models.IntegerField(_("Cấp"), null=True)
    channel = models.CharField(_("Kênh nộp"), max_length=10)
    on_the_spot = models.BooleanField(_("“5 tại chỗ”"), default=False)
    received_on = models.DateField(_("Ngày tiếp nhận"), null=True)
    ended_on = models.DateField(_("Ngày kết thúc"), null=True)
    ending = models.CharField(_("Kết thúc"), max_length=20, choices=Ending.choices, blank=True)
    outcome = models.CharField(_("Kết quả so với hạn"), max_length=10, choices=Outcome.choices, blank=True)
    due_on = models.DateField(_("Hạn giải quyết (hiện tại)"), null=True)
    supplement_on = models.DateField(_("Ngày yêu cầu bổ sung"), null=True)
    # Digitisation (copied from `documents.DossierDigitisation`, kept current by its writer's signal) and
    # whether the dossier has its result now (result ready or returned): what the digitisation rates count.
    components_total = models.PositiveSmallIntegerField(_("Số thành phần"), default=0)
    components_digitised = models.PositiveSmallIntegerField(_("Số thành phần đã số hóa"), default=0)
    components_reused = models.PositiveSmallIntegerField(_("Số thành phần dùng lại"), default=0)
    result_digitised = models.BooleanField(_("Đã số hóa kết quả"), default=False)
    has_result = models.BooleanField(_("Đã có kết quả"), default=False)
    last_event_id = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("Dữ liệu thống kê hồ sơ")
        verbose_name_plural = _("Dữ liệu thống kê hồ sơ")
        indexes = [
            models.Index(fields=["received_on"], name="reports_fact_received_idx"),
            models.Index(fields=["ended_on"], name="reports_fact_ended_idx"),
            models.Index(fields=["supplement_on"], name="reports_fact_supplement_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.received_on} {self.ending or 'open'}"


class DossierSpell(models.Model):
    """A stretch of days a dossier was open: from `start_on` (inclusive) to `end_on` (exclusive, null = still).

    A dossier is "open at the end of day D" in the spell with start_on <= D < end_on. A spell that starts and
    ends on the same day covers no end of day. The grouping columns are copied from the fact so that the
    report reads one table.
    """

    fact = models.ForeignKey(DossierFact, on_delete=models.CASCADE, related_name="spells")
    agency_id = models.IntegerField()
    procedure_id = models.IntegerField()
    field_id = models.IntegerField()
    unit_id = models.IntegerField(null=True)
    level_id = models.IntegerField(null=True)
    start_on = models.DateField()
    end_on = models.DateField(null=True)
    paused = models.BooleanField(default=False)
    due_on = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["start_on", "end_on"], name="reports_spell_span_idx"),
            models.Index(fields=["end_on"], name="reports_spell_end_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.fact_id} {self.start_on}–{self.end_on or ''}{' paused' if self.paused else ''}"


class PendingFact(models.Model):
    """A dossier whose facts are to be rebuilt: written in the same transaction as each change of its events or
    its digitisation, deleted by the transaction that rebuilds its facts (`facts.drain`). A dossier may have
    several rows (one per change); there is no foreign key, so writing one costs one plain INSERT."""

    id = models.BigAutoField(primary_key=True)
    dossier_id = models.BigIntegerField()

    def __str__(self) -> str:
        return str(self.dossier_id)


class GroupedCounts(models.Model):
    """The grouping columns (agency, procedure, field, unit, level) and the counts that the daily rollup and its
    monthly summary both hold, declared once."""

    agency_id = models.IntegerField()
    procedure_id = models.IntegerField()
    field_id = models.IntegerField()
    unit_id = models.IntegerField(null=True)
    level_id = models.IntegerField(null=True)
    received = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    on_the_spot = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)
    early = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    supplement_requested = models.PositiveIntegerField(default=0)
    with_digitised_components = models.PositiveIntegerField(default=0)
    with_result = models.PositiveIntegerField(default=0)
    results_digitised = models.PositiveIntegerField(default=0)
    components = models.PositiveIntegerField(default=0)
    components_reused = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyCount(GroupedCounts):
    """The daily rollup: the flows of one day for one (agency, procedure), summed from the facts.

    `received` counts the dossiers received that day (of which `online` and `on_the_spot`), `ended` those that
    ended that day whatever the ending (resolved early / on time / late, refused, withdrawn, not accepted) and
    `supplement_requested` those whose first supplement was requested that day. The digitisation counts are
    those of the dossiers received that day, as they stand now: `with_digitised_components` (≥ 1 component
    digitised), `with_result` (result ready or returned), `results_digitised` (of those, result digitised),
    `components` and `components_reused` (sums). Finished days are rolled up
    by `motcua rollup_reports` (and the demo loader); days after `RollupState.rolled_through` are read live
    from the facts. Derived data: the command recomputes it at any time.
    """

    day = models.DateField()

    class Meta:
        verbose_name = _("Số liệu thống kê theo ngày")
        verbose_name_plural = _("Số liệu thống kê theo ngày")
        indexes = [models.Index(fields=["day"], name="reports_daily_day_idx")]
        constraints = [
            # One row per day and grouping columns (absent unit and level count as 0), so that two transactions
            # adding counts to a row that does not exist yet cannot both create it.
            models.UniqueConstraint(
                "day",
                "agency_id",
                "procedure_id",
                "field_id",
                Coalesce("unit_id", Value(0)),
                Coalesce("level_id", Value(0)),
                name="reports_daily_one_row_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.agency_id}/{self.procedure_id}: {self.received}"


class MonthlyCount(GroupedCounts):
    """The monthly summary of the daily rollup: for one month (`month`, its first day) and one (agency,
    procedure, field, unit, level), the sums of the `DailyCount` rows of that month's days, the same columns.

    Always equal to those sums (kept by `motcua.reports.rollup` wherever the daily rows change), so a report over
    a long period reads its whole months here (about 30 times fewer rows) and only the days of the partial
    months at its ends from the daily rollup. Derived data: `motcua rollup_reports` recomputes it.
    """

    month = models.DateField()

    class Meta:
        verbose_name = _("Số liệu thống kê theo tháng")
        verbose_name_plural = _("Số liệu thống kê theo tháng")
        indexes = [models.Index(fields=["month"], name="reports_monthly_month_idx")]
        constraints = [
            models.UniqueConstraint(
                "month",
                "agency_id",
                "procedure_id",
                "field_id",
                Coalesce("unit_id", Value(0)),
                Coalesce("level_id", Value(0)),
                name="reports_monthly_one_row_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.agency_id}/{self.procedure_id}: {self.received}"


class RollupState(models.Model):
    """How far the daily rollup goes (one row): every day up to `rolled_through` is in `DailyCount`."""

    rolled_through = models.DateField(null=True)

    def __str__(self) -> str:
        return str(self.rolled_through or "")


# --- Decision 766/QĐ-TTg as data ------------------------------------------------------------------------------


class IndexVersion(models.Model):
    """One version of the service-quality index (Decision 766/QĐ-TTg and the formula notes that apply it): its
    groups and indicators, with the dates it is in force. The version in force on a period's last day scores
    that period; an administrator adds a new version when the decision or its formulas change."""

    code = models.CharField(_("Mã phiên bản"), max_length=40, unique=True)
    name = models.CharField(_("Tên"), max_length=300)
    legal_basis = models.CharField(_("Căn cứ"), max_length=300)
    valid_from = models.DateField(_("Áp dụng từ ngày"))
    valid_to = models.DateField(_("Áp dụng đến ngày"), null=True, blank=True)
    note = models.TextField(_("Ghi chú"), blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("Phiên bản Bộ chỉ số 766")
        verbose_name_plural = _("Phiên bản Bộ chỉ số 766")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày hết áp dụng phải sau ngày bắt đầu áp dụng.")})
        overlapping = IndexVersion.objects.exclude(pk=self.pk)
        if self.valid_from:
            overlapping = overlapping.filter(
                models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                raise ValidationError(
                    {
                        "valid_from": _("Thời gian áp dụng trùng với phiên bản «%(v)s».")
                        % {"v": overlapping[0]}
                    }
                )


class IndexGroup(models.Model):
    """A group of indicators (nhóm chỉ số) with its maximum points."""

    version = models.ForeignKey(IndexVersion, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(_("Mã nhóm"), max_length=40)
    label = models.CharField(_("Tên nhóm"), max_length=200)
    max_points = models.DecimalField(_("Điểm tối đa"), max_digits=6, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("Nhóm chỉ số 766")
        verbose_name_plural = _("Nhóm chỉ số 766")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="reports_index_group_key")]

    def __str__(self) -> str:
        return f"{self.label} ({self.max_points:g})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.max_points is not None and self.max_points < 0:
            raise ValidationError({"max_points": _("Điểm tối đa không được âm.")})


class IndexIndicator(models.Model):
    """An indicator (chỉ số thành phần) with fixed points: full points from `threshold_percent` up (or in
    proportion to the rate when there is no threshold), rate × points / threshold below it."""

    class Evidence(models.TextChoices):
        VERIFIED = "verified", _("Đã đối chiếu văn bản")
        CORROBORATED = "corroborated", _("Nhiều nguồn thứ cấp khớp nhau")
        UNVERIFIED = "unverified", _("Chưa xác minh")

    group = models.ForeignKey(IndexGroup, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(_("Mã chỉ số"), max_length=20)
    label = models.CharField(_("Tên chỉ số"), max_length=300)
    max_points = models.DecimalField(_("Điểm tối đa"), max_digits=6, decimal_places=2)
    measure = models.CharField(
        _("Cách đo"),
        max_length=60,
        blank=True,
        help_text=_("Mã phép đo của phần mềm (để trống nếu phần mềm chưa có dữ liệu để đo chỉ số này)."),
    )
    formula = models.CharField(_("Công thức"), max_length=500)
    threshold_percent = models.DecimalField(
        _("Ngưỡng đạt điểm tối đa (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Để trống: điểm = tỷ lệ × điểm tối đa."),
    )
    evidence = models.CharField(
        _("Mức độ xác minh"), max_length=20, choices=Evidence.choices, default=Evidence.UNVERIFIED
    )
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["group", "position", "id"]
        verbose_name = _("Chỉ số thành phần 766")
        verbose_name_plural = _("Chỉ số thành phần 766")
        constraints = [models.UniqueConstraint(fields=["group", "key"], name="reports_index_indicator_key")]

    def __str__(self) -> str:
        return f"{self.key} {self.label} ({self.max_points:g})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .index766 import MEASURES

        errors = {}
        if self.max_points is not None and self.max_points < 0:
            errors["max_points"] = _("Điểm tối đa không được âm.")
        if self.threshold_percent is not None and not 0 < self.threshold_percent <= 100:
            errors["threshold_percent"] = _("Ngưỡng phải lớn hơn 0 và không quá 100%.")
        if self.measure and self.measure not in MEASURES:
            errors["measure"] = _("Phép đo «%(m)s» không có; hãy chọn một trong: %(all)s.") % {
                "m": self.measure,
                "all": ", ".join(sorted(MEASURES)),
            }
        if errors:
            raise ValidationError(errors)

"""The outbox of changes the National Public Service Portal must see, and each dossier's sync state.

One `OutboxMessage` per dossier event, written in the transaction that appends the event (see `receivers`), so a
change and its message commit or roll back together. The worker delivers each dossier's messages in order.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A dossier change to deliver: the dossier itself (DongBoHoSoMC) then its history entry (CapNhatTienDoHoSoMC)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã đồng bộ")
        FAILED = "failed", _("Gửi không thành công")
        SKIPPED = "skipped", _("Không cần gửi")

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="portal_messages", verbose_name=_("Hồ sơ")
    )
    event = models.OneToOneField(
        "dossiers.DossierEvent",
        on_delete=models.PROTECT,
        related_name="portal_message",
        verbose_name=_("Sự kiện hồ sơ"),
    )
    state = models.CharField(
        _("Trạng thái"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    dossier_pushed = models.BooleanField(_("Đã gửi hồ sơ"), default=False)
    ambiguous = models.BooleanField(
        _("Lần gửi trước không rõ kết quả"),
        default=False,
        help_text=_("Quá thời gian chờ hoặc lỗi máy chủ: tra cứu trước khi gửi lại để không gửi trùng."),
    )
    attempts = models.PositiveIntegerField(_("Số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("Gửi lần tới lúc"), db_index=True)
    last_attempt_at = models.DateTimeField(_("Gửi lần cuối lúc"), null=True, blank=True)
    last_error = models.TextField(_("Lỗi"), blank=True)
    last_request = models.JSONField(_("Nội dung gửi"), default=dict, blank=True)
    last_reply = models.TextField(_("Cổng DVCQG trả lời"), blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("Đồng bộ lúc"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Bản tin gửi Cổng DVCQG")
        verbose_name_plural = _("Hàng đợi gửi Cổng DVCQG")
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="portal_outbox_due_idx"),
            models.Index(fields=["dossier", "state"], name="portal_outbox_dossier_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.event_id} {self.state}"


class DossierSync(models.Model):
    """What the portal holds of one dossier: whether it was inserted there, and when it was last updated."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="portal_sync", verbose_name=_("Hồ sơ")
    )
    inserted = models.BooleanField(_("Cổng DVCQG đã có hồ sơ"), default=False)
    last_pushed_at = models.DateTimeField(_("Đồng bộ lần cuối"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("Trạng thái đã đồng bộ"), null=True, blank=True)
    pushed_event_id = models.BigIntegerField(
        _("Sự kiện cuối đã có trong lần gửi hồ sơ"),
        null=True,
        blank=True,
        help_text=_(
            "Hồ sơ đã gửi phản ánh mọi sự kiện đến sự kiện này; sự kiện cũ hơn không cần gửi lại hồ sơ."
        ),
    )

    class Meta:
        verbose_name = _("Tình trạng đồng bộ hồ sơ")
        verbose_name_plural = _("Tình trạng đồng bộ hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier_id} {'+' if self.inserted else '-'}"


class CatalogPull(models.Model):
    """Procedures read from the portal (LayDanhSachTTHC, LayThuTuc) as a diff against the local catalog, which an
    administrator reviews and applies (nothing changes in the catalog before that)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Chờ duyệt")
        APPLIED = "applied", _("Đã áp dụng")
        DISCARDED = "discarded", _("Đã bỏ qua")

    created_at = models.DateTimeField(_("Lấy về lúc"), auto_now_add=True)
    state = models.CharField(_("Trạng thái"), max_length=10, choices=State.choices, default=State.PROPOSED)
    changes = models.JSONField(_("Thay đổi đề xuất"), default=list)
    applied_at = models.DateTimeField(_("Áp dụng lúc"), null=True, blank=True)
    applied_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người áp dụng"),
    )
    applied_changes = models.JSONField(_("Thay đổi đã áp dụng"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Lần lấy danh mục thủ tục từ Cổng DVCQG")
        verbose_name_plural = _("Các lần lấy danh mục thủ tục từ Cổng DVCQG")

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.state}"


class PortalQuestion(models.Model):
    """A question of the portal (HOIDAPID, one row whichever list brought it), kept as a recommendation.

    - ``citizen``: a citizen's question sent through the portal (LayDanhSachHoiDapGuiTuDVCQG): a recommendation
      to answer here, whose answer is sent back with DongBoKetQuaHoiDapGuiTuDVCQG;
    - ``agency``: a question and answer the agency published on the portal (LayDanhSachHoiDapBoCoQuan): an
      answered, published recommendation shown in the public Q&A, never in the queue of questions to answer;
    - ``own``: a Q&A this system published (DongBoHoiDap) that the portal lists back under its own id; linked to
      the local recommendation so it is not stored twice.
    """

    class Source(models.TextChoices):
        CITIZEN = "citizen", _("Câu hỏi công dân gửi qua Cổng DVCQG")
        AGENCY = "agency", _("Hỏi đáp của cơ quan trên Cổng DVCQG")
        OWN = "own", _("Hỏi đáp của hệ thống đã đồng bộ lên Cổng DVCQG")

    recommendation = models.OneToOneField(
        "feedback.Recommendation",
        on_delete=models.PROTECT,
        related_name="portal_question",
        verbose_name=_("Kiến nghị, phản ánh"),
    )
    portal_id = models.CharField(_("Mã câu hỏi trên Cổng DVCQG (HOIDAPID)"), max_length=50, unique=True)
    agency_code = models.CharField(_("Mã đơn vị trên Cổng DVCQG"), max_length=50, blank=True)
    source = models.CharField(
        _("Nguồn"), max_length=10, choices=Source.choices, default=Source.CITIZEN, db_index=True
    )
    field = models.ForeignKey(
        "catalog.Field",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Lĩnh vực"),
        help_text=_("Theo MALINHVUC, hoặc lĩnh vực của thủ tục MATTHCDP, của hỏi đáp cơ quan."),
    )
    received_at = models.DateTimeField(_("Nhận về lúc"), auto_now_add=True)
    answer_sent_at = models.DateTimeField(_("Đã gửi trả lời lúc"), null=True, blank=True)
    answer_reply = models.TextField(_("Cổng DVCQG trả lời"), blank=True)
    portal_answer_id = models.CharField(
        _("Mã câu trả lời trên Cổng DVCQG (TRALOIID)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Có khi câu trả lời được lấy từ Cổng (LayNoiDungTraLoiTheoCauHoi) thay vì trả lời tại đây."
        ),
    )

    class Meta:
        verbose_name = _("Câu hỏi từ Cổng DVCQG")
        verbose_name_plural = _("Câu hỏi từ Cổng DVCQG")

    def __str__(self) -> str:
        return self.portal_id


class InboundDossier(models.Model):
    """A dossier submitted on the portal and pushed here (NATIONAL-PORTAL.md §1.2): the portal's code (MaHoSo)
    is unique, so the same push twice creates one local online dossier."""

    portal_code = models.CharField(_("Mã hồ sơ trên Cổng DVCQG"), max_length=60, unique=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="portal_inbound",
        verbose_name=_("Hồ sơ"),
    )
    procedure_code = models.CharField(_("Mã thủ tục (MaTTHC)"), max_length=50)
    tech_id = models.CharField(
        _("Mã tài khoản Cổng DVCQG của chủ hồ sơ (TechID)"), max_length=100, blank=True
    )
    remote_addr = models.GenericIPAddressField(_("Địa chỉ gọi đến"), null=True, blank=True)
    payload_sha256 = models.CharField(_("SHA-256 của nội dung nhận"), max_length=64)
    received_at = models.DateTimeField(_("Nhận lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("Hồ sơ nhận từ Cổng DVCQG")
        verbose_name_plural = _("Hồ sơ nhận từ Cổng DVCQG")

    def __str__(self) -> str:
        return self.portal_code


class PublishedQuestion(models.Model):
    """A local question and answer made public (consent given, published), sent to the portal with
    DongBoHoiDap; `sent_at` is set when the portal accepts it, so it is sent once."""

    recommendation = models.OneToOneField(
        "feedback.Recommendation",
        on_delete=models.PROTECT,
        related_name="portal_publication",
        verbose_name=_("Kiến nghị, phản ánh"),
    )
    sent_at = models.DateTimeField(_("Đã đồng bộ lúc"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("Gửi lần cuối lúc"), null=True, blank=True)
    reply = models.TextField(_("Cổng DVCQG trả lời"), blank=True)

    class Meta:
        verbose_name = _("Hỏi đáp công khai gửi Cổng DVCQG")
        verbose_name_plural = _("Hỏi đáp công khai gửi Cổng DVCQG")

    def __str__(self) -> str:
        return f"{self.recommendation_id} {'+' if self.sent_at else '-'}"

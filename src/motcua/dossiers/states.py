"""The vocabulary of a dossier's life: national portal status codes, internal sub-states, channels.

The national portal's ten status codes (REFERENCE §1.1) are what other systems and the statistics see; the
internal sub-state says more precisely where the dossier is, and each sub-state maps to exactly one code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalStatus(models.IntegerChoices):
    """TrangThaiHoSo of the National Public Service Portal."""

    REGISTERED = 1, _("Mới đăng ký")
    RECEIVED = 2, _("Được tiếp nhận")
    NOT_ACCEPTED = 3, _("Không được tiếp nhận")
    PROCESSING = 4, _("Đang xử lý")
    SUPPLEMENT_REQUESTED = 5, _("Yêu cầu bổ sung giấy tờ")
    AWAITING_FINANCIAL_OBLIGATION = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân yêu cầu rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    RESOLVED = 9, _("Đã xử lý xong")
    RETURNED = 10, _("Đã trả kết quả")


class State(models.TextChoices):
    """Internal sub-state (REFERENCE §1.3)."""

    ONLINE_PENDING = "online_pending", _("Chờ tiếp nhận trực tuyến")
    RECEIVED = "received", _("Đã tiếp nhận")
    IN_STEP = "in_step", _("Đang xử lý")
    PAUSED_SUPPLEMENT = "paused_supplement", _("Chờ bổ sung")
    PAUSED_FINANCIAL = "paused_financial", _("Chờ thực hiện nghĩa vụ tài chính")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    REJECTED = "rejected", _("Từ chối tiếp nhận")
    STOPPED = "stopped", _("Dừng xử lý")
    RESULT_READY = "result_ready", _("Chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")


STATUS_OF_STATE: dict[str, int] = {
    State.ONLINE_PENDING: PortalStatus.REGISTERED,
    State.RECEIVED: PortalStatus.RECEIVED,
    State.IN_STEP: PortalStatus.PROCESSING,
    State.PAUSED_SUPPLEMENT: PortalStatus.SUPPLEMENT_REQUESTED,
    State.PAUSED_FINANCIAL: PortalStatus.AWAITING_FINANCIAL_OBLIGATION,
    State.WITHDRAWN: PortalStatus.WITHDRAWN,
    State.REJECTED: PortalStatus.NOT_ACCEPTED,
    State.STOPPED: PortalStatus.STOPPED,
    State.RESULT_READY: PortalStatus.RESOLVED,
    State.RETURNED: PortalStatus.RETURNED,
}

PAUSED_STATES = {State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL}
FINAL_STATES = {State.WITHDRAWN, State.REJECTED, State.STOPPED, State.RETURNED}


class Channel(models.TextChoices):
    """How the dossier was submitted (KenhThucHien)."""

    COUNTER = "counter", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Qua bưu chính công ích (BCCI)")


class ReturnMethod(models.TextChoices):
    """Where the applicant registered to receive the result."""

    COUNTER = "counter", _("Tại Bộ phận Tiếp nhận và Trả kết quả")
    POST = "post", _("Qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class StepOutcome(models.TextChoices):
    """Was a step done before, on or after its due date (compared by date, REFERENCE §4)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")

"""Who may see a dossier and take which action, and the rules beyond the transition table (guards)."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.org import permissions

from .. import workflow
from ..models import Dossier
from ..states import State
from .clock import HOURS_PER_WORKING_DAY, calendar
from .steps import RESOLVING_KINDS, _previous_resolving_step


def _is_staff_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None)


def _holds(user, role: str, agency) -> bool:
    """Does the user hold `role` today for `agency` (an Agency or its pk)? A superuser holds every role."""
    return bool(_is_staff_user(user)) and permissions.has_role(user, role, agency=agency)


def _role_ok(user, dossier: Dossier, transition: workflow.Transition) -> bool:
    if user is not None and getattr(user, "is_superuser", False):
        return True
    for role, where in transition.roles:
        if role == workflow.STEP_ROLE:
            if dossier.current_step is None:
                continue
            role = dossier.current_step.role
        if where == workflow.RECEIVING:
            agency = dossier.agency
        elif where == workflow.RESOLVING:
            agency = dossier.resolving_agency
        else:
            agency = dossier.current_agency or dossier.resolving_agency
        if _holds(user, role, agency):
            return True
    return False


def can_see(user, dossier: Dossier) -> bool:
    """Staff see the dossiers of the agencies in their scope (receiving, resolving or now holding it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    scope = permissions.agency_ids_in_scope(user)
    return any(
        agency_id in scope
        for agency_id in {dossier.agency_id, dossier.resolving_agency_id, dossier.current_agency_id} - {None}
    )


def holds_role_for(user, dossier: Dossier, action: str) -> bool:
    """Whether the user holds one of the roles the transition table gives `action` on this dossier (whatever
    its state): what a screen checks before it offers the action's form."""
    return bool(_is_staff_user(user)) and _role_ok(user, dossier, workflow.TRANSITIONS[action])


def allowed_actions(dossier: Dossier, user) -> list[str]:
    """The actions this user may take on this dossier now (table, role and guards), as buttons or through
    `perform`; the actions of `workflow.DOCUMENT_ACTIONS` have their own screens and are not listed."""
    result = []
    for action in workflow.allowed_from(dossier.state):
        if action in workflow.DOCUMENT_ACTIONS:
            continue
        transition = workflow.TRANSITIONS[action]
        if _role_ok(user, dossier, transition) and _guard_message(dossier, action) is None:
            result.append(action)
    return result


def _guard_message(dossier: Dossier, action: str) -> str | None:
    """A reason why the rules (beyond the table) forbid `action` now, or None."""
    if action == "request_supplement":
        if dossier.state == State.ONLINE_PENDING:
            # Guidance at reception (Mẫu 02) is given once, fully, too; it is not the once-only request of the
            # resolution (`supplement_count`), which only counts requests made after reception.
            if dossier.supplement_items:
                return _(
                    "Hồ sơ đã được hướng dẫn bổ sung một lần khi tiếp nhận; nếu vẫn chưa đủ điều kiện, "
                    "hãy từ chối tiếp nhận."
                )
        elif dossier.supplement_count >= 1:
            return _(
                "Hồ sơ đã được yêu cầu bổ sung một lần; yêu cầu bổ sung chỉ được thực hiện một lần, đầy đủ."
            )
    if action == "apologize":
        return _apology_refusal(dossier, timezone.now())
    if action == "send_back" and _previous_resolving_step(dossier, dossier.current_step) is None:
        return _("Không có bước trước để trả lại.")
    if action == "advance" and dossier.current_step is None:
        return _("Hồ sơ không có quy trình xử lý để chuyển bước.")
    if action == "request_financial_obligation" and (
        dossier.current_step is None or dossier.current_step.kind not in RESOLVING_KINDS
    ):
        return _("Chỉ yêu cầu thực hiện nghĩa vụ tài chính trong khi đang giải quyết hồ sơ.")
    return None


def apology_window() -> Decimal:
    """How many working days before the appointment a dossier that will be late may get its apology letter
    (`MOTCUA_APOLOGY_PROMPT_WORKING_DAYS`, 2 by default; monitoring prompts for it from the same instant)."""
    value = Decimal(str(getattr(settings, "MOTCUA_APOLOGY_PROMPT_WORKING_DAYS", 2)))
    return max(value, Decimal(1))


def _apology_refusal(dossier: Dossier, now: datetime.datetime) -> str | None:
    """Why the apology letter (Mẫu 04) may not be issued now, or None (Decree 61/2018 Art. 19: for a dossier
    that will be late, sent at least one working day before the appointment)."""
    current = dossier.appointment_at or dossier.due_at
    if current is None:
        return _("Hồ sơ không có ngày hẹn trả nên không cần phiếu xin lỗi.")
    if dossier.state in workflow.PAUSED:
        return _(
            "Hồ sơ đang tạm dừng; ngày hẹn trả sẽ tự lùi theo thời gian tạm dừng, chưa cần phiếu xin lỗi."
        )
    left = calendar().working_time_between(now, current) if now < current else datetime.timedelta(0)
    if left < datetime.timedelta(hours=int(HOURS_PER_WORKING_DAY)):
        return _("Phiếu xin lỗi phải gửi trước ngày hẹn trả ít nhất 01 ngày làm việc.")
    window = datetime.timedelta(hours=float(HOURS_PER_WORKING_DAY * apology_window()))
    if left > window:
        return _(
            "Chỉ lập phiếu xin lỗi cho hồ sơ sẽ trễ hạn: còn hơn %(days)s ngày làm việc đến ngày hẹn trả "
            "(%(due)s), hồ sơ vẫn có thể giải quyết đúng hẹn."
        ) % {
            "days": f"{apology_window():g}",
            "due": timezone.localtime(current).strftime("%H:%M %d/%m/%Y"),
        }
    return None

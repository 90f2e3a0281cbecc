"""Services made of transitions of the table, each recorded as its own event."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import deadlines, workflow
from ..exceptions import ActionForbidden, TransitionNotAllowed
from ..models import Dossier
from ..states import State
from .clock import calendar
from .lifecycle import advance, return_result
from .steps import _steps
from .transition import _transition

SUPPLEMENT_OVERDUE_REASON = gettext_lazy(
    "Quá thời hạn bổ sung, hoàn thiện hồ sơ mà người nộp hồ sơ không bổ sung; hồ sơ được trả lại."
)


def close_overdue_supplement(dossier, actor, reason: str = "") -> Dossier:
    """Close a dossier that waited for a supplement past its limit (`deadlines.supplement_due`): through the
    table's `refuse`, status 8 with the reason; one waiting since the guidance at the reception of an online
    submission was never received and is closed as not received (status 3). Refused, changing nothing, while
    the limit has not passed."""
    reason = (reason or "").strip() or str(SUPPLEMENT_OVERDUE_REASON)

    def apply(d, now):
        due = deadlines.supplement_due(d, calendar(d.agency))
        if due is None or now <= due:
            raise TransitionNotAllowed(
                _("Hồ sơ chưa quá hạn bổ sung (hạn bổ sung: %(due)s), chưa thể trả lại.")
                % {"due": timezone.localtime(due).strftime("%H:%M %d/%m/%Y") if due else "—"}
            )
        at_reception = d.paused_state == State.ONLINE_PENDING
        d.state = State.REJECTED if at_reception else State.STOPPED
        d.closing_reason = reason
        d.paused_state, d.paused_at, d.holder = "", None, None
        return {
            "agency": d.current_agency or d.agency,
            "note": reason,
            "data": {"supplement_overdue": True, "supplement_due_at": due.isoformat()},
        }

    return _transition(dossier, "refuse", actor, apply)


def resolve_on_the_spot(dossier, actor, note: str = "") -> Dossier:
    """ "5 tại chỗ": the officer who received the dossier appraises, approves, issues and returns it at the
    counter in one sitting. Each step goes through the transition table (`advance` for every resolving step,
    then `return_result`), so each is an event of the history with its own check of the officer's roles there
    (the delegation: the officer must hold the specialist's, leader's and clerk's roles the center's process
    gives its steps). All or nothing: a step the officer may not take leaves the dossier as it was."""
    dossier = dossier if isinstance(dossier, Dossier) else Dossier.objects.get(pk=dossier)
    if not dossier.on_the_spot:
        raise TransitionNotAllowed(_("Hồ sơ không giải quyết theo “5 tại chỗ”."))
    if not (getattr(actor, "pk", None) and dossier.received_by_id == actor.pk):
        raise ActionForbidden(_("Chỉ cán bộ đã tiếp nhận hồ sơ mới giải quyết “5 tại chỗ” tại quầy."))
    if dossier.state not in workflow.ACTIVE:
        raise TransitionNotAllowed(
            _("Hồ sơ đang ở trạng thái “%(state)s”, không thể giải quyết tại chỗ.")
            % {"state": State(dossier.state).label}
        )
    marker = _("Giải quyết “5 tại chỗ” tại quầy")
    text = f"{marker}: {note}" if note else str(marker)
    with transaction.atomic():
        for _i in range(len(_steps(dossier)) + 1):
            if dossier.state == State.RESULT_READY:
                break
            dossier = advance(dossier, actor, note=text)
        if dossier.state != State.RESULT_READY:
            raise TransitionNotAllowed(_("Quy trình “5 tại chỗ” không đưa hồ sơ đến bước trả kết quả."))
        dossier = return_result(dossier, actor, note=text)
    return dossier

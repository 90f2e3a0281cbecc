"""The one transition table of a dossier.

Every change of a dossier is one of the actions below. An action is allowed only from the listed source
sub-states; its target is a fixed sub-state, or one of the markers:

- ``SAME``: the dossier stays where it is (an apology, a hand-over to a named person);
- ``NEXT_STEP``: the next step of the process, or ``result_ready`` after the last resolving step;
- ``PREVIOUS_STEP``: back to the previous resolving step (the leader sends it back);
- ``RESUME``: back to the sub-state held when the clock was paused.

Who may take an action is given as (role, where) pairs: ``receiving`` is the agency that received the dossier
(the one-stop unit), ``acting`` the agency of the current process step, ``resolving`` the agency that resolves the
dossier, and ``step`` means "the role of the
current process step, at its agency". A superuser passes every check. Extra conditions (a supplement is
requested at most once; there must be a step to send back to) are the guards in `services`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .states import State

SAME = "same"
NEXT_STEP = "next_step"
PREVIOUS_STEP = "previous_step"
RESUME = "resume"

STEP_ROLE = "step"
RECEIVING = "receiving"
ACTING = "acting"
RESOLVING = "resolving"

ACTIVE = frozenset({State.RECEIVED, State.IN_STEP})
PAUSED = frozenset({State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    roles: tuple  # of (role, where) pairs, or (STEP_ROLE, ACTING)
    label: str  # the verb on the button


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        Transition(
            "receive",
            frozenset({State.ONLINE_PENDING}),
            State.RECEIVED,
            (("reception_officer", RECEIVING),),
            _("Tiếp nhận"),
        ),
        Transition(
            "refuse_intake",
            frozenset({State.ONLINE_PENDING}),
            State.REJECTED,
            (("reception_officer", RECEIVING),),
            _("Từ chối tiếp nhận"),
        ),
        Transition("advance", ACTIVE, NEXT_STEP, ((STEP_ROLE, ACTING),), _("Chuyển bước xử lý")),
        Transition(
            "assign", ACTIVE, SAME, ((STEP_ROLE, ACTING), ("leader", ACTING)), _("Chuyển người xử lý")
        ),
        Transition(
            "send_back",
            frozenset({State.IN_STEP}),
            PREVIOUS_STEP,
            ((STEP_ROLE, ACTING),),
            _("Trả lại bước trước"),
        ),
        Transition(
            "request_supplement",
            ACTIVE | {State.ONLINE_PENDING},
            State.PAUSED_SUPPLEMENT,
            (("reception_officer", RECEIVING), ("specialist", ACTING)),
            _("Yêu cầu bổ sung"),
        ),
        Transition(
            "supplement",
            frozenset({State.PAUSED_SUPPLEMENT}),
            RESUME,
            (("reception_officer", RECEIVING), ("specialist", ACTING)),
            _("Hoàn thành bổ sung"),
        ),
        Transition(
            "request_financial_obligation",
            frozenset({State.IN_STEP}),
            State.PAUSED_FINANCIAL,
            (("specialist", ACTING), ("reception_officer", RECEIVING)),
            _("Yêu cầu thực hiện nghĩa vụ tài chính"),
        ),
        Transition(
            "fulfil_financial_obligation",
            frozenset({State.PAUSED_FINANCIAL}),
            RESUME,
            (("specialist", ACTING), ("reception_officer", RECEIVING)),
            _("Đã thực hiện nghĩa vụ tài chính"),
        ),
        Transition(
            "refuse",
            ACTIVE | PAUSED,
            State.STOPPED,
            (("specialist", ACTING), ("leader", ACTING), ("reception_officer", RECEIVING)),
            _("Trả lại hồ sơ (từ chối giải quyết)"),
        ),
        Transition(
            "withdraw",
            ACTIVE | PAUSED | {State.ONLINE_PENDING},
            State.WITHDRAWN,
            (("reception_officer", RECEIVING),),
            _("Rút hồ sơ"),
        ),
        Transition(
            "apologize",
            ACTIVE,  # paused, the appointment moves with the pause: no letter needed
            SAME,
            # Mẫu 04 is the letter of the head of the resolving agency (Decree 61/2018 Art. 19).
            (("leader", RESOLVING),),
            _("Xin lỗi và hẹn lại ngày trả"),
        ),
        Transition(
            "register_result",
            # The result is digitised (a scan of the signed paper or a generated PDF) by the resolving agency,
            # from reception until after it is handed over; never for a dossier that was not received.
            ACTIVE | PAUSED | {State.RESULT_READY, State.RETURNED, State.STOPPED},
            SAME,
            (("clerk", RESOLVING), ("leader", RESOLVING), ("specialist", RESOLVING)),
            _("Số hóa kết quả giải quyết"),
        ),
        Transition(
            "return_result",
            frozenset({State.RESULT_READY}),
            State.RETURNED,
            (("reception_officer", RECEIVING), (STEP_ROLE, ACTING)),
            _("Trả kết quả"),
        ),
    ]
}

# Actions the applicant may take themselves (online, through their citizen account), besides staff.
APPLICANT_ACTIONS = frozenset({"supplement"})

# Actions taken from the documents' screens with their files (`documents.services.register_result`), not
# through `services.perform`; they are not offered among a dossier's action buttons.
DOCUMENT_ACTIONS = frozenset({"register_result"})

# Events that are not transitions between sub-states but are written to the same history.
INTAKE_ACTIONS = {"receive", "refuse_intake"}

ACTION_LABELS: dict = {action: t.label for action, t in TRANSITIONS.items()}
ACTION_LABELS.update(
    {
        "submit_online": _("Nộp trực tuyến"),
        # Received at one point, resolved by the competent agency ("phi địa giới", Decree 118/2025).
        "transfer_to_resolving": _("Chuyển cơ quan có thẩm quyền giải quyết"),
        # Moved to the successor agency by a reorganisation (`motcua reorganise`).
        "reorganise": _("Chuyển cơ quan kế thừa do sắp xếp tổ chức"),
    }
)


def allowed_from(state: str) -> list[str]:
    """The actions the table allows from a sub-state (before roles and guards)."""
    return [action for action, t in TRANSITIONS.items() if state in t.sources]

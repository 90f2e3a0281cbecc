"""Put a dossier into each internal sub-state through the real transitions (by a superuser)."""

import datetime

from motcua.dossiers import services
from motcua.dossiers.states import State

from .factories import ApplicantFactory


def at_state(state: str, procedure, actor):
    applicant = ApplicantFactory()
    if state == State.ONLINE_PENDING:
        return services.submit_online(procedure=procedure, applicant=applicant)
    if state == State.REJECTED:
        return services.refuse_at_intake(
            procedure=procedure, applicant=applicant, actor=actor, reason="Không thuộc thẩm quyền"
        )
    dossier = services.intake(procedure=procedure, applicant=applicant, actor=actor)
    if state == State.RECEIVED:
        return dossier
    if state == State.PAUSED_SUPPLEMENT:
        return services.request_supplement(dossier, actor, ["Bản sao giấy khai sinh"])
    if state == State.WITHDRAWN:
        return services.withdraw(dossier, actor, "Công dân xin rút")
    if state == State.STOPPED:
        return services.refuse(dossier, actor, "Không đủ điều kiện")
    dossier = services.advance(dossier, actor)  # transfer -> appraisal
    dossier = services.advance(dossier, actor)  # appraisal -> approval
    if state == State.IN_STEP:
        return dossier
    if state == State.PAUSED_FINANCIAL:
        return services.request_financial_obligation(dossier, actor)
    dossier = services.advance(dossier, actor)  # approval -> issue
    dossier = services.advance(dossier, actor)  # issue -> result ready
    if state == State.RESULT_READY:
        return dossier
    if state == State.RETURNED:
        return services.return_result(dossier, actor)
    raise ValueError(state)


def params_for(action: str, dossier, actor) -> dict:
    """Valid parameters for each action (the appointment of `dossier` moved two weeks for an apology)."""
    appointment = dossier.appointment_at or dossier.due_at or datetime.datetime.now(datetime.UTC)
    return {
        "receive": {},
        "refuse_intake": {"reason": "Không thuộc thẩm quyền"},
        "advance": {"note": "Đã xử lý"},
        "assign": {"to_user": actor},
        "send_back": {"note": "Cần thẩm định lại"},
        "request_supplement": {"items": ["Bản sao CCCD"]},
        "supplement": {},
        "request_financial_obligation": {},
        "fulfil_financial_obligation": {},
        "refuse": {"reason": "Không đủ điều kiện"},
        "withdraw": {"reason": "Công dân xin rút"},
        "apologize": {
            "new_appointment_at": appointment + datetime.timedelta(days=14),
            "reason": "Cần xác minh",
        },
        "return_result": {},
    }[action]

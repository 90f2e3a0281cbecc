"""Moving the open dossiers of an agency to its successor."""

import datetime

from django.utils.translation import gettext as _

from motcua.org.models import Agency

from ..models import Dossier
from .transition import _append_event


def open_dossiers_of(old: Agency):
    """The dossiers of `old` (receiving, resolving or current agency) that are not closed, locked for the move."""
    from django.db.models import Q

    from ..states import FINAL_STATES

    return (
        Dossier.objects.select_for_update()
        .filter(Q(agency=old) | Q(resolving_agency=old) | Q(current_agency=old))
        .exclude(state__in=FINAL_STATES)
        .order_by("pk")
    )


def move_dossier(
    dossier: Dossier, old: Agency, new: Agency, *, basis: str, at, actor, note: str, **data
) -> None:
    """Move one open dossier from `old` to `new` (each of its agencies that was `old`) with its `reorganise`
    event naming the legal basis (and `data`); its code does not change."""
    changed = {}
    for field in ("agency", "resolving_agency", "current_agency"):
        if getattr(dossier, f"{field}_id") == old.pk:
            setattr(dossier, field, new)
            changed[field] = new.identity_code
    dossier.save(update_fields=[*changed, "updated_at"])
    _append_event(
        dossier,
        action="reorganise",
        actor=actor,
        at=at,
        from_state=dossier.state,
        from_status=dossier.status,
        agency=new,
        note=note,
        data={
            "from_agency": old.identity_code,
            "to_agency": new.identity_code,
            "basis": basis,
            **data,
            **changed,
        },
    )


def move_open_dossiers(
    old: Agency, new: Agency, *, basis: str, at: datetime.datetime, actor=None
) -> list[str]:
    """Move every dossier of `old` that is not closed (received, in a step, paused, waiting for reception or
    for its result to be returned) to its successor `new`: receiving, resolving and current agency, one
    `reorganise` event each naming the legal basis. Codes do not change, so lookup, payment and the National
    Portal sync keep working with them; closed dossiers stay with `old`. Returns the codes moved (or the
    primary keys of dossiers without a code yet). Call inside the reorganisation's transaction."""
    moving = list(open_dossiers_of(old))
    note = _("Chuyển từ %(old)s sang %(new)s theo %(basis)s.") % {
        "old": old.name,
        "new": new.name,
        "basis": basis,
    }
    for dossier in moving:
        move_dossier(dossier, old, new, basis=basis, at=at, actor=actor, note=note)
    return [d.code or f"#{d.pk}" for d in moving]

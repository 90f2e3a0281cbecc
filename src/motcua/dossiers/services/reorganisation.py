"""Moving the open dossiers of an agency to its successor."""

import datetime

from django.utils.translation import gettext as _

from motcua.org.models import Agency

from ..models import Dossier
from .transition import _append_event


def move_open_dossiers(
    old: Agency, new: Agency, *, basis: str, at: datetime.datetime, actor=None
) -> list[str]:
    """Move every dossier of `old` that is not closed (received, in a step, paused, waiting for reception or
    for its result to be returned) to its successor `new`: receiving, resolving and current agency, one
    `reorganise` event each naming the legal basis. Codes do not change, so lookup, payment and the National
    Portal sync keep working with them; closed dossiers stay with `old`. Returns the codes moved (or the
    primary keys of dossiers without a code yet). Call inside the reorganisation's transaction."""
    from django.db.models import Q

    from ..states import FINAL_STATES

    moving = list(
        Dossier.objects.select_for_update()
        .filter(Q(agency=old) | Q(resolving_agency=old) | Q(current_agency=old))
        .exclude(state__in=FINAL_STATES)
        .order_by("pk")
    )
    note = _("Chuyển từ %(old)s sang %(new)s theo %(basis)s.") % {
        "old": old.name,
        "new": new.name,
        "basis": basis,
    }
    for dossier in moving:
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
                **changed,
            },
        )
    return [d.code or f"#{d.pk}" for d in moving]

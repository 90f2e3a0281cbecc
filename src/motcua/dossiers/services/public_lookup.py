"""The public lookup of a dossier by its code and the applicant's phone or ID number."""

from motcua.prepared import PreparedValues

from ..deadlines import promised
from ..models import Dossier
from ..states import State


def _pair_matches(people, phone: str, id_number: str) -> bool:
    """Whether the phone number or ID number given matches one of `people`' (phone, id_number) pairs."""
    from .. import identity

    if phone:
        wanted = identity.normalize_phone(phone)
        if any(p_phone and p_phone == wanted for p_phone, _id in people):
            return True
    if id_number:
        wanted = "".join(id_number.split()).upper()
        if any(p_id and p_id.upper() == wanted for _phone, p_id in people):
            return True
    return False


def lookup(code: str, *, phone: str = "", id_number: str = "") -> Dossier | None:
    """The dossier with this code if the phone number or ID number matches its applicant (or submitter).

    A wrong pair gives the same None as an unknown code, so the lookup never tells whether a code exists.
    """
    # The code is unique: no ordering to compile or sort (a measurable part of this public, hot query).
    dossier = next(
        iter(
            Dossier.objects.select_related("procedure", "applicant", "submitter")
            .filter(code=code)
            .exclude(state=State.ONLINE_PENDING)
            .order_by()[:1]
        ),
        None,
    )
    if dossier is None:
        return None
    people = [(p.phone, p.id_number) for p in (dossier.applicant, dossier.submitter) if p is not None]
    return dossier if _pair_matches(people, phone, id_number) else None


_PUBLIC_STATUS_COLUMNS = (
    "id",
    "code",
    "procedure_code",
    "procedure__name",
    "status",
    "received_at",
    "due_at",
    "appointment_at",
    "returned_at",
    "applicant__phone",
    "applicant__id_number",
    "submitter__phone",
    "submitter__id_number",
)


_PUBLIC_STATUS_EVENT_COLUMNS = ("events__at", "events__action", "events__agency__name")


# One round trip (a row per event, the dossier's columns repeated), compiled once per server thread
# (motcua.prepared): the ORM's building and compiling was most of this read's CPU.
_public_status_rows = PreparedValues(
    lambda code: (
        Dossier.objects.filter(code=code)
        .exclude(state=State.ONLINE_PENDING)
        .order_by("events__at", "events__id")
        .values_list(*_PUBLIC_STATUS_COLUMNS, *_PUBLIC_STATUS_EVENT_COLUMNS)
    ),
    args=(str,),
)


def public_status(
    code: str, *, phone: str = "", id_number: str = "", rows: list | None = None
) -> dict | None:
    """What the public status lookup shows of the dossier with this code, under the same rule as `lookup`:
    None unless the phone number or ID number matches its applicant (or submitter).

    The busiest public read, so it reads only the columns shown, as plain values (no model instances, one
    query): `{"code", "procedure_code", "procedure_name", "status", "received_at", "due_at", "appointment_at",
    "returned_at", "events": [(at, action, agency name or None), ...]}`; the legal due instant and the
    appointment as `deadlines.promised` gives them (the appointment is the legal due instant unless one was
    written).

    `rows`, when given, are the rows `_public_status_rows(code)` gave (`public_status.prepared_rows`: the lookup
    throttle reads them together with its counts, in one round trip); else they are read here.
    """
    if rows is None:
        rows = _public_status_rows(code)
    if not rows:
        return None
    width = len(_PUBLIC_STATUS_COLUMNS)
    values = dict(zip(_PUBLIC_STATUS_COLUMNS, rows[0][:width], strict=True))
    people = [
        (values["applicant__phone"], values["applicant__id_number"]),
        (values["submitter__phone"], values["submitter__id_number"]),
    ]
    if not _pair_matches(people, phone, id_number):
        return None
    events = [row[width:] for row in rows if row[width] is not None]
    # the instants of the one deadline function, from the same row (no second query, no dossier instance)
    due_at, appointment_at = promised(values["due_at"], values["appointment_at"])
    return {
        "code": values["code"],
        "procedure_code": values["procedure_code"],
        "procedure_name": values["procedure__name"],
        "status": values["status"],
        "received_at": values["received_at"],
        "due_at": due_at,
        "appointment_at": appointment_at,
        "returned_at": values["returned_at"],
        "events": events,
    }


# The prepared read behind `public_status(code)`, for a caller that reads it together with its own
# (`lookup_throttle.confirm`) and passes its rows back.
public_status.prepared_rows = _public_status_rows

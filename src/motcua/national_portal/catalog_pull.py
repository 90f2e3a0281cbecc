"""Procedures from the portal (LayDanhSachTTHC, then LayThuTuc per code) into a reviewed diff (NATIONAL-PORTAL §4).

`pull_catalog()` reads the portal and stores a `CatalogPull` listing, per procedure code:
- ``update``: a local procedure whose name or time limit (counter channel) differs from the portal's;
- ``new``: a published portal procedure the local catalog does not have (shown for the administrator; creating it
  needs the resolving agency, field and process, which the catalog screens do);
- ``withdrawn``: a portal procedure whose TRANGTHAI is not 1 (not public) while the local one is published;
- ``field_new`` / ``field_update``: a field (LayDanhMucLinhVuc) the catalog lacks, or names differently;
- agencies (LayDanhMucCoQuan, matched on the identity code MADONVI): ``agency_update`` when the name differs,
  ``agency_code`` when a local agency whose code is marked as sample data has the portal's name under another
  code (applying it takes the portal's code and clears the sample mark), ``agency_new`` when the organisation
  lacks it (listed only: an agency needs its administrative unit and kind, set on the organisation screens).
Nothing changes in the catalog until `apply_pull()` applies the changes an administrator selected; applying twice
does nothing more. The portal's catalog is cached in the pull, so a dossier push never calls LayThuTuc.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Field, Procedure
from motcua.integrations import national_portal as portal
from motcua.org.models import Agency

from .models import CatalogPull

# DONVITINH of CACHTHUCTHUCHIEN.THOIGIAN, as the portal writes it, to the catalog's time-limit units.
UNITS = {
    "ngày làm việc": "working_days",
    "working_days": "working_days",
    "giờ làm việc": "working_hours",
    "working_hours": "working_hours",
    "ngày": "calendar_days",
    "calendar_days": "calendar_days",
    "trong ngày": "same_day",
    "same_day": "same_day",
}


def counter_time_limit(procedure: dict) -> tuple[str, str] | None:
    """(value, unit) of the counter channel (KENH 1), else the first channel; None when it cannot be read."""
    channels = procedure.get("CACHTHUCTHUCHIEN") or []
    channels = sorted(channels, key=lambda c: str(c.get("KENH")) != "1")
    for channel in channels:
        for time_limit in channel.get("THOIGIAN") or []:
            unit = UNITS.get(str(time_limit.get("DONVITINH", "")).strip().lower())
            if unit is None:
                continue
            if unit == "same_day":
                return "", unit
            try:
                value = Decimal(str(time_limit.get("THOIGIANGIAIQUYET"))).normalize()
            except (InvalidOperation, ValueError):
                continue
            return format(value, "f"), unit
    return None


def _local_time_limit(proc: Procedure) -> tuple[str, str]:
    value = "" if proc.time_limit_value is None else format(Decimal(proc.time_limit_value).normalize(), "f")
    return ("" if proc.time_limit_unit == "same_day" else value), proc.time_limit_unit or ""


def diff(procedures: list[dict]) -> list[dict]:
    """The changes that would bring the local catalog in line with these portal procedures."""
    local = {p.code: p for p in Procedure.objects.filter(code__in=[str(p.get("MATTHC")) for p in procedures])}
    changes = []
    for item in procedures:
        code, name = str(item.get("MATTHC", "")).strip(), str(item.get("TENTTHC", "")).strip()
        if not code:
            continue
        public = str(item.get("TRANGTHAI", "1")) == "1"
        mine = local.get(code)
        if mine is None:
            if public:
                changes.append({"id": len(changes) + 1, "kind": "new", "code": code, "name": name})
            continue
        if not public:
            if mine.status == Procedure.Status.PUBLISHED:
                changes.append({"id": len(changes) + 1, "kind": "withdrawn", "code": code, "name": mine.name})
            continue
        fields = {}
        if name and name != mine.name:
            fields["name"] = [mine.name, name]
        portal_limit = counter_time_limit(item)
        if portal_limit and portal_limit != _local_time_limit(mine):
            fields["time_limit"] = [list(_local_time_limit(mine)), list(portal_limit)]
        if fields:
            changes.append({"id": len(changes) + 1, "kind": "update", "code": code, "fields": fields})
    return changes


def fetch(connector, codes: list[str] | None = None) -> list[dict]:
    """The portal's procedures in full: the list, then LayThuTuc for each code (or only `codes`)."""
    if codes is None:
        reply = connector.call(portal.PROCEDURE_LIST, {})
        if not reply.ok:
            raise portal.PortalError(
                _("Cổng DVCQG không trả danh sách thủ tục: %(m)s") % {"m": reply.message}
            )
        codes = [
            str(row.get("MATTHC")) for row in reply.result if isinstance(row, dict) and row.get("MATTHC")
        ]
    procedures = []
    for code in codes:
        reply = connector.call(portal.PROCEDURE, {"maTTHC": code})
        procedures += [row for row in reply.result if isinstance(row, dict)] if reply.ok else []
    return procedures


def field_diff(fields: list[dict], start: int = 0) -> list[dict]:
    """Fields of the portal (MALINHVUC, TENLINHVUC) the catalog lacks or names differently."""
    local = {f.code: f for f in Field.objects.all()}
    changes = []
    for row in fields:
        code, name = str(row.get("MALINHVUC") or "").strip(), str(row.get("TENLINHVUC") or "").strip()
        if not code or not name:
            continue
        mine = local.get(code)
        if mine is None:
            changes.append({"id": start + len(changes) + 1, "kind": "field_new", "code": code, "name": name})
        elif mine.name != name:
            changes.append(
                {
                    "id": start + len(changes) + 1,
                    "kind": "field_update",
                    "code": code,
                    "fields": {"name": [mine.name, name]},
                }
            )
    return changes


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def agency_diff(agencies: list[dict], start: int = 0) -> list[dict]:
    """Agencies of the portal (MADONVI, TENDONVI, CAPDONVI) against the organisation's agencies."""
    local = list(Agency.objects.all())
    by_code = {a.identity_code: a for a in local}
    portal_codes = {str(r.get("MADONVI") or "").strip().upper() for r in agencies}
    # A local agency with a demo code that the portal does not list may be the portal's agency under its real
    # code: matched by name (the first such agency for a name).
    renamable = {}
    for a in local:
        if a.identity_code_is_demo and a.identity_code not in portal_codes:
            renamable.setdefault(_name_key(a.name), a)
    changes = []

    def add(change):
        changes.append({"id": start + len(changes) + 1, **change})

    for row in agencies:
        code = str(row.get("MADONVI") or "").strip().upper()
        name = " ".join(str(row.get("TENDONVI") or "").split())
        level = str(row.get("CAPDONVI") or "")
        if not code or not name:
            continue
        mine = by_code.get(code)
        if mine is not None:
            if mine.name != name:
                add(
                    {
                        "kind": "agency_update",
                        "code": code,
                        "level": level,
                        "fields": {"name": [mine.name, name]},
                    }
                )
            continue
        renamed = renamable.get(_name_key(name))
        if renamed is not None:
            add(
                {
                    "kind": "agency_code",
                    "code": code,
                    "name": renamed.name,
                    "level": level,
                    "fields": {"identity_code": [renamed.identity_code, code]},
                }
            )
        else:
            add({"kind": "agency_new", "code": code, "name": name, "level": level})
    return changes


def pull_catalog(connector, codes: list[str] | None = None) -> CatalogPull:
    changes = diff(fetch(connector, codes))
    if codes is None:
        reply = connector.call(portal.FIELDS, {})
        if reply.ok:
            changes += field_diff([r for r in reply.result if isinstance(r, dict)], start=len(changes))
        reply = connector.call(portal.AGENCIES, {})
        if reply.ok:
            changes += agency_diff([r for r in reply.result if isinstance(r, dict)], start=len(changes))
    return CatalogPull.objects.create(changes=changes)


def _apply_agency(change: dict) -> bool:
    if change["kind"] == "agency_update":
        agency = Agency.objects.select_for_update().filter(identity_code=change["code"]).first()
        if agency is None:
            return False
        agency.name = change["fields"]["name"][1]
    else:
        old, new = change["fields"]["identity_code"]
        agency = Agency.objects.select_for_update().filter(identity_code=old).first()
        if agency is None:
            return False
        if Agency.objects.filter(identity_code=new).exclude(pk=agency.pk).exists():
            raise ValidationError(
                _("Mã định danh %(code)s đã thuộc một cơ quan khác; không đổi mã cho “%(name)s”.")
                % {"code": new, "name": agency.name}
            )
        agency.identity_code = new
        agency.identity_code_is_demo = False
    agency.full_clean()
    agency.save()
    return True


def apply_pull(pull_id: int, user, selected: list[int]) -> CatalogPull:
    """Apply the selected changes of a proposed pull; `new` and `agency_new` ones are left to the catalog and
    organisation screens. Raises ValidationError (Vietnamese) for a pull already applied or discarded."""
    with transaction.atomic():
        pull = CatalogPull.objects.select_for_update().get(pk=pull_id)
        if pull.state != CatalogPull.State.PROPOSED:
            raise ValidationError(_("Lần lấy danh mục này đã được xử lý."))
        wanted = {int(i) for i in selected}
        applied = []
        for change in pull.changes:
            if change["id"] not in wanted or change["kind"] in ("new", "agency_new"):
                continue
            if change["kind"] in ("agency_update", "agency_code"):
                if _apply_agency(change):
                    applied.append(change["id"])
                continue
            if change["kind"] in ("field_new", "field_update"):
                field = Field.objects.filter(code=change["code"]).first() or Field(code=change["code"])
                field.name = change.get("name") or change["fields"]["name"][1]
                field.full_clean()
                field.save()
                applied.append(change["id"])
                continue
            proc = Procedure.objects.select_for_update().filter(code=change["code"]).first()
            if proc is None:
                continue
            if change["kind"] == "withdrawn":
                proc.status = Procedure.Status.RETIRED
            else:
                if "name" in change["fields"]:
                    proc.name = change["fields"]["name"][1]
                if "time_limit" in change["fields"]:
                    value, unit = change["fields"]["time_limit"][1]
                    proc.time_limit_value = Decimal(value) if value else None
                    proc.time_limit_unit = unit
            proc.full_clean()
            proc.save()
            applied.append(change["id"])
        pull.state = CatalogPull.State.APPLIED
        pull.applied_at = timezone.now()
        pull.applied_by = user
        pull.applied_changes = applied
        pull.save()
    return pull

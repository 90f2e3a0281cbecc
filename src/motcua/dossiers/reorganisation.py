"""What dossiers move when a reorganisation merges an agency into another (registered with
`motcua.org.reorganisation` at `DossiersConfig.ready()`)."""

from .services import move_open_dossiers


def move_dossiers(merge) -> None:
    """Every dossier of the merged agency that is not closed moves to the successor (see `move_open_dossiers`)."""
    merge.outcome.dossiers += move_open_dossiers(
        merge.old, merge.into, basis=merge.basis, at=merge.at, actor=merge.actor
    )


def split_dossiers(split) -> None:
    """Every dossier of the split agency that is not closed moves to the successor that places it: the plan's
    rule for its code, the applicant's address (the administrative unit it names), the plan's rule for its
    procedure, then the default successor. One `reorganise` event each names the basis and how it was placed;
    the code does not change. What nothing places is a refusal (the plan fails)."""
    from django.utils.translation import gettext as _

    from .services import move_dossier, open_dossiers_of

    old, outcome = split.old, split.outcome
    moving = open_dossiers_of(old).select_related("procedure", "applicant")
    for dossier in moving:
        label = dossier.code or f"#{dossier.pk}"
        into, placed_by = split.by_rule("dossiers", dossier.code or ""), _("mã hồ sơ trong kế hoạch")
        if into is None and dossier.applicant_id:
            found = split.by_address(dossier.applicant.address)
            if found:
                into = found[0]
                placed_by = _("địa chỉ người nộp thuộc %(unit)s") % {"unit": found[1]}
        if into is None:
            into = split.by_rule("procedures", dossier.procedure.code)
            placed_by = _("thủ tục %(code)s") % {"code": dossier.procedure.code}
        if into is None and split.default is not None:
            into, placed_by = split.default, _("cơ quan kế thừa mặc định")
        if into is None:
            split.refuse(_("hồ sơ %(code)s") % {"code": label})
            continue
        move_dossier(
            dossier,
            old,
            into,
            basis=split.basis,
            at=split.at,
            actor=split.actor,
            note=_("Chuyển từ %(old)s sang %(new)s theo %(basis)s (chia tách; căn cứ xác định: %(by)s).")
            % {"old": old.name, "new": into.name, "basis": split.basis, "by": placed_by},
            placed_by=placed_by,
        )
        outcome.add("dossiers", into)
        outcome.dossiers.append((label, into.identity_code, placed_by))

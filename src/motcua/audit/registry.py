"""The audit registry: which models are audited, and how.

Every create, update and delete of a registered model writes one `AuditEntry` in the same transaction:
actor and reason come from `motcua.audit.context` (the request's user, set by `AuditContextMiddleware`, or
`audit_context(actor=..., reason=...)` in services and commands), `before` and `after` are JSON snapshots
(for an update only the fields that changed). Many-to-many edits are recorded as updates of the model that
declares the field.

Register a model where it is defined:

    from motcua.audit.registry import audited

    @audited(agency="resolving_agency", exclude=("search_vector",))
    class Dossier(models.Model): ...

Options:
- `agency`: how to find the agency the row belongs to, so that staff see only their agencies' rows: a field
  path ("agency", "center.agency") or a callable taking the instance. Omit it for rows of no agency.
- `exclude`: fields never recorded (and whose changes alone write no row), e.g. caches, `last_login`.
- `mask`: fields recorded only as a fingerprint (password hashes): the row shows that it changed.
- `sensitive`: personal data recorded in full but shown masked (all but the last 4 characters) on screens.

Not recorded (Django sends no signal): `QuerySet.update()`, `bulk_create()`, `bulk_update()`, raw SQL.
Services that use them write their own rows with `record(...)`.
"""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .context import current


@dataclass(frozen=True)
class AuditOptions:
    exclude: frozenset = field(default_factory=frozenset)
    mask: frozenset = field(default_factory=frozenset)
    sensitive: frozenset = field(default_factory=frozenset)
    agency: Any = None


_registry: dict[type[models.Model], AuditOptions] = {}


def audited(*, agency=None, exclude=(), mask=(), sensitive=()):
    """Class decorator: register the model for auditing."""

    def decorator(model):
        register(model, agency=agency, exclude=exclude, mask=mask, sensitive=sensitive)
        return model

    return decorator


def register(model, *, agency=None, exclude=(), mask=(), sensitive=()) -> None:
    options = AuditOptions(
        exclude=frozenset(exclude), mask=frozenset(mask), sensitive=frozenset(sensitive), agency=agency
    )
    _registry[model] = options
    uid = f"motcua-audit-{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre-save", weak=False)
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post-save", weak=False)
    pre_delete.connect(_pre_delete, sender=model, dispatch_uid=uid + "-pre-delete", weak=False)
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-post-delete", weak=False)


def connect_many_to_many() -> None:
    """Connect the m2m handlers once every model is loaded (through models are resolved lazily)."""
    for model in _registry:
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            m2m_changed.connect(
                _m2m_changed,
                sender=through,
                dispatch_uid=f"motcua-audit-m2m-{through._meta.label_lower}",
                weak=False,
            )


def is_registered(model) -> bool:
    return _options(model) is not None


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def options_for(model) -> AuditOptions:
    return _options(model) or AuditOptions()


def mask_for_display(value):
    """'027090000001' -> '••••••••0001'."""
    if value in (None, ""):
        return value
    text = str(value)
    return "•" * max(len(text) - 4, 0) + text[-4:]


def _options(model) -> AuditOptions | None:
    for klass in type.mro(model) if isinstance(model, type) else type(model).mro():
        if klass in _registry:
            return _registry[klass]
    return None


def _fingerprint(value) -> str:
    if value in (None, ""):
        return ""
    return "••••" + hashlib.sha256(str(value).encode()).hexdigest()[:8]


def snapshot(instance, options: AuditOptions | None = None) -> dict:
    """The instance's concrete fields as JSON-ready values (foreign keys as their primary key)."""
    options = options or _options(instance) or AuditOptions()
    data = {}
    for f in instance._meta.concrete_fields:
        if f.name in options.exclude or getattr(f, "auto_now", False):
            continue
        value = f.value_from_object(instance)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.name] = _fingerprint(value) if f.name in options.mask else value
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _agency_id(instance, options: AuditOptions):
    spec = options.agency
    if spec is None:
        return None
    try:
        if callable(spec):
            target = spec(instance)
        else:
            target = instance
            parts = spec.split(".")
            for part in parts[:-1]:
                if target is None:
                    break
                target = getattr(target, part)
            if target is not None:
                # The last step reads the foreign key's id column: no query for the agency itself.
                try:
                    field = target._meta.get_field(parts[-1])
                    attribute = field.attname if field.many_to_one else parts[-1]
                except Exception:
                    attribute = parts[-1]
                target = getattr(target, attribute)
    except Exception:  # a related row already gone (cascade delete)
        return None
    if target is None:
        return None
    return target if isinstance(target, int) else getattr(target, "pk", None)


_NOT_GIVEN = object()


def record(
    instance,
    action: str,
    before: dict | None,
    after: dict | None,
    *,
    reason: str | None = None,
    agency_id=_NOT_GIVEN,
):
    """Write one audit row for `instance` with the current actor and reason."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    state = current()
    actor = state.actor if getattr(state.actor, "is_authenticated", False) else None
    options = _options(instance) or AuditOptions()
    actor_name = ""
    if actor is not None:
        full_name = actor.get_full_name()
        actor_name = (
            full_name if full_name == actor.get_username() else f"{full_name} ({actor.get_username()})"
        )
    return AuditEntry.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(type(instance), for_concrete_model=False),
        object_id=str(instance.pk)[:64],
        object_repr=str(instance)[:255],
        agency_id=_agency_id(instance, options) if agency_id is _NOT_GIVEN else agency_id,
        actor=actor,
        actor_name=actor_name[:255],
        reason=state.reason if reason is None else reason,
        request_path=state.request_path,
        before=before,
        after=after,
    )


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or instance._state.adding or instance.pk is None:
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old, _options(sender)) if old is not None else None


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    options = _options(sender)
    after = snapshot(instance, options)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if created or before is None:
        record(instance, "create", None, after)
        return
    changed = [name for name in after if before.get(name) != after[name]]
    if changed:
        record(instance, "update", {k: before.get(k) for k in changed}, {k: after[k] for k in changed})


def _pre_delete(sender, instance, **kwargs):
    instance._audit_deleted = snapshot(instance, _options(sender))
    instance._audit_agency_id = _agency_id(instance, _options(sender))


def _post_delete(sender, instance, **kwargs):
    before = getattr(instance, "_audit_deleted", None) or snapshot(instance, _options(sender))
    # The agency was read before the delete: a cascade may already have removed it.
    record(instance, "delete", before, None, agency_id=getattr(instance, "_audit_agency_id", None))


def _m2m_field(sender, model):
    for m2m in model._meta.local_many_to_many:
        if m2m.remote_field.through is sender:
            return m2m
    return None


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    owner_model = model if reverse else type(instance)
    m2m = _m2m_field(sender, owner_model)
    if m2m is None or not is_registered(owner_model):
        return
    name = m2m.name
    if action == "pre_clear":
        if reverse:
            instance._audit_m2m_clear = list(
                owner_model._base_manager.filter(**{name: instance}).values_list("pk", flat=True)
            )
        else:
            instance._audit_m2m_clear = sorted(getattr(instance, name).values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        after = sorted(getattr(instance, name).values_list("pk", flat=True))
        if action == "post_add":
            before = sorted(set(after) - set(pk_set or ()))
        elif action == "post_remove":
            before = sorted(set(after) | set(pk_set or ()))
        else:
            before = getattr(instance, "_audit_m2m_clear", [])
        if before != after:
            record(instance, "update", {name: before}, {name: after})
        return
    owner_ids = pk_set if action != "post_clear" else getattr(instance, "_audit_m2m_clear", [])
    for owner in owner_model._base_manager.filter(pk__in=owner_ids or ()):
        after = sorted(getattr(owner, name).values_list("pk", flat=True))
        before = (
            sorted(set(after) - {instance.pk}) if action == "post_add" else sorted(set(after) | {instance.pk})
        )
        if before != after:
            record(owner, "update", {name: before}, {name: after})

"""Audit rows: append-only records of every create, update and delete of a business object, linked in a hash
chain (see `chain`): each row carries the hash of the row before it."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .registry import mask_for_display, options_for


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit rows are append-only: they cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit rows are append-only: they cannot be deleted")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are append-only: they cannot be updated")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are written one by one (each is linked to the one before it)")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are append-only: they cannot be updated")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Thêm mới")
        UPDATE = "update", _("Cập nhật")
        DELETE = "delete", _("Xóa")

    created_at = models.DateTimeField(_("Thời gian"), default=timezone.now, db_index=True, editable=False)
    action = models.CharField(_("Thao tác"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Loại đối tượng")
    )
    object_id = models.CharField(_("Mã đối tượng"), max_length=64)
    object_repr = models.CharField(_("Đối tượng"), max_length=255)
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Cơ quan"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người thực hiện"),
    )
    actor_name = models.CharField(_("Tên người thực hiện"), max_length=255, blank=True)
    reason = models.TextField(_("Lý do"), blank=True)
    request_path = models.CharField(_("Đường dẫn"), max_length=255, blank=True)
    before = models.JSONField(_("Trước khi thay đổi"), null=True, blank=True)
    after = models.JSONField(_("Sau khi thay đổi"), null=True, blank=True)
    # The hash chain (see `chain`): filled by the application (content) and at commit (the link).
    content_hash = models.CharField(_("Mã băm nội dung"), max_length=64, blank=True, editable=False)
    chain_seq = models.BigIntegerField(_("Số thứ tự trong chuỗi"), null=True, unique=True, editable=False)
    prev_hash = models.CharField(_("Mã băm dòng trước"), max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(_("Mã băm chuỗi"), max_length=64, null=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Nhật ký thay đổi")
        verbose_name_plural = _("Nhật ký thay đổi")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_idx"),
            models.Index(fields=["agency", "created_at"], name="audit_agency_idx"),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("audit rows are append-only: they cannot be updated")
        from .chain import link_before_insert

        link_before_insert(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit rows are append-only: they cannot be deleted")

    def object_type_name(self) -> str:
        model = self.content_type.model_class()
        return str(model._meta.verbose_name) if model is not None else self.content_type.model

    def changes(self) -> list[dict]:
        """One item per field: name, label (the field's verbose name), before and after values; foreign keys
        and many-to-many values are shown by the related objects' names (or #id once they are gone)."""
        before, after = self.before or {}, self.after or {}
        model = self.content_type.model_class()
        rows = []
        for name in list(dict.fromkeys([*before.keys(), *after.keys()])):
            label, old, new = name, before.get(name), after.get(name)
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                    label = str(field.verbose_name)
                except Exception:  # a field removed since the row was written
                    field = None
            if field is not None and field.is_relation and field.related_model is not None:
                old, new = _related_names(field.related_model, old, new)
            elif model is not None and name in options_for(model).sensitive:
                old, new = mask_for_display(old), mask_for_display(new)
            rows.append({"name": name, "label": label, "before": old, "after": new})
        return rows


def _related_names(related_model, *values):
    ids = set()
    for value in values:
        if isinstance(value, list):
            ids.update(value)
        elif value not in (None, ""):
            ids.add(value)
    objects = related_model._base_manager.in_bulk(list(ids)) if ids else {}

    def show(pk):
        obj = objects.get(pk)
        return str(obj) if obj is not None else f"#{pk}"

    result = []
    for value in values:
        if isinstance(value, list):
            result.append([show(pk) for pk in value])
        elif value in (None, ""):
            result.append(value)
        else:
            result.append(show(value))
    return result

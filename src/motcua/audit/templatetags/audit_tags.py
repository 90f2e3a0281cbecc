from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def audit_value(value):
    """A JSON snapshot value as a person reads it."""
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Có")
    if value is False:
        return _("Không")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)

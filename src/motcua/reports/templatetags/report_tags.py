from django import template

register = template.Library()


@register.filter
def vn_number(value):
    """12345 -> 12.345 (empty for None)."""
    if value is None or value == "":
        return ""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return value


@register.filter
def vn_percent(value):
    """Decimal('96.4') -> 96,4% (— when there is nothing to divide)."""
    if value is None:
        return "—"
    return f"{value}".replace(".", ",") + "%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None

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


@register.filter
def vn_decimal(value):
    """Decimal('16.25') -> 16,25 (— when there is no value)."""
    if value is None:
        return "—"
    return f"{value}".replace(".", ",")


@register.simple_tag
def formula(formulas, key):
    """The formula text of a figure (see figures.FORMULAS)."""
    return formulas[key][1]


@register.simple_tag
def figure_label(formulas, key):
    return formulas[key][0]

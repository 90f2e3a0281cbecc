"""Display helpers for the catalog: money in whole đồng."""

from django import template

register = template.Library()


@register.filter
def dong(amount) -> str:
    """1000000 -> "1.000.000 đ"; empty stays empty."""
    if amount is None or amount == "":
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đ"

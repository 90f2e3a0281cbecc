from django import template

from motcua.payments.words import amount_in_words, format_vnd

register = template.Library()


@register.filter
def vnd(value):
    """1000000 → "1.000.000 đ"."""
    return "" if value is None else format_vnd(int(value))


@register.filter
def in_words(value):
    return "" if value is None else amount_in_words(int(value))

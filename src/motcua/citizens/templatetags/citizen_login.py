from django import template

from motcua.citizens.login_providers import passwords_enabled

register = template.Library()


@register.simple_tag
def citizen_passwords() -> bool:
    """Are local citizen passwords (self-registration, password login) switched on in this deployment?"""
    return passwords_enabled()

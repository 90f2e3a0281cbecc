"""Accounts that sign what a machine causes (a payment platform, the National Public Service Portal)."""

from django.contrib.auth import get_user_model


def system_account(username: str, full_name: str):
    """The account named `username`, created on first use; it cannot log in (no usable password) and exists so
    that the history names who acted."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "is_superuser": True, "is_staff": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user

"""Who may see which statistics: staff see the agencies in their scope; a superuser sees everything."""

from motcua.org.permissions import agency_ids_in_scope


def report_scope(user) -> set[int] | None:
    """The agency ids the user's reports cover (None = all agencies; an empty set = no access)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return None
    return agency_ids_in_scope(user)

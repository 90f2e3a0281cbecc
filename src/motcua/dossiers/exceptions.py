"""Errors of the dossier domain, mapped by the API and the screens to 409 / 403 / 404."""

from django.core.exceptions import PermissionDenied


class TransitionNotAllowed(Exception):
    """The dossier's state (or a rule such as "supplement only once") does not allow this action now."""

    def __init__(self, message: str, code: str = "transition_not_allowed"):
        super().__init__(message)
        self.message = message
        self.code = code


class ActionForbidden(PermissionDenied):
    """This user may not take this action on this dossier."""


class UnknownAction(ValueError):
    """No such action."""

"""Who is acting, and why: a context variable set by the middleware for each request and by
`audit_context(...)` in services, commands and tasks."""

import contextlib
import contextvars
from dataclasses import dataclass, replace

_UNSET = object()


@dataclass(frozen=True)
class AuditState:
    actor: object = None
    reason: str = ""
    request_path: str = ""


_DEFAULT = AuditState()  # frozen, so sharing it is safe
_state: contextvars.ContextVar[AuditState] = contextvars.ContextVar("motcua_audit_state")


def _get() -> AuditState:
    return _state.get(_DEFAULT)


def current() -> AuditState:
    return _get()


def current_actor():
    """The acting user, or None (system work, anonymous visitor)."""
    actor = _get().actor
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def current_reason() -> str:
    return _get().reason or ""


@contextlib.contextmanager
def audit_context(actor=_UNSET, reason=_UNSET, request_path=_UNSET):
    """Set the actor and/or reason for the changes made inside the block; unset values are inherited.

    with audit_context(actor=request.user, reason="Cập nhật số điện thoại theo đề nghị"):
        agency.save()
    """
    changes = {}
    if actor is not _UNSET:
        changes["actor"] = actor
    if reason is not _UNSET:
        changes["reason"] = reason or ""
    if request_path is not _UNSET:
        changes["request_path"] = request_path
    token = _state.set(replace(_get(), **changes))
    try:
        yield _get()
    finally:
        _state.reset(token)


def set_reason(reason: str) -> None:
    """Set the reason for the rest of the current context (a request, or an `audit_context` block)."""
    _state.set(replace(_get(), reason=reason or ""))

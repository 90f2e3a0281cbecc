"""Audit trail: append-only rows for every create, update and delete of a business object.

See `motcua.audit.registry` for how to register a model, and `motcua.audit.context.audit_context` for
setting the actor and reason outside a request.
"""

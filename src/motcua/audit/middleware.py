from .context import audit_context


class AuditContextMiddleware:
    """Makes the logged-in user the actor of every audited change made while serving the request.

    Goes after AuthenticationMiddleware. Views add the reason with `audit_context(reason=...)` or
    `motcua.audit.context.set_reason(...)`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context(actor=getattr(request, "user", None), reason="", request_path=request.path[:255]):
            return self.get_response(request)

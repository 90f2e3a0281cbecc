"""Response headers added by motcua.

`PermissionsPolicyMiddleware`: the Permissions-Policy header (settings.PERMISSIONS_POLICY), which turns off the
browser features no page of motcua uses.
"""

from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response

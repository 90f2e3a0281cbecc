"""django-ninja authentication: `Authorization: Bearer <token>`."""

from ninja.security import HttpBearer

from .models import ApiToken


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


bearer = BearerToken()

"""API tokens for office systems: made and revoked here, checked in ``api.auth``.

Only the token's SHA-256 is kept, so the plain token is shown once, when made.
"""

import hashlib

from django.contrib.auth.models import User
from django.db import transaction

from zhenggai.orgs.models import ApiToken, new_token


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: User, label: str = "") -> str:
    """A new token for the user; returns the plain token, which is not stored."""
    plain = new_token()
    ApiToken.objects.create(user=user, digest=digest(plain), label=label[:100])
    return plain


def token_revoke(*, user: User) -> int:
    """Deletes every token of the user; returns how many there were."""
    with transaction.atomic():
        deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted

"""API tokens: issued for a username and password, ended by a password change or reset, a locked
account, the chief's revocation, idleness or age.

The key is shown to its owner and never stored: the table keeps its SHA-256 digest, and a nonce
from which SECRET_KEY derives the same key again, so asking twice answers the same token (the
token endpoint's contract) while a copy of the database alone signs no one in.
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from onestop import clock
from onestop.models import ApiToken, User

KEY_SALT = "onestop.api-token"
KEY_LENGTH = 40
TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The key names no live token; the message says why, in Vietnamese."""


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def password_stamp(user: User) -> str:
    return hashlib.sha256(user.password.encode()).hexdigest()


def _derived_key(user_id: int, nonce: str) -> str:
    return salted_hmac(KEY_SALT, f"{user_id}:{nonce}", algorithm="sha256").hexdigest()[:KEY_LENGTH]


def _idle_limit() -> dt.timedelta | None:
    minutes = settings.API_TOKEN_IDLE_MINUTES
    return dt.timedelta(minutes=minutes) if minutes > 0 else None


def _age_limit() -> dt.timedelta | None:
    hours = settings.API_TOKEN_MAX_AGE_HOURS
    return dt.timedelta(hours=hours) if hours > 0 else None


def api_token_expiry(token: ApiToken) -> dt.datetime | None:
    """When the token ends unless used again (or revoked before); None: never."""
    ends = []
    if (idle := _idle_limit()) is not None:
        ends.append(token.last_used_at + idle)
    if (age := _age_limit()) is not None:
        ends.append(token.created_at + age)
    return min(ends) if ends else None


def api_token_is_live(token: ApiToken, *, now: dt.datetime | None = None) -> bool:
    if token.revoked_at is not None:
        return False
    expiry = api_token_expiry(token)
    return expiry is None or (now or clock.now()) < expiry


def api_token_issue(*, user: User, address: str | None = None) -> str:
    """The key of `user`'s live token, made now if none can be given again."""
    now = clock.now()
    stamp = password_stamp(user)
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True).exclude(nonce=""):
        key = _derived_key(user.pk, token.nonce)
        if (
            api_token_is_live(token, now=now)
            and constant_time_compare(token.password_stamp, stamp)
            and constant_time_compare(token.digest, key_digest(key))  # SECRET_KEY unchanged
        ):
            _touch(token, now, address)
            return key
    nonce = secrets.token_hex(16)
    key = _derived_key(user.pk, nonce)
    ApiToken.objects.create(
        user=user,
        digest=key_digest(key),
        nonce=nonce,
        password_stamp=stamp,
        created_at=now,
        last_used_at=now,
        last_used_from=address or None,
    )
    return key


def api_token_authenticate(*, key: str, address: str | None = None) -> tuple[User, ApiToken]:
    """The user and token a key names, the use recorded; TokenRefused when it names none live."""
    token = ApiToken.objects.select_related("user").filter(digest=key_digest(key.strip())).first()
    if token is None or not token.user.is_active:
        raise TokenRefused(_("Mã truy cập không hợp lệ."))
    now = clock.now()
    if token.revoked_at is None and not constant_time_compare(
        token.password_stamp, password_stamp(token.user)
    ):
        # Changed elsewhere than the services (the admin, a command): ended all the same.
        _end(ApiToken.objects.filter(pk=token.pk), ApiToken.Ended.PASSWORD_CHANGED, now)
        token.revoked_at = now
    if token.revoked_at is not None:
        raise TokenRefused(_("Mã truy cập đã bị thu hồi; hãy xin mã mới."))
    if not api_token_is_live(token, now=now):
        raise TokenRefused(_("Mã truy cập đã hết hạn; hãy xin mã mới."))
    _touch(token, now, address)
    return token.user, token


def _touch(token: ApiToken, now: dt.datetime, address: str | None) -> None:
    # At most one write a minute per token, not one per request (the address rides along).
    if now - token.last_used_at < TOUCH_EVERY:
        return
    address = address or token.last_used_from
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address


def _end(tokens, reason: str, now: dt.datetime) -> int:
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_reason=reason)


def api_tokens_end(*, user: User, reason: str) -> int:
    """End every token of `user` still open (in the caller's transaction); how many ended."""
    return _end(ApiToken.objects.filter(user=user), reason, clock.now())


def api_token_revoke(*, user: User, token_id: int) -> ApiToken | None:
    """End one token of `user`; None when it was already ended. DoesNotExist for another's."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
        if token.revoked_at is not None:
            return None
        token.revoked_at = clock.now()
        token.revoked_reason = ApiToken.Ended.REVOKED
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


def api_tokens_of(*, user: User) -> list[ApiToken]:
    """`user`'s tokens, newest first, each with `live` and `expires_at` for display."""
    now = clock.now()
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id")[:50])
    for token in tokens:
        token.live = api_token_is_live(token, now=now)
        token.expires_at = api_token_expiry(token) if token.revoked_at is None else None
    return tokens

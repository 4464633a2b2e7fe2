"""Device keys of kiosks and hall displays: derived, hashed, carried in a signed link.

A key is derived from the row's nonce with SECRET_KEY (so the chief can show its link again) and
only its SHA-256 digest is stored: a copy of the database alone opens no kiosk. The link
`/xep-hang/thiet-bi/<signed key>/` sets a signed cookie holding the key; every request of the
device reads the cookie, finds the row by digest and refuses a revoked one.
"""

import hashlib

from django.core import signing
from django.utils.crypto import salted_hmac

from hall.models import Device

KEY_SALT = "onestop.hall-device"
LINK_SALT = "onestop.hall-device-link"
COOKIE_NAME = "hall_device"
COOKIE_SALT = "onestop.hall-device-cookie"
# A kiosk stays on for months: the cookie lasts a year; revoking the key ends it at once.
COOKIE_MAX_AGE = 365 * 24 * 3600


def device_key(device: Device) -> str:
    return salted_hmac(KEY_SALT, f"{device.pk}:{device.nonce}", algorithm="sha256").hexdigest()[:40]


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def link_token(device: Device) -> str:
    """The signed part of the device's link (the key inside, signed with SECRET_KEY); the same
    each time it is shown (no timestamp: revoking the key is what ends it)."""
    return signing.Signer(salt=LINK_SALT).sign(device_key(device))


def key_from_link(token: str) -> str | None:
    try:
        return signing.Signer(salt=LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None


def device_for_key(key: str | None) -> Device | None:
    """The device a key names (revoked or not); None for a key that names none."""
    if not key:
        return None
    return Device.objects.select_related("ward").filter(digest=key_digest(key.strip())).first()


def device_of_request(request) -> Device | None:
    """The device whose key the request's cookie carries (revoked or not), or None."""
    key = request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)
    return device_for_key(key)

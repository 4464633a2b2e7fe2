"""The lookup PIN printed on the receipt: the citizen's key to the dossier's status."""

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from intake.models import Dossier

LOOKUP_PIN_DIGITS = 6


def lookup_keys() -> list[str]:
    """LOOKUP_KEY, then each of LOOKUP_KEY_FALLBACKS: what PINs and status links verify with."""
    return [settings.LOOKUP_KEY, *settings.LOOKUP_KEY_FALLBACKS]


def lookup_pin_digest(code: str, pin: str, *, key: str | None = None) -> str:
    """A keyed digest of the PIN (LOOKUP_KEY unless `key`): the database never holds the PIN."""
    return salted_hmac(
        "onestop.intake.lookup-pin",
        f"{code}:{pin}",
        secret=key or settings.LOOKUP_KEY,
        algorithm="sha256",
    ).hexdigest()


def lookup_pin_matches(dossier: Dossier, pin: str) -> bool:
    return any(
        constant_time_compare(dossier.lookup_pin_hash, lookup_pin_digest(dossier.code, pin, key=k))
        for k in lookup_keys()
    )

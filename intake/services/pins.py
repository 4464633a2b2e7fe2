"""The lookup PIN printed on the receipt: the citizen's key to the dossier's status."""

from django.utils.crypto import constant_time_compare, salted_hmac

from intake.models import Dossier

LOOKUP_PIN_DIGITS = 6


def lookup_pin_digest(code: str, pin: str) -> str:
    """A keyed digest of the PIN: the database never holds the PIN itself."""
    return salted_hmac("onestop.intake.lookup-pin", f"{code}:{pin}", algorithm="sha256").hexdigest()


def lookup_pin_matches(dossier: Dossier, pin: str) -> bool:
    return constant_time_compare(dossier.lookup_pin_hash, lookup_pin_digest(dossier.code, pin))

"""The lookup PIN of a generated dossier, and its digest as the services store it."""

import hashlib
import hmac

from django.conf import settings

from intake.services import lookup_pin_digest


def generated_pin(seed: int, code: str) -> str:
    """The lookup PIN of a generated dossier: derived from the seed, so a benchmark can use it."""
    digest = hashlib.sha256(f"onestop-generated:{seed}:{code}".encode()).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


class PinHashes:
    """lookup_pin_digest(code, generated_pin(seed, code)), with both hashes keyed once.

    The HMAC key is derived as django.utils.crypto.salted_hmac derives it, so the digest is
    one call into OpenSSL; a probe against the services' own function guards the derivation.
    """

    SALT = "onestop.intake.lookup-pin"

    def __init__(self, seed: int):
        self.pin = hashlib.sha256(f"onestop-generated:{seed}:".encode())
        self.key = hashlib.sha256((self.SALT + settings.LOOKUP_KEY).encode()).digest()
        probe = "000.00.00.H00-000101-0001"
        if self(probe) != lookup_pin_digest(probe, generated_pin(seed, probe)):
            raise RuntimeError("The generator's PIN digest no longer matches the services'.")

    def __call__(self, code: str) -> str:
        pin = self.pin.copy()
        pin.update(code.encode())
        message = f"{code}:{int.from_bytes(pin.digest()[:6]) % 1_000_000:06d}".encode()
        return hmac.digest(self.key, message, "sha256").hex()

"""The citizen's side of a dossier: the receipt (Mẫu 01) with its QR code and PDF, the signed link
to the public status page, the one-time display of the lookup PIN, and the public lookup itself.

The public lookup is the only read of dossiers without a user: it answers with a dossier only
for a valid signed link or for a matching code and PIN, and it does the same work (one query,
one keyed digest) whether the code exists or not.
"""

import hashlib
import mimetypes
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from intake.models import Dossier, DossierEvent, Status
from intake.services import RATE_ACTION, lookup_keys, lookup_pin_digest
from onestop import clock
from wards.models import Ward

STATUS_LINK_SALT = "onestop.intake.status-link"
PIN_SEAL_SALT = "onestop.intake.pin-seal"
SESSION_PINS = "intake.receipt_pins"
SESSION_PDF_PINS = "intake.receipt_pdf_pins"
# How long the receipt page's PDF link still carries the PIN the page showed.
PDF_PIN_MAX_AGE = 15 * 60
# Wrong-PIN counts live a little over a day (the key names the day), the paused list as long.
PIN_FAILURES_TIMEOUT = 26 * 3600
PAUSED_LISTED = 50

# Compared against when the code is unknown, so that an unknown code costs the same digest and
# comparison as a wrong PIN.
_NO_DOSSIER_DIGEST = "0" * 64


# --- signed link to the status page ---------------------------------------------------------


def status_token(dossier: Dossier) -> str:
    """A signed, timestamped token naming the dossier; it opens the status page without a PIN."""
    return _status_signer().sign(dossier.code)


def _status_signer() -> signing.TimestampSigner:
    key, *fallbacks = lookup_keys()
    return signing.TimestampSigner(key=key, fallback_keys=fallbacks, salt=STATUS_LINK_SALT)


def code_from_status_token(token: str) -> str | None:
    """The dossier code a token names, or None when it is forged, altered or too old."""
    max_age = settings.LOOKUP_LINK_MAX_AGE_DAYS * 86400
    try:
        return _status_signer().unsign(token, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None


# The citizen's evaluation lives in a higher layer (hall): intake names its pages by URL name
# only, and offers them only when they are installed.
EVALUATION_URL_NAME = "hall:evaluate"
EVALUATION_INVITE_URL_NAME = "hall:evaluation-invite"


def evaluation_url(dossier: Dossier) -> str:
    """The evaluation page for a returned dossier not yet rated by its citizen; "" otherwise."""
    if dossier.status != Status.RETURNED or citizen_rated(dossier):
        return ""
    try:
        return reverse(EVALUATION_URL_NAME, args=[status_token(dossier)])
    except NoReverseMatch:
        return ""


def evaluation_invite_url(dossier: Dossier, events) -> str:
    """Where a worker invites the citizen to rate the returned `dossier` on the counter's
    tablet; "" when it is not returned, already rated (from its loaded `events`), or the page is
    not installed."""
    if dossier.status != Status.RETURNED or any(e.action == RATE_ACTION for e in events):
        return ""
    try:
        return reverse(EVALUATION_INVITE_URL_NAME, args=[dossier.code])
    except NoReverseMatch:
        return ""


def citizen_rated(dossier: Dossier) -> bool:
    return DossierEvent.objects.filter(dossier_id=dossier.pk, action=RATE_ACTION).exists()


def public_url(request: HttpRequest, path: str) -> str:
    """The absolute address of `path` as citizens reach it.

    PUBLIC_BASE_URL names that address (the counter may work on an internal host name);
    without it the address of the current request is used.
    """
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def status_url(request: HttpRequest, dossier: Dossier) -> str:
    """The absolute, signed address of the dossier's status page, as the QR code carries it."""
    return public_url(
        request, reverse("intake:public-status", kwargs={"token": status_token(dossier)})
    )


def qr_data_uri(url: str) -> str:
    """An SVG QR code of `url` as a data URI: drawn here, no outside service involved."""
    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


# --- public lookup ------------------------------------------------------------------------


def dossier_for_status_token(*, token: str) -> Dossier | None:
    """The dossier a valid signed link names, or None."""
    code = code_from_status_token(token)
    if code is None:
        return None
    return _public_dossiers().filter(code=code).first()


class LookupPaused(Exception):
    """Too many wrong PINs for this code today: no PIN is checked until tomorrow."""


def dossier_for_lookup(*, code: str, pin: str) -> Dossier | None:
    """The dossier when `code` exists and `pin` is its lookup PIN; None otherwise.

    An unknown code and a wrong PIN take the same path (one query, one digest, one constant-time
    comparison), so neither the answer nor its timing tells which codes exist. After
    LOOKUP_PIN_FAILURES_PER_DAY wrong PINs for one code (known or not, alike) it raises
    LookupPaused, whatever the PIN, until the day ends.
    """
    code = code.strip().upper()
    if _pin_failures(code) >= settings.LOOKUP_PIN_FAILURES_PER_DAY > 0:
        raise LookupPaused
    dossier = _public_dossiers().filter(code=code).first()
    expected = dossier.lookup_pin_hash if dossier is not None else _NO_DOSSIER_DIGEST
    # Every key is tried, also after a match, so a fallback's work is the same for any answer.
    matches = [
        constant_time_compare(expected, lookup_pin_digest(code, pin.strip(), key=key))
        for key in lookup_keys()
    ]
    if dossier is not None and any(matches):
        return dossier
    _count_pin_failure(code, dossier)
    return None


def _pin_failures_key(code: str, day=None) -> str:
    day = day or timezone.localdate(clock.now())
    digest = hashlib.sha256(code.encode()).hexdigest()[:32]  # any characters, a bounded key
    return f"intake:pin-failures:{day:%Y%m%d}:{digest}"


def _pin_failures(code: str) -> int:
    return cache.get(_pin_failures_key(code), 0)


def _count_pin_failure(code: str, dossier: Dossier | None) -> None:
    limit = settings.LOOKUP_PIN_FAILURES_PER_DAY
    if limit <= 0:
        return
    failures = shared_count(_pin_failures_key(code), timeout=PIN_FAILURES_TIMEOUT)
    if failures == limit and dossier is not None:
        _note_paused(dossier)


def _paused_key(ward_id: int, day=None) -> str:
    day = day or timezone.localdate(clock.now())
    return f"intake:pin-paused:{day:%Y%m%d}:{ward_id}"


def _note_paused(dossier: Dossier) -> None:
    # Reached once per code and day (the incr above is atomic); the ward's list is only shown,
    # so two dossiers of one ward paused in the same instant may at worst show one.
    key = _paused_key(dossier.ward_id)
    codes = cache.get(key, [])
    if dossier.code not in codes:
        cache.set(key, [*codes, dossier.code][-PAUSED_LISTED:], timeout=PIN_FAILURES_TIMEOUT)


def lookup_paused_today(*, code: str) -> bool:
    """True when the status page refuses this code today for too many wrong PINs."""
    limit = settings.LOOKUP_PIN_FAILURES_PER_DAY
    return limit > 0 and _pin_failures(code) >= limit


def lookups_paused_in_ward(*, ward_id: int) -> list[str]:
    """Codes of the ward's dossiers whose status lookup is paused today, in the order paused."""
    return list(cache.get(_paused_key(ward_id), []))


def _public_dossiers():
    # Only what the status page shows is loaded: no personal data leaves the database here.
    return Dossier.objects.select_related("ward").only(
        "code",
        "ward__name",
        "ward__kind",
        "procedure_name",
        "received_at",
        "appointment_at",
        "apology_appointment_at",
        "status",
        "timeliness",
        "resolved_at",
        "lookup_pin_hash",
    )


def example_code() -> str:
    """A dossier code as this site writes them, for the status page's hint: a ward's unit
    identifier, today's date and a number (one query)."""
    unit = (
        Ward.objects.filter(active=True)
        .exclude(unit_identifier="")
        .order_by("pk")
        .values_list("unit_identifier", flat=True)
        .first()
    )
    today = timezone.localdate(clock.now())
    return f"{unit or '000.00.12.H13'}-{today:%y%m%d}-0007"


def lookup_allowed(request: HttpRequest) -> bool:
    """Count one lookup for the client's address; False once LOOKUP_RATE_LIMIT is exceeded.

    A fixed one-minute window per address, counted in the shared cache (CACHE_URL): with Redis
    every process counts into one total.
    """
    limit = settings.LOOKUP_RATE_LIMIT
    if limit <= 0:
        return True
    address = request.META.get("REMOTE_ADDR", "")
    window = int(time.time() // 60)
    key = f"intake:lookup-rate:{address}:{window}"
    return shared_count(key, timeout=60) <= limit


def shared_count(key: str, *, timeout: int) -> int:
    """Add one to the counter `key` in the cache and return it; the counter starts at 1.

    add + incr are each atomic in a shared cache (Redis: SET NX, INCR), so any number of
    processes counting one key reach one total, never each their own.
    """
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired or evicted between add and incr: start again, once
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)


# --- the PIN's one-time display -----------------------------------------------------------


def _keystream(code: str, nonce: str, length: int) -> list[int]:
    digest = salted_hmac(PIN_SEAL_SALT, f"{code}:{nonce}", algorithm="sha256").digest()
    return [byte % 10 for byte in digest[:length]]


def _seal(code: str, nonce: str, pin: str) -> str:
    stream = _keystream(code, nonce, len(pin))
    return "".join(str((int(d) + k) % 10) for d, k in zip(pin, stream, strict=True))


def _unseal(code: str, nonce: str, digits: str) -> str:
    stream = _keystream(code, nonce, len(digits))
    return "".join(str((int(d) - k) % 10) for d, k in zip(digits, stream, strict=True))


def keep_pin_for_receipt(request: HttpRequest, code: str, pin: str) -> None:
    """Hold the PIN in the session until the receipt shows it once.

    Sessions live in the database, so the PIN is sealed with a key derived from SECRET_KEY:
    the session row alone never reveals it.
    """
    if not pin:
        return
    nonce = secrets.token_hex(8)
    pins = dict(request.session.get(SESSION_PINS, {}))
    pins[code] = f"{nonce}:{_seal(code, nonce, pin)}"
    request.session[SESSION_PINS] = pins


def take_pin_for_receipt(request: HttpRequest, code: str) -> str:
    """The PIN kept for `code`, removed from the session; "" when it was already shown."""
    pins = dict(request.session.get(SESSION_PINS, {}))
    sealed = pins.pop(code, "")
    if not sealed:
        return ""
    request.session[SESSION_PINS] = pins
    nonce, _, digits = sealed.partition(":")
    return _unseal(code, nonce, digits)


def pass_pin_to_pdf(request: HttpRequest, code: str, pin: str) -> str:
    """Leave the PIN the receipt page shows to that page's PDF link, once, for a few minutes.

    The citizen gets the PIN on whichever copy is printed first, the page or its PDF. The
    session keeps only the PIN sealed with the ticket (which only the page's link carries) and
    the ticket's digest: neither the session row nor the link alone reveals it. Returns the
    ticket; "" when there is no PIN to pass.
    """
    if not pin:
        return ""
    ticket = secrets.token_urlsafe(16)
    now = time.time()
    pins = {
        kept: entry
        for kept, entry in request.session.get(SESSION_PDF_PINS, {}).items()
        if entry["until"] > now
    }
    pins[code] = {
        "ticket": _ticket_digest(ticket),
        "sealed": _seal(code, ticket, pin),
        "until": now + PDF_PIN_MAX_AGE,
    }
    request.session[SESSION_PDF_PINS] = pins
    return ticket


def take_pin_for_pdf(request: HttpRequest, code: str, ticket: str) -> str:
    """The PIN the receipt page passed to its PDF link, removed from the session.

    "" for a link without that page's ticket, a ticket already used, or one older than
    PDF_PIN_MAX_AGE: the PIN is then shown by no copy again.
    """
    pins = dict(request.session.get(SESSION_PDF_PINS, {}))
    entry = pins.get(code)
    if not ticket or entry is None:
        return ""
    if not constant_time_compare(entry["ticket"], _ticket_digest(ticket)):
        return ""
    del pins[code]
    request.session[SESSION_PDF_PINS] = pins
    if entry["until"] <= time.time():
        return ""
    return _unseal(code, ticket, entry["sealed"])


def _ticket_digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()


# --- PDF ----------------------------------------------------------------------------------


def _static_file(path: str) -> Path | None:
    """The file behind a static URL path ("css/receipt.css"), collected or from the finders."""
    if staticfiles_storage.exists(path):
        try:
            return Path(staticfiles_storage.path(path))
        except NotImplementedError:  # a storage without local files
            pass
    found = finders.find(path)
    return Path(found) if found else None


def _url_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    class StaticOnlyFetcher(URLFetcher):
        """Serves the project's static files from disk and data: URIs; nothing else.

        Reading from disk keeps the PDF independent of the web server (no request to itself)
        and no template can make the server fetch an outside address.
        """

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = urlsplit(url).path
            if path.startswith(static_prefix):
                name = path.removeprefix(static_prefix)
                file = _static_file(name)
                if file is not None:
                    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        url, body=file.read_bytes(), headers={"Content-Type": content_type}
                    )
            raise ValueError(f"Not a static file of onestop: {url}")

    return StaticOnlyFetcher()


def render_pdf(*, html: str, request: HttpRequest) -> bytes:
    """Render `html` (a page of templates/intake) to PDF with WeasyPrint."""
    from weasyprint import CSS, HTML  # loads pango: imported when a PDF is actually asked for

    return HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=_url_fetcher()
    ).write_pdf(stylesheets=[CSS(string=PDF_FONT_CSS)])


# The printed forms' font (Be Vietnam Pro) is split by unicode-range into subsets that WeasyPrint
# merges wrongly, losing diacritics (receipt.css says the same of the receipt): every PDF sets
# its forms in Debian's DejaVu Sans, which holds the whole Vietnamese alphabet in one file.
# WeasyPrint takes these as user rules, so they need !important to outrank the page's own.
# A closed <dialog> (the keyboard shortcuts' help on every signed-in page) is hidden by the
# browser, not by WeasyPrint: the PDF hides it too.
PDF_FONT_CSS = (
    "body, body .slip, body .handover-sheet, body .logbook "
    '{ font-family: "DejaVu Sans", "Noto Sans", sans-serif !important; }'
    " dialog:not([open]) { display: none !important; }"
)

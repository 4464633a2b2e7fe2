"""Postal workers' accounts, managed by the chief of their ward.

Accounts are never deleted: they are deactivated and reactivated, and every change is logged.
A new or reset password is shown once to the chief and must be changed at the next sign-in.
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.validators import normalize_phone
from onestop import clock
from onestop.errors import Conflict, InvalidInput
from onestop.models import ApiToken, Role, User
from onestop.tokens import api_token_revoke, api_tokens_end
from postal.models import AccountEvent, Assignment, AssignmentChange, PostalWorkerProfile
from postal.services._common import clean_text, require_chief

KEEP: Any = object()
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,49}$")
# No 0/O, 1/l/I: the chief reads the password aloud or writes it on paper.
READABLE_CHARACTERS = "abcdefghijkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class Credentials:
    """An account and the password to hand its owner; the password is not stored anywhere."""

    user: User
    password: str


def generate_password() -> str:
    groups = ["".join(secrets.choice(READABLE_CHARACTERS) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def _clean_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not phone:
        return ""
    try:
        return normalize_phone(phone)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="phone") from None


def _name_errors(last_name: str, first_name: str) -> dict[str, str]:
    errors = {}
    if not clean_text(last_name, limit=150):
        errors["last_name"] = _("Nhập họ và tên đệm.")
    if not clean_text(first_name, limit=150):
        errors["first_name"] = _("Nhập tên.")
    return errors


def _clean_names(last_name: str, first_name: str) -> tuple[str, str]:
    for field, message in _name_errors(last_name, first_name).items():
        raise InvalidInput(message, field=field)
    return clean_text(last_name, limit=150), clean_text(first_name, limit=150)


def _clean_username(username: str) -> str:
    username = (username or "").strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput(
            _(
                "Tên đăng nhập gồm 3–50 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang "
                "hoặc gạch dưới, ví dụ postal3.phuhoa."
            ),
            field="username",
        )
    return username


def _username_taken(username: str) -> Conflict:
    return Conflict(
        _("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username},
        field="username",
    )


def account_input_errors(
    *, username: str | None, last_name: str, first_name: str, phone: str
) -> dict[str, str]:
    """Every refusal the account services would give for these values, by field, so a form can
    show them all at once (the services still check, and refuse the first). `username` None:
    an existing account's profile, whose username does not change."""
    errors: dict[str, str] = {}
    if username is not None:
        try:
            cleaned = _clean_username(username)
        except InvalidInput as error:
            errors["username"] = error.message
        else:
            if User.objects.filter(username__iexact=cleaned).exists():
                errors["username"] = _username_taken(cleaned).message
    errors.update(_name_errors(last_name, first_name))
    try:
        _clean_phone(phone)
    except InvalidInput as error:
        errors["phone"] = error.message
    return errors


def _log(account: User, actor: User, action: str, note: str = "") -> None:
    AccountEvent.objects.create(
        account=account, at=clock.now(), actor=actor, action=action, note=note
    )


def postal_account_create(
    *,
    user: User,
    username: str,
    last_name: str,
    first_name: str,
    post_office_code: str = "",
    post_office_unit: str = "",
    phone: str = "",
    in_ward_since: dt.date | None = None,
) -> Credentials:
    """Create a postal worker's account in the chief's ward, with a one-time password."""
    ward_id = require_chief(user)
    username = _clean_username(username)
    last_name, first_name = _clean_names(last_name, first_name)
    phone = _clean_phone(phone)
    password = generate_password()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise _username_taken(username)
        account = User(
            username=username,
            last_name=last_name,
            first_name=first_name,
            role=Role.POSTAL_WORKER,
            ward_id=ward_id,
            phone=phone,
            employee_code=clean_text(post_office_code, limit=30),
            must_change_password=True,
        )
        account.set_password(password)
        account.save()
        PostalWorkerProfile.objects.create(
            user=account,
            post_office_code=clean_text(post_office_code, limit=30),
            post_office_unit=clean_text(post_office_unit, limit=200),
            phone=phone,
            in_ward_since=in_ward_since,
        )
        _log(account, user, AccountEvent.Action.CREATED)
    return Credentials(user=account, password=password)


def _locked_account(user: User, account_id: int) -> User:
    ward_id = require_chief(user)
    return User.objects.select_for_update().get(
        pk=account_id, ward_id=ward_id, role=Role.POSTAL_WORKER
    )


def postal_profile_update(
    *,
    user: User,
    account_id: int,
    last_name: str = KEEP,
    first_name: str = KEEP,
    post_office_code: str = KEEP,
    post_office_unit: str = KEEP,
    phone: str = KEEP,
    in_ward_since: dt.date | None = KEEP,
) -> User:
    """Change a postal worker's name and profile; arguments not given keep their value."""
    with transaction.atomic():
        account = _locked_account(user, account_id)
        profile, _created = PostalWorkerProfile.objects.get_or_create(user=account)
        changes = []
        if last_name is not KEEP or first_name is not KEEP:
            last, first = _clean_names(
                account.last_name if last_name is KEEP else last_name,
                account.first_name if first_name is KEEP else first_name,
            )
            if (last, first) != (account.last_name, account.first_name):
                changes.append(_("họ tên"))
                account.last_name, account.first_name = last, first
        if phone is not KEEP and (phone := _clean_phone(phone)) != profile.phone:
            changes.append(_("số điện thoại"))
            profile.phone = account.phone = phone
        if post_office_code is not KEEP:
            code = clean_text(post_office_code, limit=30)
            if code != profile.post_office_code:
                changes.append(_("mã nhân viên bưu điện"))
                profile.post_office_code = account.employee_code = code
        if post_office_unit is not KEEP:
            unit = clean_text(post_office_unit, limit=200)
            if unit != profile.post_office_unit:
                changes.append(_("đơn vị bưu điện"))
                profile.post_office_unit = unit
        if in_ward_since is not KEEP and in_ward_since != profile.in_ward_since:
            changes.append(_("ngày bắt đầu làm việc tại phường"))
            profile.in_ward_since = in_ward_since
        if not changes:
            return account
        account.save(update_fields=["last_name", "first_name", "phone", "employee_code"])
        profile.save()
        _log(account, user, AccountEvent.Action.PROFILE_UPDATED, ", ".join(changes))
    return account


def postal_account_deactivate(*, user: User, account_id: int, note: str) -> tuple[User, int]:
    """Lock the account; its live assignments from today on are cancelled with the same note.

    Returns the account and how many assignments were cancelled.
    """
    note = clean_text(note, limit=300)
    now = clock.now()
    with transaction.atomic():
        account = _locked_account(user, account_id)
        if not note:
            raise InvalidInput(_("Ghi lý do khoá tài khoản."), field="note")
        if not account.is_active:
            return account, 0
        account.is_active = False
        account.save(update_fields=["is_active"])
        _log(account, user, AccountEvent.Action.DEACTIVATED, note)
        # Ended, not suspended: unlocking the account later does not bring them back.
        api_tokens_end(user=account, reason=ApiToken.Ended.ACCOUNT_LOCKED)
        upcoming = list(
            Assignment.objects.active()
            .select_for_update()
            .filter(worker=account, date__gte=timezone.localdate(now))
        )
        reason = _("Tài khoản bị khoá: %(note)s") % {"note": note}
        for assignment in upcoming:
            before = assignment.snapshot()
            assignment.cancelled_at = now
            assignment.cancelled_by = user
            assignment.cancel_note = reason[:300]
            assignment.updated_at = now
            assignment.save(
                update_fields=["cancelled_at", "cancelled_by", "cancel_note", "updated_at"]
            )
            AssignmentChange.objects.create(
                assignment=assignment,
                at=now,
                actor=user,
                action=AssignmentChange.Action.CANCELLED,
                before=before,
                note=reason[:300],
            )
    return account, len(upcoming)


def postal_account_reactivate(*, user: User, account_id: int, note: str = "") -> User:
    """Unlock the account (its cancelled assignments stay cancelled)."""
    with transaction.atomic():
        account = _locked_account(user, account_id)
        if account.is_active:
            return account
        account.is_active = True
        account.save(update_fields=["is_active"])
        _log(account, user, AccountEvent.Action.REACTIVATED, clean_text(note, limit=300))
    return account


def postal_account_reset_password(*, user: User, account_id: int) -> Credentials:
    """A new one-time password for a worker who forgot theirs."""
    password = generate_password()
    with transaction.atomic():
        account = _locked_account(user, account_id)
        account.set_password(password)
        account.must_change_password = True
        account.save(update_fields=["password", "must_change_password"])
        _log(account, user, AccountEvent.Action.PASSWORD_RESET)
        api_tokens_end(user=account, reason=ApiToken.Ended.PASSWORD_RESET)
    return Credentials(user=account, password=password)


def account_password_changed(*, user: User) -> None:
    """The owner chose their own password: the one-time password no longer applies."""
    with transaction.atomic():
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        _log(user, user, AccountEvent.Action.PASSWORD_CHANGED)
        api_tokens_end(user=user, reason=ApiToken.Ended.PASSWORD_CHANGED)


def postal_account_token_revoke(*, user: User, account_id: int, token_id: int) -> ApiToken | None:
    """End one API token of a worker of the chief's ward; None when it had already ended.

    Raises User.DoesNotExist or ApiToken.DoesNotExist (a 404) outside the chief's ward.
    """
    with transaction.atomic():
        account = _locked_account(user, account_id)
        token = api_token_revoke(user=account, token_id=token_id)
        if token is not None:
            _log(
                account,
                user,
                AccountEvent.Action.TOKEN_REVOKED,
                _("Mã tạo lúc %(at)s")
                % {"at": f"{timezone.localtime(token.created_at):%H:%M %d/%m/%Y}"},
            )
    return token


def ward_account_login_unlock(*, user: User, account_id: int, address: str | None) -> int:
    """Lift the sign-in lockout of a ward account from one address, with an account event.

    Returns how many lockout records were removed (0: nothing was locked any more).
    """
    from axes.utils import reset

    ward_id = require_chief(user)
    with transaction.atomic():
        account = User.objects.select_for_update().get(pk=account_id, ward_id=ward_id)
        removed = reset(ip=address or None, username=account.username)
        if removed:
            _log(
                account,
                user,
                AccountEvent.Action.LOGIN_UNLOCKED,
                _("Từ địa chỉ %(address)s") % {"address": address or "—"},
            )
    return removed

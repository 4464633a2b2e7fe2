"""How API callers sign in: a session (the pages' own) or a token of onestop.tokens.

Both refuse an account that must still change its one-time password: a 403 naming what to do,
on every endpoint, until the password is changed on the password page.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import authentication as spectacular_auth
from rest_framework import authentication, exceptions

from onestop.tokens import TokenRefused, api_token_authenticate

MUST_CHANGE_PASSWORD = _(
    "Tài khoản đang dùng mật khẩu tạm thời: hãy đăng nhập trang web và đổi mật khẩu trước khi "
    "dùng API."
)


def _require_own_password(user) -> None:
    if user.must_change_password:
        raise exceptions.PermissionDenied(MUST_CHANGE_PASSWORD)


def key_from_header(request, keyword: str, invalid_key_message) -> str | None:
    """The key of an `Authorization: <keyword> <key>` header; None when the header names another
    scheme (the next authentication class is asked), AuthenticationFailed when it is malformed."""
    parts = authentication.get_authorization_header(request).split()
    if not parts or parts[0].lower() != keyword.lower().encode():
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization không hợp lệ."))
    try:
        return parts[1].decode()
    except UnicodeError:
        raise exceptions.AuthenticationFailed(invalid_key_message) from None


class SessionAuthentication(authentication.SessionAuthentication):
    def authenticate(self, request):
        signed_in = super().authenticate(request)
        if signed_in is not None:
            _require_own_password(signed_in[0])
        return signed_in


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Token <key>`, as DRF's own token scheme, against onestop's tokens."""

    keyword = "Token"

    def authenticate(self, request):
        key = key_from_header(request, self.keyword, _("Mã truy cập không hợp lệ."))
        if key is None:
            return None
        try:
            user, token = api_token_authenticate(key=key, address=request.META.get("REMOTE_ADDR"))
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(str(refused)) from None
        _require_own_password(user)
        return user, token

    def authenticate_header(self, request):
        return self.keyword


# The schema describes them as DRF's own schemes: the same cookie, the same header.
class SessionScheme(spectacular_auth.SessionScheme):
    target_class = SessionAuthentication


class TokenScheme(spectacular_auth.TokenScheme):
    target_class = TokenAuthentication

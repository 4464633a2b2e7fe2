from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from onestop.text import nfc, validate_printable


def _in_nfc(to_python):
    def wrapped(value):
        value = to_python(value)
        return nfc(value) if isinstance(value, str) else value

    return wrapped


class PrintableTextMixin:
    """A form whose text fields refuse control characters with a Vietnamese message.

    Django's own check catches only NUL, and in English; this is the services' rule
    (onestop.text.checked), so a form never lets through what the service would refuse.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                # NFC before the length check, so a name typed in combining marks counts the
                # letters the service will store.
                field.to_python = _in_nfc(field.to_python)
                field.validators = [
                    *(
                        v
                        for v in field.validators
                        if not isinstance(v, ProhibitNullCharactersValidator)
                    ),
                    validate_printable,
                ]


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khoá. Vui lòng liên hệ trưởng bộ phận một cửa."),
    }

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        error_messages={"required": _("Vui lòng nhập tên đăng nhập.")},
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Vui lòng nhập mật khẩu.")},
    )

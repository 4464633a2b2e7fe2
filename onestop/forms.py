from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onestop.text import nfc, validate_exact, validate_printable, without_invisible


def _in_nfc(to_python, *, free_text: bool):
    def wrapped(value):
        value = to_python(value)
        if not isinstance(value, str):
            return value
        return nfc(without_invisible(value) if free_text else value)

    return wrapped


class PrintableTextMixin:
    """A form whose text fields follow the policy for stored text (onestop.text) with a
    Vietnamese message: what no document can carry is refused in every field; an invisible
    character is refused in names, ID numbers and codes, and dropped from the fields named in
    `free_text_fields` (addresses, notes).

    Django's own check catches only NUL, and in English; this is the services' rule
    (onestop.text.checked), so a form never lets through what the service would refuse.
    """

    free_text_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                free_text = name in self.free_text_fields
                # NFC before the length check, so a name typed in combining marks counts the
                # letters the service will store.
                field.to_python = _in_nfc(field.to_python, free_text=free_text)
                field.validators = [
                    *(
                        v
                        for v in field.validators
                        if not isinstance(v, ProhibitNullCharactersValidator)
                    ),
                    validate_printable if free_text else validate_exact,
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


# --- widgets drawn once -----------------------------------------------------------------------

# Rendered widgets kept per process; emptied when full, so a stream of odd queries cannot grow it.
_RENDERED: dict = {}
RENDERED_MAX = 512


def _frozen(value):
    """A hashable stand-in for a widget input, with each value's type (True, 1 and "1" draw
    differently); lists as tuples, dicts in their order, lazy texts translated now."""
    if isinstance(value, (list, tuple)):
        return (list, tuple(_frozen(v) for v in value))
    if isinstance(value, dict):
        return (dict, tuple((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, Promise):
        return (str, str(value))
    return (type(value), value)


class RenderedOnceMixin:
    """A widget whose HTML is drawn once for the same name, value, attributes and choices.

    Django draws a widget through its templates, an option at a time: a select of the catalogue
    costs milliseconds on every page of the dossier list, for the same few HTML strings. The
    key holds everything the widget's templates read (its choices with their labels in the
    current language), so the HTML served is the HTML Django would draw. Only for widgets whose
    values come from a short list (selects, checkboxes, hidden filters), not for text boxes.
    """

    def render(self, name, value, attrs=None, renderer=None):
        try:
            key = (
                type(self),
                self.template_name,
                getattr(self, "option_template_name", None),
                getattr(self, "input_type", None),
                getattr(self, "check_test", None),
                self.is_required,
                name,
                _frozen(value),
                _frozen(attrs or {}),
                _frozen(self.attrs),
                _frozen(list(getattr(self, "choices", ()))),
                renderer,
                get_language(),
            )
            html = _RENDERED.get(key)
        except TypeError:  # an unhashable value: drawn as usual
            return super().render(name, value, attrs, renderer)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            if len(_RENDERED) >= RENDERED_MAX:
                _RENDERED.clear()
            _RENDERED[key] = html
        return html


class RenderedOnceSelect(RenderedOnceMixin, forms.Select):
    pass


class RenderedOnceHiddenInput(RenderedOnceMixin, forms.HiddenInput):
    pass


class RenderedOnceMultipleHiddenInput(RenderedOnceMixin, forms.MultipleHiddenInput):
    pass


class RenderedOnceCheckboxInput(RenderedOnceMixin, forms.CheckboxInput):
    pass

"""The quicker filters and widgets give exactly what Django's own give."""

import datetime as dt
import zoneinfo

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from onestop import forms as onestop_forms
from onestop.forms import (
    RenderedOnceCheckboxInput,
    RenderedOnceHiddenInput,
    RenderedOnceMultipleHiddenInput,
    RenderedOnceSelect,
)
from onestop.templatetags.formatting import _compiled

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
FORMATS = [
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "TIME_FORMAT",
    "Y-m-d H:i:s",
    "j/n/y",
    r"\d\a\y d, {m} Y",
    "D d M Y",  # names of days and months: Django's formatter
    "c",
    "",
]
VALUES = [
    dt.datetime(2026, 3, 5, 7, 4, 9, tzinfo=dt.UTC),  # 14:04 in Hồ Chí Minh City
    dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC),  # already the next day there
    dt.datetime(2026, 1, 9, 23, 59, 59, tzinfo=HCM),
    dt.datetime(2026, 7, 1, 8, 0),  # naive
    dt.datetime(905, 2, 3, 4, 5, 6, tzinfo=dt.UTC),  # a three-digit year, padded to four
    dt.date(2026, 3, 5),
    None,
    "",
    "05/03/2026",
]


def render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


def both_dates(value, fmt: str) -> tuple[str, str]:
    arg = f':"{fmt}"' if fmt else ""
    try:
        builtin = render(f"{{{{ value|date{arg} }}}}", value=value)
    except TypeError as error:  # a date with time fields
        builtin = f"TypeError: {error}"
    try:
        fast = render(f"{{{{ value|date_fast{arg} }}}}", value=value)
    except TypeError as error:
        fast = f"TypeError: {error}"
    return builtin, fast


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_date_fast_is_the_date_filter(language, fmt, value):
    with translation.override(language):
        builtin, fast = both_dates(value, fmt)
    assert fast == builtin


def test_date_fast_keeps_localtime_off():
    value = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)
    source = '{% load tz %}{% localtime off %}{{ value|FILTER:"H:i d/m/Y" }}{% endlocaltime %}'
    builtin = render(source.replace("FILTER", "date"), value=value)
    assert builtin == "17:30 31/12/2026"
    assert render(source.replace("FILTER", "date_fast"), value=value) == builtin


@hypothesis_settings(max_examples=200)
@given(
    value=st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.just(dt.UTC),
    ),
    fmt=st.sampled_from(FORMATS),
)
def test_date_fast_is_the_date_filter_for_any_time(value, fmt):
    builtin, fast = both_dates(value, fmt)
    assert fast == builtin


def test_only_simple_formats_are_compiled():
    assert _compiled("H:i d/m/Y") == (
        "{0.hour:02d}:{0.minute:02d} {0.day:02d}/{0.month:02d}/{0.year:04d}",
        True,
    )
    assert _compiled(r"\d d") == ("d {0.day:02d}", False)
    assert _compiled("D d M Y") is None


TEXTS = [
    "",
    "Đăng ký khai sinh",
    "Cấp bản sao trích lục hộ tịch " * 4,  # longer than 90 letters
    "x" * 90,
    "x" * 91,
    "Đăng ky\u0301 khai sinh " * 6,  # decomposed: a combining accent
    "e\u0301" * 95,  # 95 letters, 190 code points
    "<b>Tom & Jerry</b> " * 6,
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("length", ["90", "1", "0", "-3", '"abc"'])
@pytest.mark.parametrize("text", TEXTS)
def test_truncatechars_fast_is_truncatechars(language, length, text):
    with translation.override(language):
        for value in (text, SafeString(text), None, 12345):
            source = "{{ value|FILTER:" + length + " }}"
            builtin = render(source.replace("FILTER", "truncatechars"), value=value)
            fast = render(source.replace("FILTER", "truncatechars_fast"), value=value)
            assert fast == builtin, (value, length)


def test_truncatechars_fast_needs_its_argument_as_the_builtin():
    with pytest.raises(TemplateSyntaxError):
        render("{{ value|truncatechars_fast }}", value="x")


# --- widgets drawn once ----------------------------------------------------------------------

LAZY_CHOICES = [("", gettext_lazy("Tất cả")), ("received", gettext_lazy("Đã tiếp nhận"))]


def plain_widget(widget: forms.Widget) -> forms.Widget:
    """The same widget as Django's own class draws it."""
    plain = widget.__class__.__mro__[2](attrs=widget.attrs)
    if hasattr(widget, "choices"):
        plain.choices = widget.choices
    plain.is_required = widget.is_required
    return plain


CASES = [
    (RenderedOnceSelect(choices=LAZY_CHOICES), "status", "received", {"id": "id_status"}),
    (RenderedOnceSelect(choices=LAZY_CHOICES), "status", "", {"id": "id_status"}),
    (RenderedOnceSelect(choices=LAZY_CHOICES), "status", None, None),
    (RenderedOnceSelect(choices=LAZY_CHOICES), "status", "nope", {"id": "id_status"}),
    (RenderedOnceSelect(choices=[(1, "một"), (True, "đúng")]), "n", 1, {}),
    (RenderedOnceSelect(choices=[(1, "một"), (True, "đúng")]), "n", True, {}),
    (RenderedOnceSelect(choices=[(1, "một"), ("1", "một chữ")]), "n", "1", {}),
    (RenderedOnceSelect(choices=[("Nhóm", [("a", "A"), ("b", "<b>")])]), "g", "b", {"x": True}),
    (RenderedOnceSelect(attrs={"class": "wide"}, choices=[("a", "A")]), "s", "a", {"id": "s"}),
    (RenderedOnceHiddenInput(), "page", "2", {"id": "id_page"}),
    (RenderedOnceHiddenInput(), "page", None, {"id": "id_page"}),
    (RenderedOnceHiddenInput(), "open_on", "30/06/2026", {"id": "id_open_on"}),
    (RenderedOnceMultipleHiddenInput(), "channels", ["1", "3"], {"id": "id_channels"}),
    (RenderedOnceMultipleHiddenInput(), "channels", [], {"id": "id_channels"}),
    (RenderedOnceCheckboxInput(), "overdue", True, {"id": "id_overdue"}),
    (RenderedOnceCheckboxInput(), "overdue", "on", {"id": "id_overdue"}),
    (RenderedOnceCheckboxInput(), "overdue", False, {"id": "id_overdue"}),
    (RenderedOnceCheckboxInput(), "overdue", None, {"id": "id_overdue"}),
]


@pytest.fixture
def empty_cache():
    onestop_forms._RENDERED.clear()
    yield
    onestop_forms._RENDERED.clear()


@pytest.mark.usefixtures("empty_cache")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_widgets_drawn_once_are_drawn_as_django_draws_them(language):
    with translation.override(language):
        for _ in range(2):  # drawn, then served from memory
            for widget, name, value, attrs in CASES:
                expected = plain_widget(widget).render(name, value, attrs)
                assert widget.render(name, value, attrs) == expected, (name, value)
    assert onestop_forms._RENDERED


@pytest.mark.usefixtures("empty_cache")
def test_widgets_drawn_once_follow_the_language_and_changed_attributes():
    widget = RenderedOnceSelect(choices=LAZY_CHOICES)
    with translation.override("en"):
        english = widget.render("status", "", {})
    assert "Đã tiếp nhận" in widget.render("status", "", {})
    assert "Đã tiếp nhận" not in english
    widget.attrs["required"] = True
    assert "required" in widget.render("status", "", {})
    widget.is_required = True
    assert widget.render("status", "", {}) == plain_widget(widget).render("status", "", {})


@pytest.mark.usefixtures("empty_cache")
def test_widgets_drawn_once_keep_a_bounded_memory(monkeypatch):
    monkeypatch.setattr(onestop_forms, "RENDERED_MAX", 5)
    widget = RenderedOnceHiddenInput()
    for page in range(12):
        assert widget.render("page", str(page)) == forms.HiddenInput().render("page", str(page))
        assert len(onestop_forms._RENDERED) <= 5

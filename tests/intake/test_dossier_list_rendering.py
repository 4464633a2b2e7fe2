"""The dossier list's quick drawing: badges, detail links and the filter form as before."""

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from intake.forms.steps import DossierFilterForm
from intake.models import Dossier, ReceiverKind, Status
from intake.views.dossiers import detail_url_builder
from onestop import forms as onestop_forms
from tests.intake.factories import ProcedureFactory

# What the list showed before the badges became tags (templates/intake/dossier_status_badge.html
# and the receiver cell), one line per status.
STATUS_BADGES = {
    "received": '<span class="badge status-received info">Đã tiếp nhận</span>',
    "processing": '<span class="badge status-processing info">Đang xử lý</span>',
    "needs_supplement": '<span class="badge status-needs_supplement warn">Chờ bổ sung</span>',
    "result_ready": '<span class="badge status-result_ready ok">Có kết quả</span>',
    "in_delivery": '<span class="badge status-in_delivery postal">Đang chuyển phát</span>',
    "returned": '<span class="badge status-returned ok">Đã trả kết quả</span>',
    "refused": '<span class="badge status-refused bad">Từ chối</span>',
    "withdrawn": '<span class="badge status-withdrawn bad">Đã rút</span>',
}


def render(source: str, **context) -> str:
    return Template("{% load dossier_badges %}" + source).render(Context(context))


def test_every_status_has_its_badge():
    assert set(STATUS_BADGES) == set(Status.values)
    for status, badge in STATUS_BADGES.items():
        assert render("{% status_badge d %}", d=Dossier(status=status)) == badge
        # The member itself, as a dossier holds it right after a step.
        assert render("{% status_badge d %}", d=Dossier(status=Status(status))) == badge


def test_the_included_badge_is_the_tag():
    dossier = Dossier(status=Status.REFUSED)
    included = render('{% include "intake/dossier_status_badge.html" %}', dossier=dossier)
    assert included == STATUS_BADGES["refused"] + "\n"


def test_badges_speak_the_language_and_escape():
    with translation.override("en"):
        english = render("{% status_badge d %}", d=Dossier(status=Status.RETURNED))
    assert english.startswith('<span class="badge status-returned ok">')
    assert "Đã trả kết quả" not in english
    odd = render("{% status_badge d %}", d=Dossier(status='x"><script>'))
    assert "<script>" not in odd
    assert odd == (
        '<span class="badge status-x&quot;&gt;&lt;script&gt; info">x&quot;&gt;&lt;script&gt;</span>'
    )


@pytest.mark.parametrize(
    ("kind", "badge"),
    [
        (ReceiverKind.POSTAL_WORKER, '<span class="badge postal">Nhân viên bưu điện</span>'),
        (ReceiverKind.OFFICER, '<span class="badge info">Công chức</span>'),
        ("officer", '<span class="badge info">Công chức</span>'),
    ],
)
def test_receiver_badge(kind, badge):
    assert render("{% receiver_badge d %}", d=Dossier(receiver_kind=kind)) == badge


@pytest.mark.parametrize(
    "code",
    [
        "000.00.12.H13-260315-0007",
        "000.00.12.H13-260315-12345",
        "mã có dấu",
        "a b%c?d#e&f=g+h:i@j~k",
    ],
)
def test_detail_url_builder_gives_what_reverse_gives(code):
    expected = reverse("intake:dossier-detail", kwargs={"code": code})
    assert detail_url_builder()(code) == expected


@pytest.mark.parametrize("code", ["", "a/b"])
def test_detail_url_builder_refuses_what_reverse_refuses(code):
    with pytest.raises(NoReverseMatch):
        detail_url_builder()(code)


QUERIES = [
    {},
    {"status": "processing", "overdue": "on", "channel": "3", "page": "2"},
    {"status": "received", "due_soon": "on", "channel": "1", "page": "3"},
    {"status": "nope", "channel": "x", "out_of_list": "0", "page": "abc"},
    {"open_on": "30/06/2026", "channels": ["1", "3"], "satisfied": "1", "ward": "x"},
    {"open_on": "01/07/2026", "channels": ["2"], "satisfied": "0"},
]


def as_query(values: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ["officer", "city_admin"])
def test_filter_form_draws_as_django_draws_it(world, actor, monkeypatch):
    """Every widget of the list's filter form, query after query, in both languages: the HTML
    Django's own widgets draw."""
    ProcedureFactory(name="Đăng ký khai sinh")
    ProcedureFactory(name="Chứng thực <hợp đồng> & giao dịch")
    user = getattr(world, actor)
    onestop_forms._RENDERED.clear()
    runs = [(language, values) for language in ("vi", "en", "vi") for values in QUERIES * 2]

    def draw_all():
        drawn = []
        for language, values in runs:
            with translation.override(language):
                form = DossierFilterForm(as_query(values), user=user)
                form.is_valid()
                drawn.append([str(field) for field in form])
        return drawn

    drawn = draw_all()
    assert onestop_forms._RENDERED
    # Django's own drawing: the mixin's memory switched off.
    monkeypatch.setattr(
        onestop_forms.RenderedOnceMixin,
        "render",
        lambda self, *args, **kwargs: super(onestop_forms.RenderedOnceMixin, self).render(
            *args, **kwargs
        ),
    )
    assert drawn == draw_all()

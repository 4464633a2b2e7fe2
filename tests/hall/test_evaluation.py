"""The citizen's evaluation: once per dossier, the dossier's satisfaction and daily figures follow,
the timeline shows it; the counter's tablet, the receipt's QR page, the worker's invitation."""

import re

import pytest
from django.urls import reverse

from hall.devices import link_token
from hall.models import Device, Evaluation, HallLog
from hall.services import device_create, device_revoke, evaluation_invite, evaluation_submit
from intake import figures, receipts
from intake.models import DailyFigures, DossierEvent, Satisfaction
from intake.services import RATE_ACTION
from onestop.errors import Conflict, InvalidInput
from tests.intake.factories import DossierFactory

SCORES = {"contacts": 2, "agencies": 2, "one_stop": 1, "disclosure": 0, "attitude": None}


@pytest.fixture
def tablet(hall):
    hall.tablet = device_create(
        user=hall.chief,
        kind=Device.Kind.EVALUATION,
        name="Máy tính bảng quầy 2",
        counter=hall.officer_counter,
    )
    return hall


@pytest.fixture
def returned(tablet, morning):
    tablet.dossier = DossierFactory(ward=tablet.ward, returned=True, satisfaction=None)
    return tablet


def submit(dossier, **kwargs):
    values = {"channel": "phone", "satisfaction": Satisfaction.SATISFIED, "scores": SCORES}
    return evaluation_submit(dossier=dossier, **{**values, **kwargs})


def tablet_client(client, device):
    client.get(reverse("hall:device-link", args=[link_token(device)]))
    return client


def test_an_evaluation_is_recorded_once_and_the_satisfaction_follows(returned):
    dossier = returned.dossier
    evaluation = submit(dossier, comment="  Cán bộ   hướng dẫn tận tình\u00a0 ")
    assert evaluation.comment == "Cán bộ hướng dẫn tận tình"
    assert (evaluation.contacts, evaluation.disclosure, evaluation.attitude) == (2, 0, None)
    dossier.refresh_from_db()
    assert dossier.satisfaction == Satisfaction.SATISFIED
    event = DossierEvent.objects.get(dossier=dossier, action=RATE_ACTION)
    assert "Hài lòng" in event.note
    with pytest.raises(Conflict, match="đã được đánh giá"):
        submit(dossier, satisfaction=Satisfaction.VERY_DISSATISFIED)
    assert Evaluation.objects.count() == 1
    dossier.refresh_from_db()
    assert dossier.satisfaction == Satisfaction.SATISFIED


def test_the_daily_figures_count_the_citizens_rating(returned):
    dossier = returned.dossier
    assert figures.differences() == []
    day = figures.local_day(dossier.returned_at)
    row = DailyFigures.objects.get(ward=returned.ward, day=day)
    assert (row.rated, row.satisfied) == (0, 0)
    submit(dossier, satisfaction=Satisfaction.VERY_SATISFIED)
    row.refresh_from_db()
    assert (row.rated, row.satisfied) == (1, 1)
    assert figures.differences() == []


def test_the_citizens_rating_replaces_the_one_typed_at_the_return(tablet, morning):
    dossier = DossierFactory(
        ward=tablet.ward, returned=True, satisfaction=Satisfaction.VERY_SATISFIED
    )
    submit(dossier, satisfaction=Satisfaction.DISSATISFIED)
    dossier.refresh_from_db()
    assert dossier.satisfaction == Satisfaction.DISSATISFIED
    note = DossierEvent.objects.get(dossier=dossier, action=RATE_ACTION).note
    assert "Rất hài lòng" in note  # the earlier value stays on the timeline
    row = DailyFigures.objects.get(ward=tablet.ward, day=figures.local_day(dossier.returned_at))
    assert (row.rated, row.satisfied) == (1, 0)
    assert figures.differences() == []


def test_bad_input_and_a_dossier_not_returned_are_refused(tablet, morning):
    open_dossier = DossierFactory(ward=tablet.ward, processing=True)
    with pytest.raises(Conflict, match="chưa trả kết quả"):
        submit(open_dossier)
    dossier = DossierFactory(ward=tablet.ward, returned=True)
    with pytest.raises(InvalidInput) as error:
        submit(dossier, scores={"contacts": 3})
    assert error.value.field == "contacts"
    with pytest.raises(InvalidInput):
        submit(dossier, satisfaction=None)
    with pytest.raises(InvalidInput) as error:
        submit(dossier, comment="x" * 501)
    assert error.value.field == "comment"
    assert not Evaluation.objects.exists()
    assert not DossierEvent.objects.filter(action=RATE_ACTION).exists()


def test_the_worker_invites_the_tablet_and_the_citizen_answers_there(returned, client):
    dossier = returned.dossier
    client.force_login(returned.officer)
    page = client.get(reverse("intake:dossier-detail", args=[dossier.code]))
    assert b'data-testid="evaluation-invite"' in page.content
    # The officer has no roster today: the ward's only tablet is the one invited.
    response = client.post(reverse("hall:evaluation-invite", args=[dossier.code]))
    assert response.status_code == 302
    returned.tablet.refresh_from_db()
    assert returned.tablet.invited_dossier_id == dossier.pk
    assert HallLog.objects.filter(action="evaluation_invited").count() == 1

    device = tablet_client(type(client)(), returned.tablet)
    shown = device.get(reverse("hall:tablet"))
    assert shown.status_code == 200
    assert dossier.code in shown.content.decode()
    assert dossier.applicant_name not in shown.content.decode()
    state = reverse("hall:tablet-state")
    assert device.get(f"{state}?dossier={dossier.pk}").status_code == 204
    assert device.get(f"{state}?dossier=0").headers["HX-Refresh"] == "true"

    answer = {"dossier": dossier.pk, "satisfaction": "5", "contacts": "2", "comment": "Tốt"}
    thanks = device.post(reverse("hall:tablet-submit"), answer)
    assert thanks.status_code == 200 and b"eval-thanks" in thanks.content
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert (evaluation.channel, evaluation.counter, evaluation.device) == (
        "tablet",
        returned.officer_counter,
        returned.tablet,
    )
    returned.tablet.refresh_from_db()
    assert returned.tablet.invited_dossier is None
    again = device.post(reverse("hall:tablet-submit"), answer)
    assert again.status_code == 409
    assert Evaluation.objects.count() == 1
    timeline = client.get(reverse("intake:dossier-detail", args=[dossier.code])).content.decode()
    assert "Công dân đánh giá" in timeline
    assert 'data-testid="evaluation-invite"' not in timeline


def test_a_form_missing_the_satisfaction_keeps_the_answers(returned, client):
    evaluation_invite(user=returned.officer, dossier=returned.dossier)
    device = tablet_client(client, returned.tablet)
    response = device.post(
        reverse("hall:tablet-submit"), {"dossier": returned.dossier.pk, "contacts": "1"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Chọn mức độ hài lòng của bạn." in content
    assert re.search(r'name="contacts" value="1"[^>]*checked', content)
    assert not Evaluation.objects.exists()


def test_a_revoked_tablet_shows_the_refusal_and_saves_nothing(returned, client):
    evaluation_invite(user=returned.officer, dossier=returned.dossier)
    device = tablet_client(client, returned.tablet)
    device_revoke(user=returned.chief, device_id=returned.tablet.pk)
    page = device.get(reverse("hall:tablet"))
    assert page.status_code == 403 and "thu hồi" in page.content.decode()
    state = device.get(reverse("hall:tablet-state") + f"?dossier={returned.dossier.pk}")
    assert state.headers["HX-Refresh"] == "true"
    answer = {"dossier": returned.dossier.pk, "satisfaction": "5"}
    assert device.post(reverse("hall:tablet-submit"), answer).status_code == 403
    assert not Evaluation.objects.exists()


def test_a_tablet_cannot_answer_for_a_dossier_it_was_not_invited_for(returned, client):
    device = tablet_client(client, returned.tablet)
    answer = {"dossier": returned.dossier.pk, "satisfaction": "5"}
    response = device.post(reverse("hall:tablet-submit"), answer)
    assert response.status_code == 409
    assert not Evaluation.objects.exists()


def test_an_invitation_is_refused_when_it_cannot_be_taken(returned, client):
    client.force_login(returned.officer)
    open_dossier = DossierFactory(ward=returned.ward, processing=True)
    with pytest.raises(Conflict):
        evaluation_invite(user=returned.officer, dossier=open_dossier)
    other = DossierFactory(ward=returned.other_ward, returned=True)
    url = reverse("hall:evaluation-invite", args=[other.code])
    assert client.post(url).status_code == 404
    # Two tablets and no roster: the worker picks theirs.
    device_create(
        user=returned.chief,
        kind=Device.Kind.EVALUATION,
        name="Máy tính bảng quầy 1",
        counter=returned.postal_counter,
    )
    page = client.post(reverse("hall:evaluation-invite", args=[returned.dossier.code]))
    assert page.status_code == 400 and "Chọn máy tính bảng" in page.content.decode()
    chosen = client.post(
        reverse("hall:evaluation-invite", args=[returned.dossier.code]),
        {"device": returned.tablet.pk},
    )
    assert chosen.status_code == 302
    returned.tablet.refresh_from_db()
    assert returned.tablet.invited_dossier == returned.dossier
    submit(returned.dossier)
    # Answered from the phone: the tablet no longer shows it, and no new invitation is taken.
    returned.tablet.refresh_from_db()
    assert returned.tablet.invited_dossier is None
    again = client.post(reverse("hall:evaluation-invite", args=[returned.dossier.code]))
    assert again.status_code == 302
    assert not Device.objects.filter(invited_dossier__isnull=False).exists()
    with pytest.raises(Conflict, match="đã được đánh giá"):
        evaluation_invite(user=returned.officer, dossier=returned.dossier)


def test_a_tablet_needs_a_counter_of_the_ward(hall):
    with pytest.raises(InvalidInput) as error:
        device_create(user=hall.chief, kind=Device.Kind.EVALUATION, name="Máy tính bảng")
    assert error.value.field == "counter"
    with pytest.raises(InvalidInput):
        device_create(
            user=hall.chief,
            kind=Device.Kind.EVALUATION,
            name="Máy tính bảng",
            counter=hall.other_counter,
        )


def test_the_receipts_qr_page_offers_the_evaluation_once_returned(returned, client):
    dossier = returned.dossier
    status_url = reverse("intake:public-status", args=[receipts.status_token(dossier)])
    status = client.get(status_url).content.decode()
    assert 'data-testid="public-evaluate"' in status
    url = reverse("hall:evaluate", args=[receipts.status_token(dossier)])
    form = client.get(url)
    assert form.status_code == 200 and dossier.applicant_name not in form.content.decode()
    assert client.post(url, {"satisfaction": "9"}).status_code == 400
    done = client.post(url, {"satisfaction": "4", "attitude": "2"})
    assert done.status_code == 200 and b"eval-thanks" in done.content
    evaluation = Evaluation.objects.get(dossier=dossier)
    assert (evaluation.channel, evaluation.attitude) == ("phone", 2)
    assert client.get(url).status_code == 409
    assert client.post(url, {"satisfaction": "1"}).status_code == 409
    assert 'data-testid="public-evaluate"' not in client.get(status_url).content.decode()
    assert Evaluation.objects.count() == 1
    assert client.get(reverse("hall:evaluate", args=["forged"])).status_code == 404


def test_the_qr_page_waits_for_the_return_and_is_rate_limited(tablet, morning, client, settings):
    dossier = DossierFactory(ward=tablet.ward, processing=True)
    url = reverse("hall:evaluate", args=[receipts.status_token(dossier)])
    assert client.get(url).status_code == 409
    settings.LOOKUP_RATE_LIMIT = 1
    assert client.get(url).status_code == 429


def test_the_chief_sees_the_settings_history(tablet, client):
    device_revoke(user=tablet.chief, device_id=tablet.kiosk.pk)
    client.force_login(tablet.chief)
    page = client.get(reverse("hall:settings")).content.decode()
    assert 'data-action="device_created"' in page and 'data-action="device_revoked"' in page
    group = tablet.intake
    response = client.post(reverse("hall:group", args=[group.pk]), {f"g{group.pk}-active": "on"})
    assert response.status_code == 302
    log = HallLog.objects.get(action="group_updated")
    assert log.group == group and log.actor == tablet.chief and "—" in log.detail
    # Saving what is already there writes no history.
    client.post(reverse("hall:group", args=[group.pk]), {f"g{group.pk}-active": "on"})
    assert HallLog.objects.filter(action="group_updated").count() == 1
    created = client.post(
        reverse("hall:settings"),
        {"kind": "guidance", "name": "Hướng dẫn", "first_number": "3001"},
    )
    assert created.status_code == 302
    assert HallLog.objects.filter(action="group_created", ward=tablet.ward).count() == 1
    page = client.get(reverse("hall:settings")).content.decode()
    history = page.split('data-testid="hall-history"')[1].split("</table>")[0]
    # Three devices made, one revoked, a group changed, a group added.
    assert history.count("<tr data-action=") == 6


def test_the_history_is_the_chiefs_alone(tablet, client):
    client.force_login(tablet.other_chief)
    page = client.get(reverse("hall:settings")).content.decode()
    assert 'data-action="device_created"' not in page


def test_device_keys_open_the_tablet_page(tablet, client):
    response = client.get(reverse("hall:device-link", args=[link_token(tablet.tablet)]))
    assert response.status_code == 302 and response.url == reverse("hall:tablet")
    assert client.get(reverse("hall:tablet")).status_code == 200
    kiosk_page = client.get(reverse("hall:kiosk"))
    assert kiosk_page.status_code == 403


def test_the_evaluation_names_the_ticket_the_dossier_was_served_under(returned):
    from hall.services import ticket_call_next, ticket_issue, ticket_link

    ticket = ticket_issue(group=returned.returns, device=returned.kiosk)
    ticket_call_next(user=returned.officer, counter=returned.officer_counter)
    ticket_link(user=returned.officer, what="returned", dossier=returned.dossier)
    evaluation = submit(returned.dossier)
    assert evaluation.ticket == ticket
    other = DossierFactory(ward=returned.ward, returned=True)
    assert submit(other).ticket is None

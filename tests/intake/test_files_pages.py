"""The digitisation page, the scoped download, and the API of `/api/v1/dossiers/{code}/files/`."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from rest_framework.test import APIClient

from intake.file_services import dossier_file_upload
from intake.models import DossierFile
from tests.intake.test_files import (
    COMPONENTS,
    HTML,
    digitisable_dossier,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    stored_names,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(world):
    return digitisable_dossier(world)


def page_url(dossier):
    return reverse("intake:dossier-files", kwargs={"code": dossier.code})


def add(world, dossier, name="a.pdf", content=None, component=""):
    return dossier_file_upload(
        user=world.postal_worker,
        code=dossier.code,
        upload=upload(name, content or pdf_bytes()),
        component=component,
    )


# --- page -----------------------------------------------------------------------------------


def test_the_page_lists_the_checklist_and_offers_the_upload(world, dossier, client):
    add(world, dossier, component=COMPONENTS[0]["name"])
    client.force_login(world.postal_worker)
    response = client.get(page_url(dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="upload-form"' in html
    assert 'data-digitised="1"' in html and 'data-digitised="0"' in html
    assert "1/2" in html  # one of two components digitised
    assert 'enctype="multipart/form-data"' in html


def test_a_city_admin_reads_without_the_upload_form(world, dossier, client):
    add(world, dossier)
    client.force_login(world.city_admin)
    response = client.get(page_url(dossier))
    assert response.status_code == 200
    assert 'data-testid="upload-form"' not in response.content.decode()
    assert "a.pdf" in response.content.decode()


def test_uploading_from_the_page(world, dossier, client):
    client.force_login(world.postal_worker)
    form = client.get(page_url(dossier)).context["form"]
    response = client.post(
        page_url(dossier),
        {
            "component": COMPONENTS[1]["name"],
            "file": upload("giay-chung-sinh.jpg", jpeg_bytes(), "image/jpeg"),
            "request_id": form.initial["request_id"],
        },
    )
    assert response.status_code == 302
    file = DossierFile.objects.get(dossier=dossier)
    assert (file.component, file.content_type) == (COMPONENTS[1]["name"], "image/jpeg")
    page = client.get(response["Location"])
    assert "giay-chung-sinh.jpg" in page.content.decode()


def test_a_refused_upload_shows_the_reason_and_keeps_the_choice(world, dossier, client):
    client.force_login(world.postal_worker)
    before = stored_names()
    response = client.post(
        page_url(dossier),
        {
            "component": COMPONENTS[1]["name"],
            "file": upload("scan.pdf", HTML),
            "request_id": "6f1c2d1e-0000-4000-8000-000000000001",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "không phải PDF, JPEG hoặc PNG" in html
    assert response.context["form"]["component"].value() == COMPONENTS[1]["name"]
    assert stored_names() == before
    assert not DossierFile.objects.exists()


def test_a_missing_file_is_a_form_error(world, dossier, client):
    client.force_login(world.postal_worker)
    response = client.post(
        page_url(dossier), {"request_id": "6f1c2d1e-0000-4000-8000-000000000002"}
    )
    assert response.status_code == 400
    assert "Chọn tệp" in response.content.decode()


def test_superseding_from_the_page(world, dossier, client):
    file = add(world, dossier)
    client.force_login(world.officer)
    url = reverse(
        "intake:dossier-file-supersede", kwargs={"code": dossier.code, "file_id": file.pk}
    )
    empty = client.post(url, {"reason": "", "request_id": "6f1c2d1e-0000-4000-8000-000000000003"})
    assert empty.status_code == 400
    response = client.post(
        url, {"reason": "Nhầm trang", "request_id": "6f1c2d1e-0000-4000-8000-000000000004"}
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.superseded_reason == "Nhầm trang"
    assert "Đã thay thế" in client.get(page_url(dossier)).content.decode()


def test_the_page_query_count_does_not_grow_with_files(
    world, dossier, client, django_assert_max_num_queries
):
    client.force_login(world.postal_worker)
    add(world, dossier)
    with django_assert_max_num_queries(8) as few:
        client.get(page_url(dossier))
    for index in range(12):
        add(world, dossier, name=f"trang-{index}.png", content=png_bytes())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page_url(dossier))
    assert response.content.decode().count("trang-") == 12


# --- download -------------------------------------------------------------------------------


def download_url(dossier, file):
    return reverse("intake:dossier-file", kwargs={"code": dossier.code, "file_id": file.pk})


def test_the_download_has_the_sniffed_type_and_is_an_attachment(world, dossier, client):
    file = add(world, dossier, name="scan.pdf", content=png_bytes())  # a PNG named .pdf
    client.force_login(world.officer)
    response = client.get(download_url(dossier, file))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="scan.png"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == png_bytes()


def test_a_download_checks_scope(world, dossier, client):
    file = add(world, dossier)
    url = download_url(dossier, file)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for outsider in (world.other_postal_worker, world.other_chief, world.other_city_admin):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(world.city_admin)
    assert client.get(url).status_code == 200


def test_a_file_is_only_reached_through_its_own_dossier(world, dossier, client):
    from tests.intake.factories import DossierFactory

    file = add(world, dossier)
    other = DossierFactory(ward=world.ward)
    client.force_login(world.postal_worker)
    url = reverse("intake:dossier-file", kwargs={"code": other.code, "file_id": file.pk})
    assert client.get(url).status_code == 404


def test_no_public_media_url_serves_the_files(world, dossier, client):
    file = add(world, dossier)
    assert client.get("/media/" + file.storage_name).status_code == 404
    client.force_login(world.postal_worker)
    assert client.get("/media/" + file.storage_name).status_code == 404
    assert default_storage.exists(file.storage_name)


# --- API ------------------------------------------------------------------------------------


@pytest.fixture
def api():
    return APIClient()


def api_url(dossier):
    return reverse("dossier-file-list", kwargs={"code": dossier.code})


def test_api_upload_list_and_download(world, dossier, api):
    api.force_authenticate(world.postal_worker)
    response = api.post(
        api_url(dossier),
        {"file": upload("to-khai.pdf", pdf_bytes()), "component": COMPONENTS[0]["name"]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "application/pdf"
    assert body["component"] == COMPONENTS[0]["name"]
    assert body["current"] is True
    listing = api.get(api_url(dossier)).json()
    assert [item["id"] for item in listing["results"]] == [body["id"]]
    assert "next" in listing and "count" not in listing
    download = api.get(body["download"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf_bytes()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", HTML, "không phải PDF"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_api_refuses_a_wrong_file_with_400_and_stores_nothing(
    world, dossier, api, name, content, message
):
    api.force_authenticate(world.postal_worker)
    before = stored_names()
    response = api.post(api_url(dossier), {"file": upload(name, content)}, format="multipart")
    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert stored_names() == before
    assert not DossierFile.objects.exists()


def test_api_refuses_an_oversized_file(world, dossier, api, settings):
    settings.UPLOAD_MAX_BYTES = 500
    api.force_authenticate(world.postal_worker)
    response = api.post(
        api_url(dossier), {"file": upload("lon.pdf", pdf_bytes("z" * 600))}, format="multipart"
    )
    assert response.status_code == 400
    assert "vượt giới hạn" in response.json()["file"][0]
    assert not DossierFile.objects.exists()


def test_api_without_a_file_field_is_400(world, dossier, api):
    api.force_authenticate(world.postal_worker)
    response = api.post(api_url(dossier), {"component": ""}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()
    json_body = api.post(api_url(dossier), {"file": "x"}, format="json")
    assert json_body.status_code == 415


def test_api_scope(world, dossier, api):
    file = add(world, dossier)
    download = reverse("dossier-file-detail", kwargs={"code": dossier.code, "file_id": file.pk})
    assert api.get(api_url(dossier)).status_code in (401, 403)
    assert api.get(download).status_code in (401, 403)
    api.force_authenticate(world.other_officer)
    assert api.get(api_url(dossier)).status_code == 404
    assert api.get(download).status_code == 404
    assert (
        api.post(
            api_url(dossier), {"file": upload("a.pdf", pdf_bytes())}, format="multipart"
        ).status_code
        == 404
    )
    api.force_authenticate(world.city_admin)
    assert api.get(download).status_code == 200
    response = api.post(
        api_url(dossier), {"file": upload("a.pdf", pdf_bytes())}, format="multipart"
    )
    assert response.status_code == 403
    api.force_authenticate(world.postal_worker)
    missing = reverse("dossier-file-detail", kwargs={"code": dossier.code, "file_id": 999999})
    assert api.get(missing).status_code == 404
    assert api.get(reverse("dossier-file-list", kwargs={"code": "khong-co"})).status_code == 404


def test_api_supersede(world, dossier, api):
    file = add(world, dossier)
    url = reverse("dossier-file-supersede", kwargs={"code": dossier.code, "file_id": file.pk})
    api.force_authenticate(world.officer)
    assert api.post(url, {}, format="json").status_code == 400
    response = api.post(url, {"reason": "Quét thiếu trang"}, format="json")
    assert response.status_code == 200
    assert response.json()["current"] is False
    api.force_authenticate(world.city_admin)
    assert api.post(url, {"reason": "x"}, format="json").status_code == 403


def test_api_list_query_count_does_not_grow(world, dossier, api, django_assert_max_num_queries):
    api.force_authenticate(world.postal_worker)
    add(world, dossier)
    with django_assert_max_num_queries(6) as few:
        api.get(api_url(dossier))
    for index in range(10):
        add(world, dossier, name=f"{index}.pdf")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(api_url(dossier)).json()["results"]) == 11


def test_the_schema_documents_the_files_endpoints(world, api):
    api.force_authenticate(world.postal_worker)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/dossiers/{code}/files/" in paths
    upload_body = paths["/api/v1/dossiers/{code}/files/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload_body
    assert "/api/v1/dossiers/{code}/files/{file_id}/" in paths


def test_the_dossier_page_links_to_digitisation_and_names_the_upload(world, dossier, client):
    add(world, dossier, name="to-khai.pdf")
    client.force_login(world.postal_worker)
    html = client.get(reverse("intake:dossier-detail", kwargs={"code": dossier.code})).content
    html = html.decode()
    assert reverse("intake:dossier-files", kwargs={"code": dossier.code}) in html
    assert "Số hóa thành phần hồ sơ" in html
    assert ">upload<" not in html

"""English from the language switch: the catalog is complete and the busiest pages speak it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.intake.factories import DossierFactory

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")

# Labels of the header (navigation, sign-out, language switch) in Vietnamese: none may remain
# once a user has chosen English.
VIETNAMESE_HEADER = (
    "Trang chủ",
    "Tiếp nhận hồ sơ",
    "Trả kết quả",
    "Hồ sơ",
    "Phân công",
    "Nhập liệu",
    "Hướng dẫn",
    "Chuyển phát",
    "Tài liệu API",
    "Đăng xuất",
    "Bộ phận một cửa",
    "Ngôn ngữ",
    "Đổi",
    "Nhân viên bưu điện",
)
ENGLISH_NAV = ("Home", "Receive a dossier", "Dossiers", "Return results", "Sign out")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def html_lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def header(html: str) -> str:
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def assert_english_header(html: str) -> None:
    assert html_lang(html) == "en"
    top = header(html)
    for label in ENGLISH_NAV:
        assert label in top, label
    # The language picker names Vietnamese in Vietnamese, as language pickers do.
    top = top.replace("Tiếng Việt", "")
    for label in VIETNAMESE_HEADER:
        assert label not in top, label


# --- the catalog -----------------------------------------------------------------------------


def parse_catalog(text: str) -> list[dict[str, str]]:
    """Entries of a .po file: msgid, msgid_plural and every msgstr, with continuation lines."""
    entries, entry, field = [], None, None
    for line in text.splitlines():
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, field = None, None
            continue
        if line.startswith("#"):
            if entry is None:
                entry = {"flags": ""}
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            continue
        if entry is None:
            entry = {"flags": ""}
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if match:
            field = match.group(1)
            entry[field] = match.group(2)
        elif line.startswith('"') and field:
            entry[field] += line[1:-1]
    if entry:
        entries.append(entry)
    return [e for e in entries if e.get("msgid")]


def test_catalog_and_its_compiled_form_are_committed_together():
    assert CATALOG.exists()
    assert COMPILED.exists()
    assert COMPILED.stat().st_size > 10_000


def test_every_message_of_the_catalog_is_translated():
    entries = parse_catalog(CATALOG.read_text(encoding="utf-8"))
    assert len(entries) > 1000
    untranslated = [
        e["msgid"]
        for e in entries
        if any(not v.strip() for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []


DOCUMENT_NUMBER = re.compile(r"\b\d+(?:/\d{4})?/[A-ZĐ]+(?:-[A-ZĐ]+)+")


def test_no_translation_is_the_vietnamese_copied():
    vietnamese = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủũứừửữựỳỵỷỹ]", re.I)
    entries = parse_catalog(CATALOG.read_text(encoding="utf-8"))
    copied = [
        e["msgid"]
        for e in entries
        for key, value in e.items()
        # Legal references keep their official Vietnamese numbers (Decision 45/2016/QĐ-TTg,
        # Decree 09/2019/NĐ-CP).
        if key.startswith("msgstr")
        and vietnamese.search(DOCUMENT_NUMBER.sub("", value))
        and e["msgid"] != "Tiếng Việt"
    ]
    assert copied == []


def test_translations_keep_the_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sdr]|\{\w+(?::[^}]*)?\}|</?\w+[^>]*>")
    entries = parse_catalog(CATALOG.read_text(encoding="utf-8"))
    broken = []
    for e in entries:
        wanted = sorted(placeholder.findall(e.get("msgid_plural", e["msgid"])))
        for key, value in e.items():
            if key in ("msgstr", "msgstr[1]") and sorted(placeholder.findall(value)) != wanted:
                broken.append(e["msgid"])
    assert broken == []


def test_gettext_answers_in_english():
    with translation.override("en"):
        assert translation.gettext("Tiếp nhận hồ sơ") == "Receive a dossier"
        assert translation.gettext("Nhân viên bưu điện") == "Postal worker"
        assert translation.gettext("Giấy tiếp nhận hồ sơ và hẹn trả kết quả") == (
            "Dossier receipt and appointment slip"
        )
        assert translation.ngettext("%(n)s tệp", "%(n)s tệp", 3) % {"n": 3} == "3 files"
        assert translation.ngettext("%(n)s tệp", "%(n)s tệp", 1) % {"n": 1} == "1 file"
    with translation.override("vi"):
        assert translation.gettext("Tiếp nhận hồ sơ") == "Tiếp nhận hồ sơ"


# --- pages -----------------------------------------------------------------------------------


def test_login_page_in_english(client):
    html = english(client).get(reverse("login")).content.decode()
    assert html_lang(html) == "en"
    for text in ("<h1>Sign in</h1>", "Username", "Password", "Citizens look up their dossier"):
        assert text in html, text
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert text not in html, text


def test_wrong_password_message_in_english(world, client):
    response = english(client).post(
        reverse("login"), {"username": "postal.phuhoa", "password": "sai"}
    )
    assert "Incorrect username or password." in response.content.decode()


def test_login_page_stays_vietnamese_by_default(client):
    html = client.get(reverse("login")).content.decode()
    assert html_lang(html) == "vi"
    assert "<h1>Đăng nhập</h1>" in html
    assert "Sign in" not in html


def test_postal_workers_home_in_english(world, client):
    english(client).force_login(world.postal_worker)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_english_header(html)
    assert "Today's tasks" in html
    assert "Nhiệm vụ hôm nay" not in html


def test_postal_workers_home_stays_vietnamese_by_default(world, client):
    client.force_login(world.postal_worker)
    html = client.get(reverse("home")).content.decode()
    assert html_lang(html) == "vi"
    top = header(html)
    for label in ("Trang chủ", "Tiếp nhận hồ sơ", "Hồ sơ", "Trả kết quả", "Đăng xuất"):
        assert label in top, label
    for label in ENGLISH_NAV:
        assert label not in top, label


def test_dossier_list_in_english(world, client):
    DossierFactory(ward=world.ward, counter=world.postal_counter, received_by=world.postal_worker)
    english(client).force_login(world.officer)
    response = client.get(reverse("intake:dossier-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_english_header(html)
    for text in ("<h1>Dossiers</h1>", "Filter dossiers", "Dossier code", "Applicant", "Status"):
        assert text in html, text
    for text in ("Lọc hồ sơ", "Mã hồ sơ", "Người nộp", "Trạng thái"):
        assert text not in html, text


def test_intake_form_in_english(world, client):
    english(client).force_login(world.postal_worker)
    response = client.get(reverse("intake:receive"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_english_header(html)
    for text in ("1. Administrative procedure", "3. Applicant", "Citizen ID number", "Address"):
        assert text in html, text
    for text in ("Thủ tục hành chính", "Người nộp hồ sơ", "Số CCCD", "Địa chỉ"):
        assert text not in html, text


def test_intake_form_errors_in_english(world, client):
    english(client).force_login(world.postal_worker)
    response = client.post(reverse("intake:receive"), {"applicant_name": ""})
    html = response.content.decode()
    assert "The dossier has not been saved." in html
    assert "Hồ sơ chưa được lưu." not in html


def test_switching_language_with_the_header_form(world, client):
    client.force_login(world.officer)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert_english_header(client.get(reverse("intake:dossier-list")).content.decode())
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    html = client.get(reverse("intake:dossier-list")).content.decode()
    assert html_lang(html) == "vi"
    assert "Lọc hồ sơ" in html

"""The English catalogue: complete, compiled as committed, in step with the source,
and used when a user switches the interface to English.

The Chinese strings in the code and templates are the msgids; Chinese, the
default language, needs no catalogue. gettext (msgfmt, xgettext) is installed
by `make test`; `make messages` refreshes the catalogue after a string changes.
"""

import gettext
import json
import re
import secrets
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.app.conftest import Cast
from zhenggai.inspections.models import Category, Inspection, Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import ApiToken, Organisation, Role
from zhenggai.orgs.tokens import digest
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import ledger as services

SOURCE = Path(settings.LOCALE_PATHS[0]).parent  # src/zhenggai
PO = SOURCE / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Han characters and Chinese punctuation: none may be left in an English page.
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


@dataclass
class Entry:
    context: str | None
    msgid: str
    plural: str | None
    msgstr: list[str]
    flags: set[str]


def _quoted(lines: list[str]) -> str:
    """The value of a keyword's string lines, unescaped as gettext reads them."""
    text = "".join(line[line.index('"') + 1 : line.rindex('"')] for line in lines)
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file as makemessages writes it: one blank line between
    entries, each keyword's string on its own line or continued on the next."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        flags: set[str] = set()
        parts: dict[str, list[str]] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#~"):
                key = "obsolete"
                parts.setdefault(key, []).append(line)
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                parts[key].append(line)
            else:
                key = line.split(" ", 1)[0]
                parts.setdefault(key, []).append(line)
        assert "obsolete" not in parts, f"obsolete entry left in {path.name}: {block}"
        forms = sorted(k for k in parts if k.startswith("msgstr"))
        entries.append(
            Entry(
                context=_quoted(parts["msgctxt"]) if "msgctxt" in parts else None,
                msgid=_quoted(parts["msgid"]),
                plural=_quoted(parts["msgid_plural"]) if "msgid_plural" in parts else None,
                msgstr=[_quoted(parts[k]) for k in forms],
                flags=flags,
            )
        )
    return entries


def _keys(entries: list[Entry]) -> set[tuple[str | None, str]]:
    return {(e.context, e.msgid) for e in entries if e.msgid}


def _gettext_tool(name: str) -> str:
    program = shutil.which(name)
    assert program, f"{name} (gettext) is required by the test suite; `make test` installs it"
    return program


# ---- the committed catalogue ---------------------------------------------------------


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = read_po(PO)
    assert len(entries) > 100
    header, messages = entries[0], entries[1:]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: en" in header.msgstr[0]
    untranslated = [e.msgid for e in messages if not all(form.strip() for form in e.msgstr)]
    fuzzy = [e.msgid for e in messages if "fuzzy" in e.flags]
    still_chinese = [e.msgid for e in messages if any(CHINESE.search(f) for f in e.msgstr)]
    assert untranslated == [], "untranslated: translate them in the .po, then `make messages`"
    assert fuzzy == [], "fuzzy guesses: check each translation and remove its fuzzy flag"
    assert still_chinese == []


def test_every_translation_keeps_its_placeholders() -> None:
    wrong = [
        (e.msgid, form)
        for e in read_po(PO)[1:]
        for form in e.msgstr
        if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(e.msgid))
    ]
    assert wrong == []


def test_msgfmt_accepts_the_catalogue() -> None:
    """msgfmt's own checks: format strings, header, plural forms."""
    result = subprocess.run(
        [_gettext_tool("msgfmt"), "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


def test_the_committed_mo_holds_exactly_the_po(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run([_gettext_tool("msgfmt"), "-o", str(compiled), str(PO)], check=True)
    with MO.open("rb") as committed, compiled.open("rb") as fresh:
        # The parsed messages, which GNUTranslations keeps in an undeclared attribute.
        ours = vars(gettext.GNUTranslations(committed))["_catalog"]
        theirs = vars(gettext.GNUTranslations(fresh))["_catalog"]
    assert ours == theirs, "the .mo is stale: run `make messages`"


def test_the_catalogue_holds_every_string_of_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """makemessages, with the options of `make messages`, run on a copy of the source
    into an empty catalogue, finds exactly the committed catalogue's msgids."""
    _gettext_tool("xgettext")
    copy = tmp_path / "zhenggai"
    skipped = shutil.ignore_patterns("core", "demo_data", "migrations", "static", "__pycache__")
    shutil.copytree(SOURCE, copy, ignore=skipped)
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["en"],
        extensions=["html", "py"],
        ignore_patterns=["core", "demo_data", "migrations"],
        add_location="file",
        no_obsolete=True,
        verbosity=0,
    )
    found = _keys(read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    committed = _keys(read_po(PO))
    assert sorted(found - committed, key=str) == [], "new strings: run `make messages`"
    assert sorted(committed - found, key=str) == [], "strings gone: run `make messages`"


# ---- switching the interface to English ----------------------------------------------


def _in_ascii(cast: Cast) -> None:
    """The cast's own data renamed, so that what is left of Chinese in a page is the
    interface's."""
    for n, organisation in enumerate(Organisation.objects.order_by("pk")):
        organisation.name = f"Organisation {n}"
        organisation.save(update_fields=["name"])
    Inspection.objects.update(title="Inspection")
    Category.objects.update(title="Category")
    Problem.objects.update(title="Problem")
    Measure.objects.update(text="Measure")


def _chinese_in(page: str) -> list[str]:
    # The language switch names each language in that language.
    for code, _name in settings.LANGUAGES:
        page = page.replace(f">{translation.get_language_info(code)['name_local']}<", "><")
    return [page[max(0, m.start() - 40) : m.end() + 40] for m in CHINESE.finditer(page)]


def _english_client() -> Client:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("installed", [True, False], ids=["sign-in form", "setup needed"])
def test_the_login_page_is_chinese_by_default_and_english_when_switched(
    db: None, installed: bool
) -> None:
    """The sign-in form, and on an empty installation the page that says how to set it up."""
    if installed:
        Organisation.objects.create(name="县委巡察办", kind=Organisation.Kind.OFFICE)
    chinese = Client().get(reverse("web:login")).content.decode()
    assert ('name="password"' in chinese) is installed
    assert ("zhenggai setup" in chinese) is not installed
    page = _english_client().get(reverse("web:login"))
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()
    assert _chinese_in(page.content.decode()) == []


@pytest.mark.parametrize(
    "who",
    ["office", *(f"a_{role.value}" for role in Role if role != Role.INSPECTION_OFFICE)],
)
def test_the_home_page_of_every_role_has_no_chinese_in_english(cast: Cast, who: str) -> None:
    _in_ascii(cast)
    user = User.objects.get(username=who)
    client = _english_client()
    client.force_login(user)
    page = client.get(reverse("web:home"))
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()
    assert _chinese_in(page.content.decode()) == []
    chinese = Client()
    chinese.force_login(user)
    assert CHINESE.search(chinese.get(reverse("web:home")).content.decode())


# ---- refusals ------------------------------------------------------------------------


def test_a_refusal_is_chinese_by_default_and_english_when_asked(cast: Cast) -> None:
    person = cast.a.users[Role.RESPONSIBLE_PERSON]

    def sign_off() -> str:
        with pytest.raises(Refused) as refused:
            services.measure_move(
                actor=person, measure_id=cast.a.measure.pk, move="sign_off", data=MoveInput()
            )
        return str(refused.value)

    assert sign_off() == "只有第一责任人、责任领导可以销号"
    with translation.override("en"):
        assert sign_off() == (
            "Sign off: allowed only for First responsible person, Responsible leader."
        )
    assert Measure.objects.get(pk=cast.a.measure.pk).state == "not_started"


def test_a_refusal_names_the_state_in_english(cast: Cast) -> None:
    with translation.override("en"), pytest.raises(Refused) as refused:
        services.measure_move(
            actor=cast.a.users[Role.RESPONSIBLE_LEADER],
            measure_id=cast.a.measure.pk,
            move="sign_off",
            data=MoveInput(),
        )
    assert str(refused.value) == "Sign off: not possible while the state is “Not started”."


def test_not_found_is_english_too(cast: Cast) -> None:
    with translation.override("en"), pytest.raises(NotFound) as missing:
        services.measure_move(
            actor=cast.b.users[Role.RESPONSIBLE_PERSON],
            measure_id=cast.a.measure.pk,
            move="start",
            data=MoveInput(),
        )
    assert str(missing.value) == "Measure not found, or you may not view it."


def test_the_api_answers_in_the_language_the_client_accepts(cast: Cast) -> None:
    token = secrets.token_urlsafe(16)
    ApiToken.objects.create(user=cast.a.users[Role.RESPONSIBLE_PERSON], digest=digest(token))
    url = f"/api/measures/{cast.a.measure.pk}/moves/sign_off"

    def refusal(**language: str) -> str:
        headers = {"Authorization": f"Bearer {token}", **language}
        response = Client().post(url, {}, content_type="application/json", headers=headers)
        assert response.status_code == 409
        detail: str = response.json()["detail"]
        return detail

    assert refusal() == "只有第一责任人、责任领导可以销号"
    assert refusal(**{"Accept-Language": "en"}) == (
        "Sign off: allowed only for First responsible person, Responsible leader."
    )


@pytest.mark.parametrize(
    ("url", "charts"),
    [
        ("/cockpit/", 2),
        ("/cockpit/sections/departments/", 1),
        ("/cockpit/sections/categories/", 2),
        ("/cockpit/sections/types/", 1),
        ("/cockpit/sections/trend/", 2),
        ("/cockpit/tables/departments/", 0),
        ("/cockpit/measures/?overdue=1", 0),
    ],
)
def test_the_cockpit_has_no_chinese_in_english(cast: Cast, url: str, charts: int) -> None:
    """Its tables, its charts' JSON islands and its list: the figures' names included."""
    _in_ascii(cast)
    client = _english_client()
    client.force_login(cast.office_user)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert '<html lang="en">' in body
    assert _chinese_in(body) == []
    # json_script escapes non-ASCII: the charts' islands are read back to be sure.
    islands = re.findall(r'type="application/json">(.*?)</script>', body)
    assert len(islands) == charts
    for island in islands:
        assert not CHINESE.search(json.dumps(json.loads(island), ensure_ascii=False))

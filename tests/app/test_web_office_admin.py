"""The administration pages (web/admin_*.py) and one's own password (web/signin.py):
every page 404 to anyone but the office's administrators, another office's things
404 to them too, every button of the pages doing what it says, and the sheet of
one-time codes that a person uses on the first sign-in page."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.app.conftest import PASSWORD
from tests.app.office_support import Offices, actions, offices_fixture, workbook  # noqa: F401 - the offices fixture
from zhenggai.orgs.models import Membership, Organisation, Role
from zhenggai.services import people_import

pytestmark = pytest.mark.django_db

CODE = re.compile(r'<code class="code">([a-z0-9-]+)</code>')
NEW_PASSWORD = "Qiu-shi-2024!"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _signs_in(username: str, password: str) -> bool:
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def _pages(offices: Offices) -> list[str]:
    someone = offices.cast.a.users[Role.RESPONSIBLE_PERSON]
    return [
        reverse("web:admin_tree"),
        reverse("web:admin_people"),
        reverse("web:admin_person", args=[someone.pk]),
        reverse("web:admin_import"),
        reverse("web:admin_import_template"),
    ]


def test_every_page_is_404_to_anyone_but_an_administrator(offices: Offices) -> None:
    cast = offices.cast
    others = [cast.office_user, cast.a.users[Role.RECTIFICATION_OFFICE], cast.outsider]
    for url in _pages(offices):
        assert Client().get(url).status_code == 302
        assert _client(offices.admin).get(url).status_code == 200, url
        for user in [*others, offices.stranger]:
            client = _client(user)
            assert client.get(url).status_code == 404, (url, user)
            assert client.post(url, {"op": "create", "name": "x"}).status_code == 404


def test_another_office_s_administrator_gets_404_for_this_office_s_things(
    offices: Offices,
) -> None:
    cast, theirs = offices.cast, _client(offices.other_admin)
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    assert theirs.get(reverse("web:admin_person", args=[person.pk])).status_code == 404
    renamed = theirs.post(
        reverse("web:admin_tree"), {"op": "rename", "target": cast.a.org.pk, "name": "占领"}
    )
    assert renamed.status_code == 404
    deactivated = theirs.post(reverse("web:admin_people"), {"op": "codes", "person": [person.pk]})
    assert deactivated.status_code == 404
    people = theirs.get(reverse("web:admin_people")).content.decode()
    assert "a_responsible_person" not in people and "stranger" in people
    assert Organisation.objects.get(pk=cast.a.org.pk).name == "县融媒体中心"


def test_the_home_page_leads_only_the_administrator_to_the_administration(
    offices: Offices,
) -> None:
    link = f'href="{reverse("web:admin_tree")}"'
    assert link in _client(offices.admin).get("/").content.decode()
    assert link not in _client(offices.cast.office_user).get("/").content.decode()


def test_the_tree_page_adds_and_renames(offices: Offices) -> None:
    client, office = _client(offices.admin), offices.cast.office
    url = reverse("web:admin_tree")
    added = client.post(url, {"op": "add", "target": office.pk, "name": "县医保局"})
    assert added.status_code == 302
    unit = Organisation.objects.get(name="县医保局")
    client.post(url, {"op": "add", "target": unit.pk, "name": "财务科"})
    client.post(url, {"op": "rename", "target": unit.pk, "name": "县医疗保障局"})
    page = client.get(url).content.decode()
    assert "县医疗保障局" in page and "财务科" in page and "市图书馆" not in page
    refused = client.post(url, {"op": "add", "target": office.pk, "name": "县文旅局"})
    assert refused.status_code == 400 and "已有名为「县文旅局」" in refused.content.decode()


def test_a_new_person_s_code_is_shown_once_and_sets_their_password(offices: Offices) -> None:
    client = _client(offices.admin)
    sheet = client.post(
        reverse("web:admin_people"), {"op": "create", "name": "张三", "username": "zhangsan"}
    )
    assert sheet.status_code == 200 and sheet["Cache-Control"] == "no-store"
    body = sheet.content.decode()
    [code] = CODE.findall(body)
    assert "zhangsan" in body and "http://testserver/welcome/" in body
    visitor = Client()
    assert visitor.get(reverse("web:welcome")).status_code == 200
    form = {"username": "zhangsan", "code": code, "password1": "123", "password2": "123"}
    weak = visitor.post(reverse("web:welcome"), form)
    assert weak.status_code == 400 and "密码太短" in weak.content.decode()
    form |= {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    welcomed = visitor.post(reverse("web:welcome"), form)
    assert welcomed.status_code == 302 and visitor.get("/").status_code == 200
    again = Client().post(reverse("web:welcome"), form)
    assert again.status_code == 400 and "已使用" in again.content.decode()
    assert _signs_in("zhangsan", NEW_PASSWORD)


def test_codes_for_many_people_at_once(offices: Offices) -> None:
    a = offices.cast.a.users
    picked = [a[Role.RESPONSIBLE_PERSON].pk, a[Role.DISCIPLINE].pk]
    sheet = _client(offices.admin).post(
        reverse("web:admin_people"), {"op": "codes", "person": picked}
    )
    assert len(CODE.findall(sheet.content.decode())) == 2
    nobody = _client(offices.admin).post(reverse("web:admin_people"), {"op": "codes"})
    assert nobody.status_code == 400 and "请先选择人员" in nobody.content.decode()


def _person_post(offices: Offices, person: User, **data: object) -> int:
    url = reverse("web:admin_person", args=[person.pk])
    response = _client(offices.admin).post(url, data)
    return response.status_code


def test_the_person_page_s_buttons(offices: Offices) -> None:
    cast = offices.cast
    person = cast.a.users[Role.DISCIPLINE]
    assert _person_post(offices, person, op="rename", name="纪检 组长") == 302
    assert (
        _person_post(
            offices, person, op="grant", place=cast.b.department.pk, role="responsible_person"
        )
        == 302
    )
    granted = Membership.objects.get(user=person, organisation=cast.b.org)
    assert granted.department == cast.b.department
    assert _person_post(offices, person, op="grant", place=cast.office.pk, role="discipline") == 400
    assert _person_post(offices, person, op="revoke", membership=granted.pk) == 302
    assert _person_post(offices, person, op="administrator", administrator="1") == 302
    assert _person_post(offices, person, op="deactivate") == 302
    person.refresh_from_db()
    assert person.first_name == "纪检 组长" and not person.is_active
    page = _client(offices.admin).get(reverse("web:admin_person", args=[person.pk]))
    assert "恢复账号" in page.content.decode() and "停用账号" not in page.content.decode()
    assert _person_post(offices, person, op="reactivate") == 302
    reset = _client(offices.admin).post(
        reverse("web:admin_person", args=[person.pk]), {"op": "reset"}
    )
    assert len(CODE.findall(reset.content.decode())) == 1
    assert actions()[-7:] == [
        "person.rename",
        "membership.create",
        "membership.delete",
        "administrator.grant",
        "person.deactivate",
        "person.reactivate",
        "person.password_reset",
    ]


def test_the_administrator_s_own_page_has_no_button_against_themselves(offices: Offices) -> None:
    page = _client(offices.admin).get(reverse("web:admin_person", args=[offices.admin.pk]))
    body = page.content.decode()
    assert "停用账号" not in body and "取消系统管理员" not in body
    assert _person_post(offices, offices.admin, op="deactivate") == 400


def test_the_import_page_imports_a_good_file_and_shows_the_codes(offices: Offices) -> None:
    client = _client(offices.admin)
    template = client.get(reverse("web:admin_import_template"))
    assert template["Content-Type"].endswith("spreadsheetml.sheet")
    data = workbook([("张三", "zhangsan", "县融媒体中心", "新闻部", "责任人")])
    upload = SimpleUploadedFile("people.xlsx", data)
    sheet = client.post(reverse("web:admin_import"), {"file": upload})
    assert sheet.status_code == 200 and len(CODE.findall(sheet.content.decode())) == 1


def test_the_import_page_names_every_wrong_row(offices: Offices) -> None:
    data = workbook(
        [("", "a", "县融媒体中心", "", "责任人"), ("李四", "lisi", "县融媒体中心", "", "组长")]
    )
    upload = SimpleUploadedFile("people.xlsx", data)
    refused = _client(offices.admin).post(reverse("web:admin_import"), {"file": upload})
    body = refused.content.decode()
    assert refused.status_code == 400 and "未导入任何人员" in body
    assert "第 2 行：请填写姓名" in body and "第 3 行：角色「组长」不存在" in body
    assert not User.objects.filter(username="lisi").exists()


def test_the_import_page_refuses_a_file_too_large(offices: Offices) -> None:
    upload = SimpleUploadedFile("big.xlsx", b"0" * (people_import.MAX_BYTES + 1))
    refused = _client(offices.admin).post(reverse("web:admin_import"), {"file": upload})
    assert refused.status_code == 400 and "文件太大" in refused.content.decode()


def test_everyone_changes_their_own_password(offices: Offices) -> None:
    person = offices.cast.a.users[Role.RESPONSIBLE_PERSON]
    url = reverse("web:password_change")
    assert Client().get(url).status_code == 302
    client = _client(person)
    assert "修改密码" in client.get(url).content.decode()
    wrong = {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    refused = client.post(url, wrong)
    assert refused.status_code == 200 and "旧密码不正确" in refused.content.decode()
    weak = {
        "old_password": PASSWORD,
        "new_password1": "12345678901",
        "new_password2": "12345678901",
    }
    assert "密码只包含数字" in client.post(url, weak).content.decode()
    changed = client.post(url, wrong | {"old_password": PASSWORD})
    assert changed.status_code == 302
    assert client.get("/").status_code == 200  # still signed in
    assert _signs_in(person.username, NEW_PASSWORD)
    assert actions()[-1] == "person.password_change"


def test_the_lists_cost_the_same_queries_for_few_or_many(offices: Offices) -> None:
    client = _client(offices.admin)
    urls = [reverse("web:admin_people"), reverse("web:admin_tree")]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    few = counts()
    data = workbook(
        [(f"人员{n}", f"p{n}", "县文旅局", "办公室", "责任人、责任领导") for n in range(30)]
    )
    people_import.people_import(actor=offices.admin, data=data)
    for n in range(10):
        Organisation.objects.create(
            name=f"部门{n}", kind=Organisation.Kind.DEPARTMENT, parent=offices.cast.b.org
        )
    assert counts() == few

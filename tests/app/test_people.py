"""The office's administrators at work through the services (services/org_tree.py,
services/people.py): the tree, people, roles, deactivation and one-time sign-in
codes — each audited, each confined to the administrator's own office."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.app.conftest import PASSWORD
from tests.app.office_support import Offices, actions, offices_fixture  # noqa: F401 - the offices fixture
from zhenggai import access
from zhenggai.audit import chain
from zhenggai.audit.models import Event
from zhenggai.orgs.models import Account, Membership, Organisation, Role
from zhenggai.orgs.scope import roles_in
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import org_tree, people

pytestmark = pytest.mark.django_db


def _signs_in(username: str, password: str) -> bool:
    """Through the sign-in page, as a person would."""
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def test_the_administrator_adds_organisations_and_departments_under_the_office(
    offices: Offices,
) -> None:
    admin, office = offices.admin, offices.cast.office
    unit = org_tree.organisation_create(actor=admin, parent_id=office.pk, name=" 县医保局 ")
    department = org_tree.organisation_create(actor=admin, parent_id=unit.pk, name="办公室")
    assert (unit.name, unit.kind, unit.parent_id) == ("县医保局", "inspected", office.pk)
    assert (department.kind, department.parent_id) == ("department", unit.pk)
    assert actions()[-2:] == ["organisation.create", "organisation.create"]
    with pytest.raises(Refused, match="部门下不能再设"):
        org_tree.organisation_create(actor=admin, parent_id=department.pk, name="小组")
    with pytest.raises(Refused, match="已有名为「县医保局」"):
        org_tree.organisation_create(actor=admin, parent_id=office.pk, name="县医保局")


def test_a_rename_is_audited_with_the_name_before(offices: Offices) -> None:
    unit = offices.cast.a.org
    org_tree.organisation_rename(actor=offices.admin, organisation_id=unit.pk, name="县融媒体集团")
    unit.refresh_from_db()
    assert unit.name == "县融媒体集团"
    event = Event.objects.get(action="organisation.rename")
    assert (event.before, event.after, event.object_id) == (
        {"name": "县融媒体中心"},
        {"name": "县融媒体集团"},
        unit.pk,
    )
    assert event.actor_name == "admin"


def test_an_administrator_cannot_touch_another_office(offices: Offices) -> None:
    admin, elsewhere = offices.admin, offices.elsewhere
    with pytest.raises(NotFound):
        org_tree.organisation_create(actor=admin, parent_id=elsewhere.pk, name="办公室")
    with pytest.raises(NotFound):
        org_tree.organisation_rename(actor=admin, organisation_id=offices.other_office.pk, name="x")
    with pytest.raises(NotFound):
        people.person_rename(actor=admin, person_id=offices.stranger.pk, name="改名")
    with pytest.raises(NotFound):
        people.person_activate(actor=admin, person_id=offices.other_admin.pk, active=False)
    with pytest.raises(NotFound):
        people.codes_issue(actor=admin, person_ids=[offices.stranger.pk])
    someone = offices.cast.a.users[Role.RESPONSIBLE_PERSON]
    with pytest.raises(NotFound):
        people.membership_grant(
            actor=admin, person_id=someone.pk, place_id=elsewhere.pk, role=Role.DISCIPLINE
        )
    assert offices.stranger.first_name == User.objects.get(pk=offices.stranger.pk).first_name


@pytest.mark.parametrize(
    "who", ["office", "a_rectification_office", "a_first_responsible", "outsider", "stranger"]
)
def test_no_one_but_an_administrator_may_administer(offices: Offices, who: str) -> None:
    user = User.objects.get(username=who)
    assert not access.may_administer(user, offices.cast.office)
    with pytest.raises(NotFound):
        access.administered_office(user)
    with pytest.raises(NotFound):
        org_tree.organisation_create(actor=user, parent_id=offices.cast.office.pk, name="新单位")
    with pytest.raises(NotFound):
        people.person_create(actor=user, username="newcomer", name="新人")
    assert access.may_administer(offices.admin, offices.cast.office)
    assert not access.may_administer(offices.admin, offices.other_office)


def test_the_office_s_people_include_those_without_an_account_whose_roles_are_in_it(
    offices: Offices,
) -> None:
    cast = offices.cast
    person, office = access.person_for(offices.admin, cast.a.users[Role.RESPONSIBLE_PERSON].pk)
    assert office == cast.office and person.username == "a_responsible_person"
    with pytest.raises(NotFound):
        access.person_for(offices.admin, cast.outsider.pk)  # no role anywhere, no account
    with pytest.raises(NotFound):
        access.person_for(offices.other_admin, person.pk)


def test_a_new_person_gets_a_one_time_code_and_sets_their_own_password(offices: Offices) -> None:
    issued = people.person_create(actor=offices.admin, username="zhangsan", name="张三")
    person = User.objects.get(username="zhangsan")
    assert (person.first_name, person.account.office_id) == ("张三", offices.cast.office.pk)
    assert not person.has_usable_password()
    assert person.account.code_digest == people.digest(issued.code)
    assert issued.code not in str(list(Event.objects.values_list("after", flat=True)))
    with pytest.raises(Refused, match="密码太短"):
        people.password_set_by_code(username="zhangsan", code=issued.code, password="short")
    people.password_set_by_code(
        username="zhangsan", code=issued.code.upper().replace("-", " "), password="Qiu-shi-2024!"
    )
    assert _signs_in("zhangsan", "Qiu-shi-2024!")
    with pytest.raises(Refused, match="已使用"):
        people.password_set_by_code(username="zhangsan", code=issued.code, password="Another-1-2-3")
    assert actions()[-3:] == ["person.create", "person.password_reset", "person.password_set"]


def test_a_code_works_only_for_its_login_and_until_it_expires(offices: Offices) -> None:
    issued = people.person_create(actor=offices.admin, username="lisi", name="李四")
    with pytest.raises(Refused):
        people.password_set_by_code(username="zhangsan", code=issued.code, password="Qiu-shi-2024!")
    Account.objects.filter(user__username="lisi").update(
        code_expires=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(Refused, match="已过期"):
        people.password_set_by_code(username="lisi", code=issued.code, password="Qiu-shi-2024!")


def test_a_reset_stops_the_old_password_at_once(offices: Offices) -> None:
    person = offices.cast.a.users[Role.RESPONSIBLE_PERSON]
    assert _signs_in(person.username, PASSWORD)
    [issued] = people.codes_issue(actor=offices.admin, person_ids=[person.pk])
    assert not _signs_in(person.username, PASSWORD)
    assert issued.username == person.username and len(issued.code) == 19
    assert Account.objects.get(user=person).office_id == offices.cast.office.pk


def test_usernames_are_checked(offices: Offices) -> None:
    with pytest.raises(Refused, match="已被使用"):
        people.person_create(actor=offices.admin, username="A_Discipline", name="重名")
    with pytest.raises(Refused, match="登录名只能"):
        people.person_create(actor=offices.admin, username="有 空格", name="某人")
    with pytest.raises(Refused, match="请填写姓名"):
        people.person_create(actor=offices.admin, username="ok", name="  ")


def test_roles_sit_where_they_belong(offices: Offices) -> None:
    admin, cast = offices.admin, offices.cast
    made = people.person_create(actor=admin, username="wangwu", name="王五")
    person = User.objects.get(username=made.username)
    grant = people.membership_grant
    membership = grant(
        actor=admin, person_id=person.pk, place_id=cast.a.department.pk, role="responsible_person"
    )
    assert (membership.organisation_id, membership.department_id) == (
        cast.a.org.pk,
        cast.a.department.pk,
    )
    assert roles_in(person, cast.a.org.pk) == {Role.RESPONSIBLE_PERSON}
    with pytest.raises(Refused, match="只能设在巡察办"):
        grant(actor=admin, person_id=person.pk, place_id=cast.a.org.pk, role="inspection_office")
    with pytest.raises(Refused, match="不能设在巡察办"):
        grant(actor=admin, person_id=person.pk, place_id=cast.office.pk, role="discipline")
    with pytest.raises(Refused, match="已有「责任人」角色"):
        grant(actor=admin, person_id=person.pk, place_id=cast.a.org.pk, role="responsible_person")
    people.membership_revoke(actor=admin, membership_id=membership.pk)
    assert not Membership.objects.filter(user=person).exists()
    revoked = Event.objects.get(action="membership.delete")
    assert revoked.before is not None and revoked.before["role"] == "responsible_person"


def test_a_deactivated_person_cannot_sign_in_and_is_kept(offices: Offices) -> None:
    person = offices.cast.a.users[Role.RESPONSIBLE_LEADER]
    signed_in = Client()
    signed_in.force_login(person)
    people.person_activate(actor=offices.admin, person_id=person.pk, active=False)
    assert not _signs_in(person.username, PASSWORD)
    refused = Client().post("/login/", {"username": person.username, "password": PASSWORD})
    assert refused.status_code == 200 and "用户名或密码不正确" in refused.content.decode()
    assert signed_in.get("/").status_code == 302  # the session it had ends too
    assert Membership.objects.filter(user=person).exists()  # history and roles kept
    with pytest.raises(Refused, match="已停用"):
        people.codes_issue(actor=offices.admin, person_ids=[person.pk])
    people.person_activate(actor=offices.admin, person_id=person.pk, active=True)
    assert _signs_in(person.username, PASSWORD)
    assert actions()[-2:] == ["person.deactivate", "person.reactivate"]


def test_an_administrator_neither_deactivates_nor_demotes_themselves(offices: Offices) -> None:
    admin = offices.admin
    with pytest.raises(Refused, match="不能停用自己"):
        people.person_activate(actor=admin, person_id=admin.pk, active=False)
    with pytest.raises(Refused, match="不能更改自己"):
        people.administrator_set(actor=admin, person_id=admin.pk, administrator=False)


def test_an_administrator_makes_another(offices: Offices) -> None:
    colleague = offices.cast.office_user
    people.administrator_set(actor=offices.admin, person_id=colleague.pk, administrator=True)
    assert access.administered_office(colleague) == offices.cast.office
    people.administrator_set(actor=offices.admin, person_id=colleague.pk, administrator=False)
    with pytest.raises(NotFound):
        access.administered_office(colleague)
    assert actions()[-2:] == ["administrator.grant", "administrator.revoke"]


def test_a_deactivated_administrator_administers_nothing(offices: Offices) -> None:
    User.objects.filter(pk=offices.admin.pk).update(is_active=False)
    admin = User.objects.get(pk=offices.admin.pk)
    assert not access.may_administer(admin, offices.cast.office)
    with pytest.raises(NotFound):
        org_tree.organisation_create(actor=admin, parent_id=offices.cast.office.pk, name="x")


def test_one_s_own_password_change_is_audited_without_the_password(offices: Offices) -> None:
    person = offices.cast.a.users[Role.DISCIPLINE]
    people.password_changed(user=person, password="Qiu-shi-2024!")
    assert _signs_in(person.username, "Qiu-shi-2024!")
    event = Event.objects.get(action="person.password_change")
    assert event.actor_id == person.pk and "password" not in str(event.after)
    assert chain.verify() is None


def test_the_names_of_people_and_places_are_trimmed(offices: Offices) -> None:
    unit = org_tree.organisation_create(
        actor=offices.admin, parent_id=offices.cast.office.pk, name="  县  水利局 "
    )
    assert unit.name == "县 水利局"
    assert Organisation.objects.filter(name="县 水利局").count() == 1

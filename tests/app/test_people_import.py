"""Importing people from an .xlsx (services/people_import.py): the template, a good
file imported whole with a code per person, a file with any wrong row refused whole
with every row's error, and the limits on size and rows."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import User

from tests.app.office_support import Offices, actions, offices_fixture, workbook  # noqa: F401 - the offices fixture
from zhenggai.audit.models import Event
from zhenggai.orgs.models import Account, Membership, Role
from zhenggai.orgs.scope import roles_in
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import people_import
from zhenggai.services.people_import import ImportRefused
from zhenggai.services.people_import import people_import as import_people

pytestmark = pytest.mark.django_db

GOOD = [
    ("张三", "zhangsan", "县融媒体中心", "新闻部", "责任人"),
    ("张三", "zhangsan", "县融媒体中心", "", "责任领导"),
    ("李四", "lisi", "县文旅局", "", "整改办公室、第一责任人"),
    ("王五", "wangwu", "县委巡察办", "", "巡察办"),
    (None, None, None, None, None),  # a blank row is skipped
    ("赵六", 20240001, "县文旅局", "办公室", "责任人"),
]


def test_the_template_has_the_columns_and_the_office_s_places(offices: Offices) -> None:
    book = openpyxl.load_workbook(io.BytesIO(people_import.template(offices.cast.office.pk)))
    first = book.worksheets[0]
    assert [c.value for c in first[1]] == list(people_import.COLUMNS)
    told = [tuple(row) for row in book["说明"].iter_rows(values_only=True)]
    assert ("县融媒体中心", "新闻部") in told and ("县文旅局", "办公室") in told
    assert not any("市图书馆" in str(row) for row in told)  # another office's


def test_a_good_file_is_imported_whole(offices: Offices) -> None:
    cast = offices.cast
    issued = import_people(actor=offices.admin, data=workbook(GOOD))
    assert [i.username for i in issued] == ["zhangsan", "lisi", "wangwu", "20240001"]
    zhang = User.objects.get(username="zhangsan")
    assert zhang.first_name == "张三" and not zhang.has_usable_password()
    assert roles_in(zhang, cast.a.org.pk) == {Role.RESPONSIBLE_PERSON, Role.RESPONSIBLE_LEADER}
    assert Membership.objects.get(user=zhang, role="responsible_person").department == (
        cast.a.department
    )
    assert roles_in(User.objects.get(username="lisi"), cast.b.org.pk) == {
        Role.RECTIFICATION_OFFICE,
        Role.FIRST_RESPONSIBLE,
    }
    assert Account.objects.filter(office=cast.office, user__username="wangwu").exists()
    assert actions().count("person.import") == 4
    assert actions().count("membership.create") == 6
    assert actions().count("person.password_reset") == 4


def test_a_file_with_wrong_rows_is_refused_whole_row_by_row(offices: Offices) -> None:
    bad = [
        *GOOD[:2],
        ("", "nobody", "县融媒体中心", "", "责任人"),  # row 4: no name
        ("钱七", "a_discipline", "县融媒体中心", "", "责任人"),  # 5: login taken
        ("孙八", "sunba", "不存在的单位", "", "责任人"),  # 6
        ("周九", "zhoujiu", "县文旅局", "新闻中心", "责任人"),  # 7: no such department
        ("吴十", "wushi", "县文旅局", "", "组长"),  # 8: no such role
        ("郑一", "zhengyi", "县文旅局", "", "巡察办"),  # 9: the office's role elsewhere
        ("张叁", "zhangsan", "县文旅局", "", "责任人"),  # 10: another name for zhangsan
        ("张三", "zhangsan", "县融媒体中心", "新闻部", "责任人"),  # 11: a repeat
        ("冯二", "feng er", "县文旅局", "", "责任人"),  # 12: a space in the login
        ("陈三", "chensan", "市图书馆", "", "责任人"),  # 13: another office's
    ]
    before = User.objects.count(), Event.objects.count()
    with pytest.raises(ImportRefused) as refused:
        import_people(actor=offices.admin, data=workbook(bad))
    errors = refused.value.errors
    assert [e.split("：", 1)[0] for e in errors] == [f"第 {n} 行" for n in range(4, 14)]
    assert "请填写姓名" in errors[0] and "已被使用" in errors[1]
    assert "不在本巡察办" in errors[2] and "没有名为「新闻中心」的部门" in errors[3]
    assert "角色「组长」不存在" in errors[4] and "只能设在巡察办" in errors[5]
    assert "第 2 行的姓名是「张三」" in errors[6] and "重复" in errors[7]
    assert "登录名只能" in errors[8] and "不在本巡察办" in errors[9]
    assert "10 处错误" in str(refused.value)
    assert (User.objects.count(), Event.objects.count()) == before  # nothing half-imported


def test_a_file_without_the_columns_is_refused(offices: Offices) -> None:
    with pytest.raises(Refused, match="第 1 行缺少列：部门、角色"):
        import_people(
            actor=offices.admin,
            data=workbook([("张三", "zs", "县文旅局")], ["姓名", "登录名", "单位"]),
        )
    with pytest.raises(Refused, match="没有要导入的人员"):
        import_people(actor=offices.admin, data=workbook([]))
    with pytest.raises(Refused, match="无法读取该文件"):
        import_people(actor=offices.admin, data=b"not a spreadsheet")


def test_a_file_over_the_size_limit_is_refused_unread(offices: Offices) -> None:
    data = b"PK" + b"\0" * people_import.MAX_BYTES
    with pytest.raises(Refused, match="文件太大"):
        import_people(actor=offices.admin, data=data)


def test_a_file_over_the_row_limit_is_refused(offices: Offices) -> None:
    rows = [
        (f"人员{n}", f"person{n}", "县文旅局", "", "责任人")
        for n in range(people_import.MAX_ROWS + 1)
    ]
    with pytest.raises(Refused, match=f"一次最多导入 {people_import.MAX_ROWS} 行"):
        import_people(actor=offices.admin, data=workbook(rows))
    assert not User.objects.filter(username__startswith="person").exists()
    at_the_limit = workbook(rows[: people_import.MAX_ROWS])
    assert len(people_import.read_rows(at_the_limit)) == people_import.MAX_ROWS


def test_only_an_administrator_imports(offices: Offices) -> None:
    with pytest.raises(NotFound):
        import_people(actor=offices.cast.office_user, data=workbook(GOOD))
    with pytest.raises(ImportRefused):  # another office's places are not theirs
        import_people(actor=offices.other_admin, data=workbook(GOOD))

"""Importing an office's people from an .xlsx: the template the page offers, reading
a filled one, and the import itself — every row checked first, and the whole file
refused, row by row, when any is wrong: nothing is half imported.

One row is one role of one person (姓名, 登录名, 单位, 部门, 角色); a person with
several roles has several rows with the same 登录名 and 姓名, or several roles in
one cell separated by 「、」. The names of the columns and of the roles are the
Chinese ones whatever the language of the page: the sheet is data.

An uploaded file is untrusted: its size, the size of what it unpacks to and its
number of rows are limited before anything else is read, and openpyxl reads it in
read-only (streaming) mode.
"""

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import openpyxl
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from zhenggai import access
from zhenggai.audit.actions import Action
from zhenggai.orgs import selectors as org_selectors
from zhenggai.orgs.models import Organisation, Role
from zhenggai.refusals import Refused
from zhenggai.services import people

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED = 40 * 1024 * 1024  # what a file of MAX_BYTES may hold, and no zip bomb
MAX_ROWS = 1000
COLUMNS = ("姓名", "登录名", "单位", "部门", "角色")
SHEET = "人员"
ROLE_SEPARATORS = re.compile(r"[、，,；;/\s]+")
Kind = Organisation.Kind


class ImportRefused(Refused):
    """The file as a whole is refused; ``errors`` says why, row by row."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(
            _("文件中有 %(n)s 处错误，未导入任何人员；请改正后重新上传") % {"n": len(errors)}
        )
        self.errors = errors


@dataclass(frozen=True)
class Row:
    number: int  # as Excel numbers it: the headings are row 1
    values: dict[str, str]


@dataclass
class Person:
    """What the file asks for one login: the name and every (place, role)."""

    username: str
    name: str
    first_row: int
    roles: list[tuple[Organisation, Role]] = field(default_factory=list)


def role_names() -> dict[str, Role]:
    """Every role by its Chinese name."""
    with translation.override("zh-hans"):
        return {str(role.label): role for role in Role}


# --- The template ---------------------------------------------------------------------


def template(office_id: int) -> bytes:
    """An .xlsx with the columns to fill (first sheet) and, on a second sheet, the
    office's organisations and departments and the roles, as they must be written."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDE", (12, 16, 24, 16, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    help_sheet = book.create_sheet("说明")
    with translation.override("zh-hans"):
        for line in _help_lines(office_id):
            help_sheet.append(line)
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _help_lines(office_id: int) -> Iterator[list[str]]:
    yield ["填写说明", "每行一位人员的一个角色；同一人有多个角色可写多行，或在角色中用「、」分隔"]
    yield ["登录名", "字母、数字和 @ . + - _，不能与已有的登录名相同"]
    yield ["单位", "填写下列单位之一；部门可不填"]
    yield ["角色", "、".join(role_names())]
    yield ["「巡察办」角色", "只能设在巡察办本身；其他角色设在被巡察单位或其部门"]
    yield []
    yield ["单位", "部门"]
    unit = ""
    for organisation in org_selectors.office_tree(office_id):
        if organisation.kind == Kind.DEPARTMENT:
            yield [unit, organisation.name]
        else:
            unit = organisation.name
            yield [unit, ""]


# --- Reading the file -------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _open(data: bytes) -> openpyxl.Workbook:
    if len(data) > MAX_BYTES:
        raise Refused(_("文件太大：不能超过 %(mb)s MB") % {"mb": MAX_BYTES // 1024 // 1024})
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED:
            raise Refused(_("文件解压后太大，无法读取"))
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Refused(_("无法读取该文件：请上传由模板填写的 Excel（.xlsx）文件")) from None


def read_rows(data: bytes) -> list[Row]:
    """The filled rows of the first sheet, by the headings of its first row; blank rows
    are skipped. Refused when the file is too large, has too many rows, or lacks a
    column."""
    book = _open(data)
    try:
        sheet = book.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        headings = [_text(v) for v in next(lines, ())]
        missing = [c for c in COLUMNS if c not in headings]
        if missing:
            raise Refused(_("第 1 行缺少列：%(columns)s") % {"columns": "、".join(missing)})
        where = {c: headings.index(c) for c in COLUMNS}
        rows: list[Row] = []
        for number, line in enumerate(lines, start=2):
            cells = [_text(v) for v in line]
            if not any(cells):
                continue
            if len(rows) == MAX_ROWS:
                raise Refused(_("行数太多：一次最多导入 %(n)s 行") % {"n": MAX_ROWS})
            values = {c: cells[i] if i < len(cells) else "" for c, i in where.items()}
            rows.append(Row(number, values))
    finally:
        book.close()
    if not rows:
        raise Refused(_("文件中没有要导入的人员"))
    return rows


# --- Checking every row ---------------------------------------------------------------


class _Checker:
    """Turns rows into people, collecting every row's errors."""

    def __init__(self, tree: list[Organisation]) -> None:
        self.errors: list[str] = []
        self.people: dict[str, Person] = {}
        self.roles = role_names()
        office = tree[0]
        self.units = {o.name: o for o in tree if o.kind != Kind.DEPARTMENT}
        self.departments = {(o.parent_id, o.name): o for o in tree if o.kind == Kind.DEPARTMENT}
        self.office = office

    def fail(self, row: Row, message: str) -> None:
        self.errors.append(
            _("第 %(row)s 行：%(message)s") % {"row": row.number, "message": message}
        )

    def row(self, row: Row) -> None:
        name, username = row.values["姓名"], row.values["登录名"]
        person = self._person(row, name, username)
        place = self._place(row)
        roles = self._roles(row)
        if person is None or place is None or roles is None:
            return
        for role in roles:
            try:
                people.placed(place, role)
            except Refused as refusal:
                self.fail(row, str(refusal))
                continue
            if any(p.pk == place.pk and r == role for p, r in person.roles):
                self.fail(row, _("与前面的行重复（同一人、同一单位、同一角色）"))
                continue
            person.roles.append((place, role))

    def _person(self, row: Row, name: str, username: str) -> Person | None:
        try:
            name = people.clean_person_name(name)
            known = self.people.get(username.strip().lower())
            if known is None:
                username = people.clean_username(username)
        except Refused as refusal:
            self.fail(row, str(refusal))
            return None
        if known is None:
            known = self.people[username.lower()] = Person(username, name, row.number)
        elif known.name != name:
            self.fail(
                row,
                _("登录名「%(username)s」在第 %(first)s 行的姓名是「%(name)s」，两处不一致")
                % {"username": known.username, "first": known.first_row, "name": known.name},
            )
            return None
        return known

    def _place(self, row: Row) -> Organisation | None:
        unit_name, department_name = row.values["单位"], row.values["部门"]
        unit = self.units.get(unit_name)
        if not unit_name:
            self.fail(row, _("请填写单位"))
        elif unit is None:
            self.fail(row, _("单位「%(name)s」不在本巡察办的单位中") % {"name": unit_name})
        elif department_name:
            department = self.departments.get((unit.pk, department_name))
            if department is None:
                self.fail(
                    row,
                    _("「%(unit)s」没有名为「%(name)s」的部门")
                    % {"unit": unit_name, "name": department_name},
                )
            return department
        return unit

    def _roles(self, row: Row) -> list[Role] | None:
        written = [n for n in ROLE_SEPARATORS.split(row.values["角色"]) if n]
        if not written:
            self.fail(row, _("请填写角色"))
            return None
        unknown = [n for n in written if n not in self.roles]
        if unknown:
            self.fail(
                row,
                _("角色「%(names)s」不存在，可填：%(known)s")
                % {"names": "、".join(unknown), "known": "、".join(self.roles)},
            )
            return None
        return [self.roles[n] for n in written]


def check(tree: list[Organisation], rows: list[Row]) -> list[Person]:
    """The people the rows make; ImportRefused with every row's error if any is wrong."""
    checker = _Checker(tree)
    for row in rows:
        checker.row(row)
    if checker.errors:
        raise ImportRefused(checker.errors)
    return list(checker.people.values())


def people_import(*, actor: User, data: bytes) -> list[people.Issued]:
    """The file's people made in the actor's office, with their roles and a one-time
    sign-in code each (in the order of the file); all or nothing."""
    rows = read_rows(data)
    with transaction.atomic():
        office = access.administered_office(actor)
        tree = org_selectors.office_tree(office.pk)
        issued = []
        for wanted in check(tree, rows):
            person = people.person_add(
                actor=actor,
                office=office,
                username=wanted.username,
                name=wanted.name,
                action=Action.PERSON_IMPORT,
            )
            for place, role in wanted.roles:
                people.grant(actor=actor, person=person, place=place, role=role)
            issued.append(people.issue_code(actor=actor, person=person, office=office))
    return issued

"""The forms of the office's administration pages and of setting one's own password.

They check only the shape of what was typed; the rules (a name taken, a role in the
wrong place, a password the validators refuse) are the services', which say why.
"""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from zhenggai.orgs.models import Organisation, Role
from zhenggai.services import people_import
from zhenggai.web.plan_forms import PageForm

Kind = Organisation.Kind


def place_choices(tree: list[Organisation]) -> list[tuple[int, str]]:
    """The office, its organisations and their departments, as a select shows them:
    a department after its organisation, named with it."""
    names = {o.pk: o.name for o in tree}
    return [
        (
            o.pk,
            f"{names.get(o.parent_id or 0, '')} / {o.name}"
            if o.kind == Kind.DEPARTMENT
            else o.name,
        )
        for o in tree
    ]


class NameForm(PageForm):
    name = forms.CharField(label=_("名称"), max_length=200)


class PersonForm(PageForm):
    name = forms.CharField(label=_("姓名"), max_length=150)
    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        help_text=_("字母、数字和 @ . + - _，登录时使用"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "aria-describedby": "username-help"}),
    )


class PersonNameForm(PageForm):
    name = forms.CharField(label=_("姓名"), max_length=150)


class RoleForm(PageForm):
    place = forms.TypedChoiceField(label=_("单位或部门"), coerce=int)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)

    def __init__(self, *args: Any, tree: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choose("place", place_choices(tree))


class ImportForm(PageForm):
    file = forms.FileField(
        label=_("人员名单（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "aria-describedby": "file-help"}),
        error_messages={"empty": _("文件是空的"), "required": _("请选择要上传的文件")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > people_import.MAX_BYTES:
            raise forms.ValidationError(
                _("文件太大：不能超过 %(mb)s MB") % {"mb": people_import.MAX_BYTES // 1024 // 1024}
            )
        return upload


class WelcomeForm(PageForm):
    """Setting one's password with the one-time code the administrator handed out."""

    username = forms.CharField(
        label=_("登录名"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("一次性登录码"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )
    password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "password1"
        ].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data

"""The API's error answers, in the user's language (Chinese by default): every refusal is a
{"detail": …} the user can read."""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Pydantic's error types, as a clerk would say them.
_TYPES = {
    "missing": _("缺少该项"),
    "date_parsing": _("日期格式应为 YYYY-MM-DD"),
    "date_from_datetime_parsing": _("日期格式应为 YYYY-MM-DD"),
    "date_type": _("日期格式应为 YYYY-MM-DD"),
    "int_parsing": _("应为整数"),
    "int_type": _("应为整数"),
    "float_parsing": _("应为数字"),
    "bool_parsing": _("应为 true 或 false"),
    "string_type": _("应为文本"),
    "string_too_long": _("内容过长"),
    "string_too_short": _("内容过短"),
    "literal_error": _("取值不在允许的范围内"),
    "enum": _("取值不在允许的范围内"),
    "greater_than": _("数值过小"),
    "greater_than_equal": _("数值过小"),
    "less_than_equal": _("数值过大"),
    "json_invalid": _("不是有效的 JSON"),
    "model_attributes_type": _("请求体格式不正确"),
    "dict_type": _("应为对象"),
    "decimal_parsing": _("应为数字"),
}


def _where(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or gettext("请求")


def describe(errors: list[dict[str, Any]]) -> str:
    """One line per field, e.g. 「new_deadline：日期格式应为 YYYY-MM-DD」."""
    lines = [
        gettext("%(field)s：%(problem)s")
        % {
            "field": _where(error.get("loc", ())),
            "problem": _TYPES.get(str(error.get("type")), _("格式不正确")),
        }
        for error in errors[:10]
    ]
    # Translators: the separator between the lines of a list of errors.
    return gettext("请求数据不正确：%(errors)s") % {"errors": gettext("；").join(lines)}

"""The API's error answers, in Chinese: every refusal is a {"detail": …} the user can read."""

from typing import Any

# Pydantic's error types, as a clerk would say them.
_TYPES = {
    "missing": "缺少该项",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_long": "内容过长",
    "string_too_short": "内容过短",
    "literal_error": "取值不在允许的范围内",
    "enum": "取值不在允许的范围内",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "请求体格式不正确",
    "dict_type": "应为对象",
    "decimal_parsing": "应为数字",
}


def _where(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "请求"


def describe(errors: list[dict[str, Any]]) -> str:
    """One line per field, e.g. 「new_deadline：日期格式应为 YYYY-MM-DD」."""
    lines = [
        f"{_where(error.get('loc', ()))}：{_TYPES.get(str(error.get('type')), '格式不正确')}"
        for error in errors[:10]
    ]
    return "请求数据不正确：" + "；".join(lines)

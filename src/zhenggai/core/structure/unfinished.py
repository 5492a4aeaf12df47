"""Unfinished items: 存在问题 / 未完成整改原因 / 下一步整改措施 / 整改时限."""

from zhenggai.core.dates import read_date
from zhenggai.core.model import ParseWarning, UnfinishedItem
from zhenggai.core.structure.body import UNFINISHED_LABELS
from zhenggai.core.structure.paragraphs import Para, read_marker
from zhenggai.core.structure.titles import is_problem_intro, problem_title


def make_item(title: str | None, fields: dict[str, str]) -> UnfinishedItem:
    deadline = fields.get("deadline")
    return UnfinishedItem(
        problem=title,
        situation=fields.get("situation"),
        reason=fields.get("reason"),
        next_steps=fields.get("next_steps"),
        deadline=read_date(deadline) if deadline else None,
        deadline_text=deadline,
    )


def _field(text: str) -> tuple[str, str] | None:
    for key, pattern in UNFINISHED_LABELS.items():
        match = pattern.match(text)
        if match:
            return key, text[match.end() :].strip()
    return None


def read_unfinished(
    paras: list[Para],
) -> tuple[list[UnfinishedItem], list[Para], list[ParseWarning]]:
    """Items of an unfinished-items section; other text is returned to be kept."""
    items: list[tuple[str | None, dict[str, str]]] = []
    kept: list[Para] = []
    warnings: list[ParseWarning] = []
    for para in paras:
        field = _field(para.text)
        marker = read_marker(para.text)
        heading = marker.rest if marker else para.text
        if field is not None:
            if not items:
                warnings.append(
                    ParseWarning(para.where, para.text, "未完成事项的字段之前没有问题标题")
                )
                items.append((None, {}))
            key, value = field
            fields = items[-1][1]
            fields[key] = f"{fields[key]}\n{value}" if key in fields else value
        elif is_problem_intro(heading) or marker is not None:
            items.append((problem_title(heading), {}))
        elif items and items[-1][1]:
            last_key = list(items[-1][1])[-1]
            items[-1][1][last_key] += "\n" + para.text
        else:
            kept.append(para)
    return [make_item(title, fields) for title, fields in items], kept, warnings

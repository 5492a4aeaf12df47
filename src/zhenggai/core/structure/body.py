"""What stands under a problem: its description, its measures, its open ends.

Progress reports label the block (整改进展情况：, 主要做法, 整改措施：) or not at
all; measures are enumerated inline (一是…二是…), one per paragraph, or
numbered. Plans add ledger fields (责任领导：…); bulletins add the fields of an
unfinished problem (未完成整改原因：…).
"""

import re
from dataclasses import dataclass, field

from zhenggai.core.dates import read_date
from zhenggai.core.model import Measure
from zhenggai.core.structure import enumeration
from zhenggai.core.structure.paragraphs import Para, read_marker


def _label(*names: str) -> re.Pattern[str]:
    return re.compile(rf"^(?:{'|'.join(names)})\s*(?:[:：]\s*|$)")


MEASURE_LABEL = _label(
    "整改落实情况",
    "整改进展情况",
    "整改完成情况",
    "整改推进情况",
    "整改情况",
    "整改措施",
    "主要做法",
    "具体做法",
    "主要措施",
    "具体措施",
    "落实情况",
    "进展情况",
    "完成情况",
)
DESCRIPTION_LABEL = _label(
    "问题表现", "具体表现(?:为|在)?", "主要表现(?:为|在)?", "问题描述", "具体问题"
)
TARGET_LABEL = _label("整改目标")
UNFINISHED_LABELS = {
    "situation": _label("存在问题", "存在的问题"),
    "reason": _label("未完成整改(?:的)?原因", "未完成(?:的)?原因", "未完成整改情况及原因"),
    "next_steps": _label(
        "下一步整改措施", "下一步工作措施", "下一步措施", "下步整改措施", "下步措施"
    ),
    "deadline": _label("整改时限", "完成时限", "计划完成时间", "整改期限"),
}
FIELD_LABELS = {
    "leader": _label("责任领导", "牵头领导", "分管领导", "责任校领导"),
    "department": _label("责任单位", "责任部门", "牵头单位", "牵头部门", "责任科室", "责任股室"),
    "person": _label("责任人", "具体责任人"),
}
_FUTURE = re.compile(r"^(?:我们将|下一步|今后|接下来)")


@dataclass
class Body:
    description: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    target: str | None = None
    measures: list[Measure] = field(default_factory=list)
    remarks: list[Para] = field(default_factory=list)
    unfinished: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


def _strip(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.match(text)
    return text[match.end() :].strip() if match else None


def _has_unfinished(paras: list[Para]) -> bool:
    keys = ("reason", "next_steps")
    return any(UNFINISHED_LABELS[key].match(p.text) for p in paras for key in keys)


class _Reader:
    def __init__(self, paras: list[Para], describes: bool) -> None:
        self.paras = paras
        self.describes = describes  # a feedback document: bodies describe, not report
        self.unfinished = _has_unfinished(paras)
        self.labelled = any(MEASURE_LABEL.match(p.text) for p in paras)
        self.body = Body()
        self.in_measures = False
        self.number = 0  # last enumeration number reached

    def read(self) -> Body:
        for para in self.paras:
            self._one(para)
        self._apply_fields()
        return self.body

    def _one(self, para: Para) -> None:
        text = para.text
        if self.describes:
            # a feedback names no measures, owners or deadlines: every line describes
            label = DESCRIPTION_LABEL.match(text)
            described = text[label.end() :].strip() if label else text
            if described:
                self.body.description.append(described)
            return
        if self._fields(text):
            return
        rest = _strip(MEASURE_LABEL, text)
        if rest is not None:
            self.in_measures = True
            if rest:
                self._measures(rest)
            return
        if self.in_measures and self.body.measures and _FUTURE.match(text):
            self.body.remarks.append(para)
        elif not self.in_measures and self.labelled:
            self.body.description.append(text)
        else:
            self.in_measures = True
            self._measures(text)

    def _fields(self, text: str) -> bool:
        for key, pattern in UNFINISHED_LABELS.items():
            value = _strip(pattern, text)
            if value is not None and self.unfinished:
                self.body.unfinished[key] = value
                return True
        for key, pattern in FIELD_LABELS.items():
            value = _strip(pattern, text)
            if value is not None:
                self.body.fields[key] = value
                return True
        deadline = _strip(UNFINISHED_LABELS["deadline"], text)
        if deadline is not None:
            self.body.fields["deadline"] = deadline
            return True
        target = _strip(TARGET_LABEL, text)
        if target is not None:
            self.body.target = target
            return True
        description = _strip(DESCRIPTION_LABEL, text)
        if description is None:
            description = _strip(UNFINISHED_LABELS["situation"], text)
        if description is not None:
            self.body.description.append(description)
            return True
        return False

    def _measures(self, text: str) -> None:
        marker = read_marker(text)
        if marker is not None and marker.level != "L1":
            self.body.measures.append(Measure(marker.rest))
            return
        lead, items, last = enumeration.split(text, self.number + 1)
        if not items:
            self.body.measures.append(Measure(text))
            return
        if lead:
            self.body.summary.append(lead)
        self.body.measures.extend(Measure(item) for item in items)
        self.number = last

    def _apply_fields(self) -> None:
        fields = self.body.fields
        deadline = fields.get("deadline")
        for measure in self.body.measures:
            measure.leader = measure.leader or fields.get("leader")
            measure.department = measure.department or fields.get("department")
            measure.person = measure.person or fields.get("person")
            if deadline and measure.deadline_text is None:
                measure.deadline_text = deadline
                measure.deadline = read_date(deadline)


def read_body(paras: list[Para], describes: bool = False) -> Body:
    return _Reader(paras, describes).read()

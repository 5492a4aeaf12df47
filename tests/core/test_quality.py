"""The soft checks of a plan's measures: vague, repeated, immediate but far,
long-term and never checked (zhenggai.core.quality)."""

import csv
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from zhenggai.core.quality import IMMEDIATE_DAYS, Draft, Warning, soft_warnings, vagueness

START = dt.date(2024, 4, 1)
LABELLED = Path(__file__).resolve().parents[1] / "quality" / "measures.tsv"
CONCRETE = "2024年6月底前修订《机关公务接待管理办法》，明确接待标准和审批流程"


def _draft(key: int, text: str, type: str = "time_bound", deadline: dt.date | None = None) -> Draft:
    return Draft(key=key, text=text, type=type, deadline=deadline)


def _codes(drafts: list[Draft]) -> list[tuple[int, str]]:
    return [(warning.key, warning.code) for warning in soft_warnings(drafts, START)]


# Vague


@pytest.mark.parametrize(
    "text",
    [
        "进一步加强理论学习",
        "不断提高思想认识",
        "切实增强责任意识",
        "持续强化监督管理",
        "认真落实各项制度",
    ],
)
def test_it_flags_a_declaratory_measure_that_names_no_step(text: str) -> None:
    assert vagueness(text) == "措施较为笼统：没有具体行动、对象、数量或时间"
    [warning] = soft_warnings([_draft(7, text)], START)
    assert (warning.key, warning.code) == (7, "vague")
    assert warning.message.startswith("措施较为笼统") and "写明" in warning.message


def test_it_flags_a_long_sentence_that_only_exhorts() -> None:
    text = "进一步提高政治站位，切实增强做好整改工作的思想自觉和行动自觉，确保整改取得实效"
    assert vagueness(text) is not None


def test_it_does_not_count_the_numerals_of_slogans_as_figures() -> None:
    assert vagueness("进一步增强“四个意识”、坚定“四个自信”、做到“两个维护”") is not None
    assert vagueness("强化四个意识，落实一岗双责") is not None
    assert vagueness("落实“三会一课”制度，坚持“一次采集、多种生成”") is not None


@pytest.mark.parametrize(
    "text",
    [
        CONCRETE,
        "每季度召开一次党组理论学习中心组学习会，围绕党的二十大精神开展专题研讨",
        "对2021年以来的32笔工程款支付逐笔核查，6月底前完成清退",
        "建立问题整改台账，实行销号管理",
        "约谈工程项目负责人",
        "对三名相关责任人进行诫勉谈话",
    ],
)
def test_it_accepts_a_measure_that_names_a_step(text: str) -> None:
    assert vagueness(text) is None
    assert soft_warnings([_draft(1, text)], START) == []


@pytest.mark.parametrize(
    "text",
    [
        "严格执行《机关财务管理办法》，进一步规范财务行为",
        "对照《巡察工作条例》，进一步提高政治站位",
        "加强对《会议制度》执行力度，强化工作落实，自觉维护单位良好形象",
        "以《县委工作要点》为统领，推动各项工作提质增效",
        "把理论学习与调查研究结合起来，推动学习成果转化",
        "严格落实中央八项规定精神，持续纠治“四风”",
    ],
)
def test_a_title_a_slogan_or_a_frame_is_not_a_step(text: str) -> None:
    assert vagueness(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "修订完善《机关会议制度》",
        "将整改落实情况纳入班子成员年度述职内容",
        "稿件发布实行初审、复审、终审",
        "政务公开专栏上线运行",
        "办公区域人走关灯，纸质材料双面打印",
        "帮助挂钩村群众销售茶叶",
        "对新进人员的档案材料严格审核",
        "报销单据经分管领导审批后方可入账",
    ],
)
def test_an_unusual_step_without_a_figure_is_concrete(text: str) -> None:
    assert vagueness(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "拆除机关大院内违规搭建的彩钢棚",
        "拍卖超编配备的公务车辆，所得款项上缴财政",
        "封存超标配备的办公家具",
    ],
)
def test_a_measure_with_an_unknown_verb_and_no_declaratory_sign_is_concrete(text: str) -> None:
    # No list of steps names these verbs; nothing declares either (no 进一步,
    # no 加强…管理, no slogan), so the measure is taken as concrete.
    assert vagueness(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "推动全面从严治党向纵深发展",
        "以巡察整改为契机，推动各项工作再上新台阶",
        "确保整改工作取得实效",
        "落实一岗双责",
    ],
)
def test_a_bare_slogan_is_vague(text: str) -> None:
    assert vagueness(text) is not None


def test_a_vague_opening_followed_by_a_concrete_step_is_concrete() -> None:
    assert vagueness("进一步加强财务管理，年底前出台《财务报销审批办法》") is None


def test_an_empty_measure_is_not_called_vague() -> None:
    assert vagueness("  ") is None


# Duplicate


def test_it_flags_a_measure_that_repeats_an_earlier_one_and_names_it() -> None:
    drafts = [_draft(1, CONCRETE), _draft(2, "约谈工程项目负责人"), _draft(3, CONCRETE)]
    warnings = soft_warnings(drafts, START)
    assert [(w.key, w.code) for w in warnings] == [(3, "duplicate")]
    assert f"「{CONCRETE[:20]}」" in warnings[0].message


def test_it_compares_without_numbering_spaces_or_punctuation() -> None:
    drafts = [
        _draft(1, "（一）约谈项目负责人。"),  # short: only an exact match counts
        _draft(2, "2. 约谈 项目负责人"),
        _draft(3, "一是约谈项目负责人；"),
    ]
    warnings = soft_warnings(drafts, START)
    assert [(w.key, w.code) for w in warnings] == [(2, "duplicate"), (3, "duplicate")]
    assert all("「约谈项目负责人。」" in w.message for w in warnings)


def test_it_flags_a_near_copy_of_ten_characters_or_more() -> None:
    near = "2024年6月底前修订《机关公务接待管理办法》，明确接待的标准和审批流程"
    assert _codes([_draft(1, CONCRETE), _draft(2, near)]) == [(2, "duplicate")]


def test_it_does_not_flag_short_measures_that_differ_or_distinct_ones() -> None:
    drafts = [
        _draft(1, "约谈项目负责人"),  # under ten characters: 0.93 alike, yet not repeated
        _draft(2, "约谈项目负责人员"),
        _draft(3, CONCRETE),
        _draft(4, "2024年9月底前修订《机关会议费管理办法》，明确会议标准和审批流程"),
        _draft(5, ""),  # blank measures are the form's to refuse, not repeats
        _draft(6, " "),
    ]
    assert _codes(drafts) == []


# Immediate with a far deadline


def test_it_flags_an_immediate_measure_due_more_than_sixty_days_after_the_start() -> None:
    due = START + dt.timedelta(days=IMMEDIATE_DAYS + 1)
    [warning] = soft_warnings([_draft(5, CONCRETE, "immediate", due)], START)
    assert (warning.key, warning.code) == (5, "immediate_far")
    assert "61天" in warning.message and "限期整改" in warning.message


@pytest.mark.parametrize(
    ("type", "deadline"),
    [
        ("immediate", START + dt.timedelta(days=IMMEDIATE_DAYS)),
        ("immediate", None),
        ("time_bound", START + dt.timedelta(days=365)),
    ],
)
def test_it_accepts_an_immediate_measure_due_soon_or_a_later_time_bound_one(
    type: str, deadline: dt.date | None
) -> None:
    assert _codes([_draft(1, CONCRETE, type, deadline)]) == []


# Long-term with no interim check


def test_it_flags_a_long_term_measure_with_no_interim_check() -> None:
    [warning] = soft_warnings([_draft(4, "建立问题整改台账，实行销号管理", "long_term")], START)
    assert (warning.key, warning.code) == (4, "long_term_unchecked")
    assert warning.message.startswith("长期坚持的措施没有阶段性检查安排")


@pytest.mark.parametrize(
    "text", ["建立问题整改台账，每季度督查一次", "建立问题整改台账，年底开展“回头看”"]
)
def test_it_accepts_a_long_term_measure_with_an_interim_check(text: str) -> None:
    assert _codes([_draft(1, text, "long_term")]) == []


def test_it_asks_for_no_interim_check_of_other_types() -> None:
    assert _codes([_draft(1, "建立问题整改台账，实行销号管理", "time_bound")]) == []


# The interface


def test_the_records_are_frozen_dataclasses_with_the_agreed_fields() -> None:
    assert [f.name for f in dataclasses.fields(Draft)] == ["key", "text", "type", "deadline"]
    assert [f.name for f in dataclasses.fields(Warning)] == ["key", "code", "message"]
    draft = _draft(1, CONCRETE)
    for field in dataclasses.fields(draft):  # "text" among them
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(draft, field.name, "x")


def test_warnings_come_in_the_drafts_order_then_by_code() -> None:
    far = START + dt.timedelta(days=90)
    drafts = [
        _draft(30, "约谈工程项目负责人"),
        _draft(10, "进一步加强理论学习", "immediate", far),
        _draft(20, "进一步加强理论学习", "long_term"),
    ]
    assert _codes(drafts) == [
        (10, "immediate_far"),
        (10, "vague"),
        (20, "duplicate"),
        (20, "long_term_unchecked"),
        (20, "vague"),
    ]
    assert all(isinstance(w, Warning) for w in soft_warnings(drafts, START))
    assert soft_warnings([], START) == []


# The labelled set


def _labelled() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as source:
        return list(csv.DictReader(source, delimiter="\t", quoting=csv.QUOTE_NONE))


def _precision_recall(rows: list[dict[str, str]]) -> tuple[float, float]:
    flagged = [(vagueness(row["text"]) is not None, row["label"] == "vague") for row in rows]
    hits = sum(f and v for f, v in flagged)
    return hits / sum(f for f, _ in flagged), hits / sum(v for _, v in flagged)


def test_the_labelled_set_has_a_tuned_and_a_clean_split() -> None:
    rows = _labelled()
    assert len(rows) >= 200
    assert {row["label"] for row in rows} == {"vague", "concrete"}
    assert {row["split"] for row in rows} == {"dev", "held_out3"}
    assert sum(row["split"] == "held_out3" for row in rows) >= 120


def test_it_meets_the_precision_and_recall_targets_on_the_split_it_was_tuned_on() -> None:
    precision, recall = _precision_recall([row for row in _labelled() if row["split"] == "dev"])
    assert precision >= 0.9, precision
    assert recall >= 0.8, recall


def test_it_keeps_the_recall_target_on_the_other_splits_and_the_whole_set() -> None:
    # Only recall is asserted there: the other splits estimate, they are not
    # tuned on, so their precision is read from `make bench-vagueness`, not
    # pinned here (see tests/quality/README.md for each split's history).
    rows = _labelled()
    for split in sorted({row["split"] for row in rows} - {"dev"}):
        _, recall = _precision_recall([row for row in rows if row["split"] == split])
        assert recall >= 0.8, (split, recall)
    precision, recall = _precision_recall(rows)
    assert (precision >= 0.9, recall >= 0.8) == (True, True), ("all", precision, recall)

"""Soft checks of a plan's measures (整改措施) before the plan is submitted.

They warn and never refuse: a reviewer may accept a measure the checks dislike.
Four checks — a vague, declaratory measure; a measure repeated in the plan; an
immediate (立行立改) measure whose deadline is months away; a long-term
(长期坚持) measure with no interim check.

The vagueness check reads features of the wording, not a trained model. A
measure is vague when it shows a sign of declaring — an intensifying adverb
(进一步、切实), an abstract verb on an abstract object (加强…管理), a slogan
frame (确保…取得实效) — and names no step someone could check: a figure, a
date or frequency, a document made, revised or issued, a meeting, a list or
ledger, a specific action on a specific object. Steps are read clause by
clause: a clause that only exhorts or frames (「加强…力度」「以《…》为龙头」)
names no step whatever it mentions, and a title merely enforced or cited is no
step. A measure with no sign is concrete even when its verb is on no list, for
the lists cannot be complete. The word lists were tuned on the ``dev`` rows of
tests/quality/measures.tsv; `make bench-vagueness` scores them, ``held_out2``
being the clean estimate.
"""

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Sequence

IMMEDIATE_DAYS = 60
DUPLICATE_RATIO = 0.9
DUPLICATE_MIN_CHARS = 10  # below this, the ratio of two short texts says little
NAMED_CHARS = 20

VAGUE_REASON = "措施较为笼统：没有具体行动、对象、数量或时间"
VAGUE_FIX = "写明做什么、对谁、多少、何时完成，如“6月底前修订《公务接待管理办法》”"
UNCHECKED_REASON = "长期坚持的措施没有阶段性检查安排"
UNCHECKED_FIX = "写明定期检查或评估的安排，如“每季度督查一次、年底回头看”"


@dataclasses.dataclass(frozen=True)
class Draft:
    """One measure as the plan holds it; ``key`` is the caller's id for it."""

    key: int
    text: str
    type: str  # "immediate" | "time_bound" | "long_term"
    deadline: dt.date | None


@dataclasses.dataclass(frozen=True)
class Warning:  # shadows the builtin by design: the application imports this name
    key: int
    code: str  # "vague" | "duplicate" | "immediate_far" | "long_term_unchecked"
    message: str


# Slogans carry numerals (「四个意识」「八项规定」「一岗双责」) but count nothing;
# quoted text is a name or a slogan, never this measure's own figure.
SLOGANS = ("一岗双责", "两手抓", "两不误")
SLOGAN_NUMERAL = re.compile(
    r"[一二两三四五六七八九十]+[个项种](?:意识|自信|维护|确立|规定|形态|务必|必须|坚持|服务)"
)
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’|「[^」]*」")

CN_DIGITS = "零一二两三四五六七八九十百千万"
MEASURE_WORDS = "次项个份场笔名人条期批篇集家台辆本套处所户"
FIGURE = re.compile(
    rf"[0-9０-９*＊][0-9０-９*＊.,，]*\s*(?:[{MEASURE_WORDS}年月日元万%％]|小时|天|周|岁)"
    rf"|[{CN_DIGITS}]+(?:[{MEASURE_WORDS}]|万元|元|小时|天|周)"
)
DATE_WORDS = (
    "月底", "年底", "年末", "年内", "季度", "上半年", "下半年", "以来",
    "每日", "每天", "每周", "每月", "每季", "每半年", "每年", "每两周", "半月",
    "元旦", "春节", "国庆", "节假日",
)  # fmt: skip

# A measure is read clause by clause; 、 joins the items of one list, so it
# does not end a clause.
CLAUSE = re.compile(r"[，,。；;：:！!？?\n]")
# A clause that frames or exhorts is no step, whatever it mentions: 「加强对
# 《…》执行力度」「以《…》为龙头」「自觉维护…形象」「把A与B结合起来」.
RHETORIC = re.compile(
    r"(?:加强|加大|强化|增强|提高|提升)\S*(?:力度|落实|意识|水平|能力|形象|氛围|实效|效能)$"
    r"|自觉维护|结合起来|相结合|为(?:契机|龙头|引领|抓手|指导|主线|统领)$"
)
# Words whose presence is a step: a paper made or issued, a sanction or a
# refund, a record or a list that is kept, a meeting that is held, a check, a
# change made to a system or a post.
ACTIONS = (
    "制定", "制订", "修订", "出台", "印发", "下发", "审核", "审计", "约谈",
    "诫勉", "谈话提醒", "批评教育", "责令检查", "追缴", "追回", "清退", "补缴",
    "退回", "归还", "书面说明", "台账", "台帐", "清单", "责任书", "承诺书",
    "销号", "民主生活会", "组织生活会", "专题会", "党组会", "班子会",
    "中心组学习", "主题党日", "培训班", "讲座", "核查", "清查", "复核", "逐笔",
    "逐张", "逐项", "逐一", "专人", "每位", "每名", "每人", "签订", "关停",
    "关闭", "注销", "上线", "补录", "张贴", "登记", "公开招聘", "选拔", "调整",
    "设立", "成立", "谈话", "通报", "公开", "专题", "严禁", "不得",
)  # fmt: skip
# Verbs that act on a document by title: making, changing or issuing it, or
# producing the programme it names. 「严格执行《…》」 enforces, it does not act.
ACTED_DOCUMENT = re.compile(
    r"(?:制定|制订|修订|修改|完善|出台|印发|下发|编印|编制|起草|废止|开设|开辟|推出|策划"
    r"|拍摄|制作|报送|生成|讲授|填写|下载)[^，。；《]{0,6}《"
    r"|》[^，。；]{0,6}执行情况"
)
STEP = re.compile(
    # a meeting, a training, an inspection, a body, a record, a plan
    r"召开[^，。；、]{0,15}会|组织[^，。；]{0,12}培训|开展[^，。；]{0,10}(?:专项|检查|排查)"
    r"|(?:建立|建好|组建|形成|制作)[^，。；]{0,12}(?:档案|账户|帐户|机构|专班|团队|报告|流程图)"
    r"|完成[^，。；]{0,12}(?:工程|改造)|发出[^，。；]{0,10}(?:建议|通知|函)"
    # a specific object checked: 对…严格审核, 对…进行核实
    r"|对(?!照|标|于|接|外)[^，。；]{2,30}(?:审核|审查|核实|审计|盘点|排查|检查|督查)"
    # put into a named round of the year: 纳入年度述职, 列入工作计划
    r"|(?:纳入|列入|作为)[^，。；]{0,20}(?:述职|述廉|考核|绩效|评先|评优|预算|计划)"
    # an approval gate: 初审、复审、终审, 经…审批后方可
    r"|[初复终]审|(?:须|需|必须)经|(?:后|之后)(?:才能|才可|方可|方能)"
    # thrift one can see, and sales one can count
    r"|关(?:灯|电脑|空调)|双面打印|(?:帮助|帮扶|挂钩)[^，。；]{0,12}(?:销售|代销)"
)
# A quoted name followed by what it names is a campaign, column or system of
# its own (「“双万双联”活动」「“融媒协同生产平台”」), so it is read before the
# quotes are dropped.
NAMED = re.compile(
    r"(?:”|\")(?:活动|行动|专项行动|工程|专栏|栏目)|[^“”]{2,}(?:平台|系统|专栏|栏目)”"
)


# A measure is vague only when it shows a sign of declaring and names no step.
# The signs: an intensifying adverb, an abstract verb on an abstract object
# (「加强…管理」「提高…站位」), a slogan frame (「确保…取得实效」「以…为契机」),
# or a clause that only frames (RHETORIC). A measure with none of them is
# concrete, however unusual its verb: the lists of steps cannot be complete,
# but a concrete measure with a verb they miss (更换门禁、拍卖车辆) has no
# 进一步 or 切实 in front of it. Titles and quoted names show no sign.
INTENSIFIERS = (
    "进一步", "不断", "切实", "持续", "全面", "认真", "努力", "积极", "大力",
    "着力", "深入", "扎实", "坚决", "始终", "严格", "充分", "牢固", "牢牢",
    "高度", "主动", "自觉", "更加", "全力", "务必", "时刻", "层层", "深刻",
    "精心", "逐步",
)  # fmt: skip
ABSTRACT = re.compile(
    r"(?:加强|提高|增强|强化|提升|推进|推动|落实|树立|筑牢|压实|夯实|深化|完善|健全|规范"
    r"|优化|改进|加大|巩固|抓好|做好|贯彻|发挥|营造|形成|守好|维护|扛起|弘扬|凝聚|坚持)"
    r"[^，,。；;：:、]{0,12}?"
    r"(?:意识|认识|观念|学习|管理|监督|监管|防控|作风|能力|水平|责任|工作|建设|站位|自觉"
    r"|素质|质量|效率|效能|纪律|规矩|制度|机制|体系|力度|合力|氛围|形象|思想|理念|精神"
    r"|共识|作用|职责|使命|担当|实效|成效|成果|导向|阵地|防线|根基|领导|统筹|协调|配合|沟通)"
)
FRAME = re.compile(
    r"确保[^。；;]{0,20}(?:实效|见效|到位|落实|实处)|向纵深(?:发展|推进)|为契机"
    r"|提质增效|走深走实|见行见效|举一反三|以上率下|下功夫|常态化长效化|长效机制"
    r"|重要议事日程|为(?:基础|支撑|保障)"
)
TITLE = re.compile(r"《[^》]*》")


def vagueness(text: str) -> str | None:
    """Why the measure reads as declaratory, or None: it names a step, or it
    shows no sign of declaring."""
    if not _declares(text) or NAMED.search(text) or _names_a_step(_without_quotes(text)):
        return None
    return VAGUE_REASON


def _declares(text: str) -> bool:
    """A sign of a declaratory measure anywhere in it, titles and quoted names
    aside; a slogan (「四个意识」「一岗双责」) is one."""
    text = QUOTED.sub("", TITLE.sub("", text))
    return bool(
        any(word in text for word in INTENSIFIERS + SLOGANS)
        or SLOGAN_NUMERAL.search(text)
        or ABSTRACT.search(text)
        or FRAME.search(text)
        or any(RHETORIC.search(clause.strip()) for clause in CLAUSE.split(text))
    )


def _without_quotes(text: str) -> str:
    for slogan in SLOGANS:
        text = text.replace(slogan, "")
    return QUOTED.sub("", SLOGAN_NUMERAL.sub("", text))


def _names_a_step(text: str) -> bool:
    """A figure or a date anywhere, or a clause that is not rhetoric and acts."""
    if FIGURE.search(text) or any(word in text for word in DATE_WORDS):
        return True
    return any(_clause_acts(clause.strip()) for clause in CLAUSE.split(text))


def _clause_acts(clause: str) -> bool:
    if not clause or RHETORIC.search(clause):
        return False
    return bool(
        ACTED_DOCUMENT.search(clause)
        or STEP.search(clause)
        or any(word in clause for word in ACTIONS)
    )


# A long-term measure needs a point where someone looks again; these name one.
CHECK_WORDS = (
    "定期", "每周", "每月", "每季", "每半年", "每年", "年度", "半年", "阶段性",
    "中期", "督查", "督导", "督办", "检查", "评估", "回头看", "复查", "通报",
    "考核", "抽查", "巡查",
)  # fmt: skip
# Leading numbering a plan puts before a measure: 1. 1、 (1) （一） 一、 一是 ①.
NUMBERING = re.compile(
    r"^\s*(?:[(（]?[0-9０-９一二三四五六七八九十]+(?:[)）、]|[.．](?![0-9０-９]))"
    r"|[一二三四五六七八九十]+是|[①-⑳])\s*"
)
NOISE = re.compile(r"[\s\W_]+")  # whitespace and punctuation, full-width too


def soft_warnings(drafts: Sequence[Draft], start: dt.date) -> list[Warning]:
    """The warnings of a plan's measures, in the drafts' order, then by code.

    ``start`` is the plan's start: the feedback date, or today when there is none.
    """
    repeats = _repeats(drafts)
    found = []
    for index, draft in enumerate(drafts):
        own = _own_warnings(draft, start)
        if index in repeats:
            named = NUMBERING.sub("", repeats[index].text).strip()[:NAMED_CHARS]
            message = f"与另一条措施「{named}」相同或几乎相同：删除这一条，或与那一条合并"
            own.append(Warning(draft.key, "duplicate", message))
        found.extend(sorted(own, key=lambda warning: warning.code))
    return found


def _own_warnings(draft: Draft, start: dt.date) -> list[Warning]:
    """The checks that read one measure alone."""
    found = []
    reason = vagueness(draft.text)
    if reason:
        found.append(Warning(draft.key, "vague", f"{reason}。{VAGUE_FIX}"))
    days = None if draft.deadline is None else (draft.deadline - start).days
    if draft.type == "immediate" and days is not None and days > IMMEDIATE_DAYS:
        message = (
            f"立行立改的措施时限在起算日{days}天后，超过{IMMEDIATE_DAYS}天："
            f"应改为限期整改，或把时限提前到{IMMEDIATE_DAYS}天内"
        )
        found.append(Warning(draft.key, "immediate_far", message))
    if draft.type == "long_term" and not any(word in draft.text for word in CHECK_WORDS):
        message = f"{UNCHECKED_REASON}。{UNCHECKED_FIX}"
        found.append(Warning(draft.key, "long_term_unchecked", message))
    return found


def _repeats(drafts: Sequence[Draft]) -> dict[int, Draft]:
    """For each draft that repeats an earlier one, by position: the earliest it repeats.

    The later copy is the one to delete or merge, so the first is left alone.
    """
    texts = [NOISE.sub("", NUMBERING.sub("", draft.text)) for draft in drafts]
    repeats = {}
    for later, text in enumerate(texts):
        for earlier in range(later):
            if text and _same(text, texts[earlier]):
                repeats[later] = drafts[earlier]
                break
    return repeats


def _same(one: str, other: str) -> bool:
    if one == other:
        return True
    if min(len(one), len(other)) < DUPLICATE_MIN_CHARS:
        return False
    # The cheap upper bounds first: most pairs of a plan differ at a glance.
    matcher = difflib.SequenceMatcher(None, one, other)
    return (
        matcher.real_quick_ratio() >= DUPLICATE_RATIO
        and matcher.quick_ratio() >= DUPLICATE_RATIO
        and matcher.ratio() >= DUPLICATE_RATIO
    )

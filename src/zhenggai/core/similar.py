"""举一反三: the problems most like a given one, ranked by BM25 over Chinese terms.

A problem's text (its heading and its description) is cut into terms by jieba, a dictionary-based segmenter that ships its dictionary
inside the package and so works offline; the words every problem statement uses
(存在, 问题, 不到位 …) are dropped, since they match everything and say nothing
of the failing. scripts/bench_similar.py measures each choice on the labelled
set in tests/similar/: words against character bigrams, with and without the
boilerplate, and prints precision@5 and MRR.

``Index`` keeps an inverted index (term → the documents holding it, with the
term's count), so a query touches only the documents that share a term with it:
the pre-filter that keeps a query fast among tens of thousands of problems.
"""

import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

from zhenggai.core import topics

Key = TypeVar("Key", bound=Hashable)
Tokenizer = Callable[[str], list[str]]

# BM25's usual constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
# Pseudo-relevance feedback (in the manner of RM3): the query grows by the terms that
# weigh most (tf·idf) in its first FEEDBACK_DOCS hits, scored at FEEDBACK_WEIGHT of
# its own. Two problems about one failing often share few words with each other but
# many with a third; the expansion reaches them. Chosen on the benchmark's tuning
# queries only (the best precision@5 that kept MRR above 0.85): +0.01 precision@5
# there, +0.04 on the held-out queries; without it: ``rank(..., feedback=False)``.
FEEDBACK_DOCS = 2
FEEDBACK_TERMS = 20
FEEDBACK_WEIGHT = 0.3


def _spaced(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words of the genre, not of the failing: every 巡察 finding is a 问题 that 存在,
# is 不到位 or 不够 and calls for 加强. Measured by the benchmark (both ways).
BOILERPLATE = _spaced(
    """
    存在 问题 不够 不到位 到位 不足 不强 不严 不实 不力 不高 不深 不细 不全 不好 不明显 明显
    有差距 差距 还有 仍有 有待 进一步 加强 方面 情况 现象 较为 比较 还 仍 有 不 没有 未 未能
    工作 落实 贯彻落实 执行 抓 的 了 和 与 及 等 在 对 是 为 中 上 把 将 一些 部分 个别 少数
    """
)

# A small thesaurus of the failings feedback names, each under a concept term
# («car», «reception» …) added to a text that uses one of its words: two problems
# about the same failing rarely share their wording (「公车私用」, 「用车台账」), but do
# share the concept. Kept short and of the genre, not of the labelled set's texts;
# the benchmark prints the figures with and without it.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "«car»": ("公车", "用车", "车辆"),
    "«reception»": ("接待", "宴请", "陪餐", "工作餐"),
    "«spending»": ("报销", "补贴", "超标准", "无依据", "差旅", "发放"),
    "«union»": ("工会",),
    "«procurement»": ("采购", "招标", "招投标", "供应商", "发包"),
    "«assets»": ("资产", "固定资产", "清查", "账实"),
    "«finance»": ("财务", "资金", "预算", "会计", "出纳", "收支", "内控", "财经", "挂账"),
    "«eight_rules»": ("八项规定", "奢靡", "享乐", "礼品", "礼金"),
    "«integrity_risk»": ("廉政风险", "廉洁风险", "风险点", "防控"),
    "«attendance»": ("考勤", "签到", "迟到", "早退", "请销假", "脱岗", "离岗", "值班"),
    "«style»": ("作风", "形式主义", "官僚主义", "推诿", "文山会海"),
    "«lax»": ("宽松软", "老好人", "偏软", "失之于宽"),
    "«initiative»": ("担当", "作为", "推进缓慢"),
    "«study»": ("理论学习", "中心组", "政治学习", "学习贯彻", "学懂", "原著", "讲话精神"),
    "«ideology»": ("意识形态", "阵地", "舆情", "价值观"),
    "«publicity»": ("宣传", "舆论", "引导", "新闻", "影响力"),
    "«fusion»": ("融合", "融媒", "新媒体", "传播", "两张皮"),
    "«content»": ("节目", "精品", "产品质量", "原创", "内容"),
    "«party_life»": (
        "组织生活",
        "民主生活会",
        "三会一课",
        "党费",
        "民主评议",
        "主题党日",
        "政治生活",
    ),
    "«party_building»": ("党建", "党支部", "支部", "党组织", "发展党员", "党员", "党务"),
    "«cadres»": ("干部队伍", "老化", "人才", "年轻干部", "后备干部", "激励", "交流", "队伍建设"),
    "«appointment»": ("选拔", "任用", "提拔", "任免", "免职", "退休", "超职数", "人事档案", "任前"),
    "«decisions»": ("民主集中制", "集体研究", "集体决策", "议事", "三重一大", "说了算"),
    "«leading»": ("领导作用", "领导核心", "头雁", "统筹", "补台", "把方向"),
    "«deployments»": ("决策部署", "上级部署", "重大部署"),
    "«responsibility»": ("主体责任", "两个责任", "从严治党", "管党治党", "党风廉政建设"),
    "«dual_duty»": ("一岗双责", "分管"),
    "«rectification»": ("整改", "巡察反馈", "审计发现", "长效机制", "举一反三"),
}

# A concept counts as two words (measured: 2 gives +0.03 precision@5 over 1).
CONCEPT_WEIGHT = 2

_TEXT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")

logging.getLogger("jieba").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _jieba() -> Callable[[str], list[str]]:
    """jieba's word cutter, loaded once (about half a second: its dictionary)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    cut: Callable[[str], list[str]] = jieba.lcut
    return cut


def concepts(text: str) -> list[str]:
    """The concept terms of the thesaurus whose words the text uses, and the topic of
    the taxonomy its keywords suggest (core/topics.py): two problems of one topic
    share that term. Measured with the topic term: precision@5 0.749 → 0.801, held
    out 0.727 → 0.783."""
    found = [name for name, words in CONCEPTS.items() if any(w in text for w in words)]
    topic = topics.suggest(text)
    return [*found, f"«topic:{topic}»"] if topic else found


def words(text: str, drop: frozenset[str] = BOILERPLATE, weight: int = CONCEPT_WEIGHT) -> list[str]:
    """Terms as jieba cuts them, punctuation and the dropped words removed (a single
    Han character carries too little), and the text's concepts."""
    return _cut(text, drop) + concepts(text) * weight


def _cut(text: str, drop: frozenset[str]) -> list[str]:
    cut = _jieba()
    terms: list[str] = []
    for run in _TEXT.findall(text):
        terms.extend(w for w in cut(run) if w not in drop and not w.isdigit())
    return [t for t in terms if len(t) > 1 or not _HAN.match(t)]


def bigrams(
    text: str, drop: frozenset[str] = BOILERPLATE, weight: int = CONCEPT_WEIGHT
) -> list[str]:
    """Overlapping pairs of characters within each run of text, after removing the
    dropped words (the alternative to a segmenter: no dictionary at all), and the
    text's concepts."""
    original = text
    for word in sorted(drop, key=len, reverse=True):
        if len(word) > 1:
            text = text.replace(word, " ")
    terms: list[str] = []
    for run in _TEXT.findall(text):
        terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms + concepts(original) * weight


def problem_text(title: str | None, description: str | None, category: str | None = None) -> str:
    """What a problem is compared on: its heading and description. Its category's
    heading is left out by default: it is shared by every problem under it (「全面从严
    治党主体责任履行不到位，执行财经纪律…」 heads 公车 and 工会经费 alike), and the
    benchmark measured it lowering precision@5 (0.57 → 0.52 for words alone)."""
    return "\n".join(part for part in (title, description, category) if part)


@dataclass(frozen=True)
class Hit(Generic[Key]):
    key: Key
    score: float


@dataclass
class Index(Generic[Key]):
    """BM25 over documents added one by one; ``rank`` scores only those sharing a term."""

    tokenizer: Tokenizer = words
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    keys: list[Key] = field(default_factory=list)
    counts: list[Counter[str]] = field(default_factory=list)  # each document's terms
    lengths: list[int] = field(default_factory=list)
    total_length: int = 0

    def add(self, key: Key, text: str) -> None:
        self.add_terms(key, self.tokenizer(text))

    def add_terms(self, key: Key, terms: Sequence[str]) -> None:
        slot = len(self.keys)
        self.keys.append(key)
        self.lengths.append(len(terms))
        self.total_length += len(terms)
        counted = Counter(terms)
        self.counts.append(counted)
        for term, count in counted.items():
            self.postings.setdefault(term, []).append((slot, count))

    def __len__(self) -> int:
        return len(self.keys)

    def idf(self, term: str) -> float:
        """BM25's idf, kept positive (the +1 inside the log) for very common terms."""
        df = len(self.postings.get(term, ()))
        return math.log(1 + (len(self.keys) - df + 0.5) / (df + 0.5))

    def scores(self, terms: Iterable[str]) -> dict[int, float]:
        """Each document sharing a term with the query, by its BM25 score."""
        average = self.total_length / len(self.keys) if self.keys else 1.0
        found: dict[int, float] = {}
        for term in set(terms):
            idf = self.idf(term)
            for slot, tf in self.postings.get(term, ()):
                norm = K1 * (1 - B + B * self.lengths[slot] / average)
                found[slot] = found.get(slot, 0.0) + idf * tf * (K1 + 1) / (tf + norm)
        return found

    def _best(
        self, found: dict[int, float], n: int, keep: Callable[[Key], bool]
    ) -> list[tuple[int, float]]:
        """The ``n`` best scored documents that ``keep`` accepts, best first (ties by
        the order of adding, so a result never depends on a dict's order)."""
        ordered = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        best: list[tuple[int, float]] = []
        for slot, score in ordered:
            if keep(self.keys[slot]):
                best.append((slot, score))
                if len(best) == n:
                    break
        return best

    def _expansion(self, terms: Sequence[str], first: list[tuple[int, float]]) -> list[str]:
        """The terms weighing most in the first hits that the query does not have."""
        weights: dict[str, float] = {}
        for slot, _score in first:
            for term, count in self.counts[slot].items():
                weights[term] = weights.get(term, 0.0) + self.idf(term) * count
        have = set(terms)
        ordered = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
        return [term for term, _weight in ordered if term not in have][:FEEDBACK_TERMS]

    def rank(
        self,
        text: str,
        n: int = 5,
        keep: Callable[[Key], bool] = lambda _key: True,
        feedback: bool = True,
    ) -> list[Hit[Key]]:
        """The ``n`` best documents for the text that ``keep`` accepts, best first; the
        query expanded by its first hits' terms unless ``feedback`` is off."""
        terms = self.tokenizer(text)
        found = self.scores(terms)
        if feedback and found:
            extra = self._expansion(terms, self._best(found, FEEDBACK_DOCS, keep))
            for slot, score in self.scores(extra).items():
                found[slot] = found.get(slot, 0.0) + FEEDBACK_WEIGHT * score
        return [Hit(self.keys[slot], score) for slot, score in self._best(found, n, keep)]

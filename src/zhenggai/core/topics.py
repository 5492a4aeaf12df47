"""The default taxonomy of problems an office keeps, and a topic suggested for a
problem's text by keyword rules.

The topics follow the headings inspection feedback is written under: the 「六大
纪律」 and 「五大建设」 of the Party's discipline regulations (政治、思想、组织、作风、
纪律 …), with the two money matters offices count apart (财务管理) and the two
responsibilities (主体责任, 巡察整改), and 履职尽责 for an organisation's own line
of work (its programmes, its services, its safety). An office may rename, add or
reorder them; the rules here only suggest, a person corrects.

scripts/bench_similar.py measures the suggestion on tests/similar/topics.json.
"""

from collections.abc import Sequence
from dataclasses import dataclass


def _words(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


@dataclass(frozen=True)
class Topic:
    name: str
    keywords: tuple[str, ...]


# Order matters twice: it is the order an office sees, and the tie-break of the
# rules (a problem naming both 主体责任 and 财务 is about the responsibility).
DEFAULT_TOPICS: tuple[Topic, ...] = (
    Topic("巡察整改", _words("整改 巡察反馈 审计发现 长效机制 举一反三 回头看")),
    Topic(
        "主体责任",
        _words(
            "主体责任 一岗双责 两个责任 从严治党 管党治党 党风廉政建设 监督责任 探头 压力传导 纪检"
        ),
    ),
    Topic(
        "政治建设",
        _words(
            "决策部署 民主集中制 集体研究 集体决策 议事 三重一大 把方向 领导核心 领导作用 补台 统筹 分工 说了算"
        ),
    ),
    Topic("思想建设", _words("理论学习 中心组 政治学习 学习贯彻 原著 学懂 讲话精神 学习")),
    Topic("意识形态", _words("意识形态 阵地 舆情 核心价值观 思想引领")),
    Topic(
        "组织建设",
        _words(
            "党建 党支部 支部 党组织 组织生活 民主生活会 三会一课 党费 发展党员 党员 主题党日 政治生活 会议制度 双报到"
        ),
    ),
    Topic(
        "选人用人",
        _words(
            "选人用人 干部队伍 选拔任用 超职数 提拔 任免 免职 退休 人才 年轻干部 后备干部 老化 档案审核 激励 交流"
        ),
    ),
    Topic(
        "廉洁纪律",
        _words(
            "八项规定 公务用车 公车 接待 超标准 报销 津补贴 礼品礼金 廉政风险 廉洁风险 无依据 节约 差旅 奢靡 廉政"
        ),
    ),
    Topic("财务管理", _words("财务 经费 资金 预算 采购 招标 资产 会计 账 收支 内控 财经")),
    Topic(
        "作风建设",
        _words(
            "作风 形式主义 官僚主义 考勤 签到 脱岗 纪律松弛 宽松软 老好人 担当 推诿 为民服务 服务群众 联系群众 走访"
        ),
    ),
    Topic("履职尽责", _words("融媒 媒体 宣传 舆论 新闻 节目 播出 广告 造血 平台 安全 项目 服务")),
)


def suggest(text: str, topics: Sequence[Topic] = DEFAULT_TOPICS) -> str | None:
    """The topic whose keywords the text names most (longer keywords weigh more:
    「公务用车」 says more than 「账」); None when it names none."""
    best: tuple[int, str] | None = None
    for topic in topics:
        weight = sum(len(word) for word in topic.keywords if word in text)
        if weight and (best is None or weight > best[0]):
            best = (weight, topic.name)
    return best[1] if best else None

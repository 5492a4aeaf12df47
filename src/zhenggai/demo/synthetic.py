"""A synthetic county-scale ledger, for the application benchmark and for tests.

At full size (``scale=1``): one inspection office; 60 inspected organisations,
each with 3–5 departments and one user per role; 300 inspections; 7,500
problems (25 per inspection over 4–5 categories, some of them sub-problems);
30,000 measures (4 per problem) with a realistic mix of types, states and
deadlines around today, so that some are overdue; 120,000 progress entries
(4 per measure). ``scale`` shrinks the number of organisations and
inspections; the shape of each inspection stays the same. ``organisations``
sets their number apart: ``OFFICE`` (300 organisations, one inspection each,
the same 30,000 measures) is an office's whole caseload, as ``SCALES["office"]``.

Each round has ``TEAMS`` teams; an inspection is its round's team's, by turn, and
the team's organisations list it. A plan approved has its approval time (a month
after the feedback); a plan given in the last 25 days, and every 30th one, is
still a draft, whose measures are never overdue.

The same seed (and ``today``) gives the same data: every choice comes from one
``random.Random(seed)``, drawn in a fixed order.

Everything is written with ``bulk_create`` in one transaction and **writes no
audit events**: this is generated data, not work anyone did, so there is
nothing to record, and recording 160,000 rows one by one through the hash chain
would take the build from seconds to many minutes.
"""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from zhenggai.core import similar, topics
from zhenggai.inspections.models import Category, Inspection, Problem, Round, Team
from zhenggai.inspections.states import DONE_STATES, PlanState, State
from zhenggai.ledger.models import Measure, ProgressEntry
from zhenggai.orgs.models import Membership, OfficeSettings, Organisation, Role
from zhenggai.taxonomy.models import ProblemTopic, Topic

ORGANISATIONS = 60
INSPECTIONS = 300
PROBLEMS_PER_INSPECTION = 25
MEASURES_PER_PROBLEM = 4
PROGRESS_PER_MEASURE = 4
SUBPROBLEM_SHARE = 0.2  # of the problems after a category's first
ROUNDS = 10
TEAMS = 3  # per round
OFFICE = 300  # organisations in an office-scale data set
# What ``--scale`` may name: (scale, organisations or None for ORGANISATIONS × scale).
SCALES: dict[str, tuple[float, int | None]] = {"county": (1.0, None), "office": (1.0, OFFICE)}
# Django caps each INSERT to the engine's parameter limit (999 on SQLite) by itself.
BATCH = 2000

T = TypeVar("T", bound=models.Model)
S = TypeVar("S", bound=str)

BUREAUS = [
    "县发展和改革委员会", "县教育局", "县科学技术局", "县公安局", "县民政局", "县司法局",
    "县财政局", "县人力资源和社会保障局", "县自然资源局", "县生态环境局", "县住房和城乡建设局",
    "县交通运输局", "县水利局", "县农业农村局", "县商务局", "县文化和旅游局", "县卫生健康委员会",
    "县退役军人事务局", "县应急管理局", "县审计局", "县市场监督管理局", "县统计局", "县医疗保障局",
    "县林业局", "县融媒体中心", "县供销合作社", "县总工会", "共青团县委", "县妇女联合会",
    "县人民医院",
]  # fmt: skip
TOWNS = [
    "城关镇", "青山镇", "白沙镇", "石门镇", "龙泉镇", "桃花镇", "清溪镇", "马家镇", "高桥镇",
    "新华镇", "柳林镇", "河口镇", "双河镇", "金竹镇", "太平镇", "长乐镇", "永兴镇", "三江镇",
    "凤凰镇", "黄土镇", "大安乡", "南坪乡", "东风街道", "北城街道", "西山街道", "临江街道",
    "花园街道", "红岩乡", "古城乡", "水口乡",
]  # fmt: skip
DEPARTMENTS = [
    "办公室", "党建工作办公室", "财务股", "综合股", "业务股", "人事股", "政策法规股",
    "规划股", "审批服务股", "安全监管股",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华建国志红文斌玉兰海波"
CATEGORIES = [
    "贯彻落实党的路线方针政策和上级党组织决策部署方面",
    "落实全面从严治党战略部署方面",
    "落实新时代党的组织路线方面",
    "落实意识形态工作责任制方面",
    "落实中央八项规定精神和作风建设方面",
    "落实巡察、审计等监督发现问题整改方面",
]
SUBJECTS = [
    "理论学习中心组学习", "意识形态工作", "“三重一大”决策制度执行", "财务管理",
    "公务接待管理", "干部选拔任用工作", "基层党组织建设", "党风廉政建设责任制落实",
    "中央八项规定精神落实", "专项资金管理", "固定资产管理", "政府采购", "合同管理",
    "党员教育管理", "安全生产监管", "信访矛盾化解", "工程项目招投标管理", "公务用车管理",
    "干部日常监督", "惠民惠农资金发放",
]  # fmt: skip
DEFECTS = [
    "不深入、不系统", "落实不到位", "制度执行不严格", "存在薄弱环节", "监督管理不力",
    "流于形式、走过场", "责任压得不实", "规范化程度不高", "存在廉洁风险隐患", "推进不力、成效不明显",
]  # fmt: skip
DETAILS = [
    "部分党员干部对相关要求理解不深、把握不准，学用脱节",
    "存在以会议落实会议、以文件落实文件的现象，抓落实的举措不多",
    "相关台账资料不完整，会议记录过于简单，难以反映研究讨论过程",
    "{n}笔支出未经集体研究决定，报销凭证附件不全",
    "{n}项制度多年未修订，与上级最新要求不相适应",
    "对下属单位监督检查不经常，发现问题后跟踪督促不够",
    "个别干部担当意识不强，遇到矛盾绕着走，工作推进缓慢",
    "抽查{n}份档案，其中部分材料缺失、填写不规范",
    "专项资金拨付滞后，{n}万元资金长期滞留未使用",
    "谈心谈话流于形式，批评与自我批评辣味不足",
]
ACTIONS = [
    "召开专题会议，深入剖析问题根源，逐项明确整改责任人和整改时限",
    "修订完善《{doc}》，进一步规范工作流程，堵塞管理漏洞",
    "组织开展专项检查，对{year}年以来的台账资料逐笔清理核查",
    "将整改落实情况纳入年度绩效考核，强化考核结果运用",
    "建立健全问题整改销号制度，实行清单化管理、闭环式推进",
    "加强对下属单位的日常监督检查，每季度开展一次督促指导",
    "组织全体干部职工开展集中学习，切实提高思想认识和业务能力",
    "对相关责任人进行批评教育，督促其认真反思、举一反三",
    "严格落实集体决策程序，凡涉及重大事项一律提交党组会议研究",
    "健全完善长效机制，定期开展“回头看”，防止问题反弹回潮",
    "规范档案管理，明确专人负责，做到资料齐全、记录完整",
    "加快资金拨付进度，按月调度资金使用情况，确保专款专用",
]
DOCUMENTS = [
    "财务管理办法", "公务接待管理办法", "“三重一大”事项集体决策制度", "合同管理制度",
    "固定资产管理办法", "公务用车使用管理制度", "意识形态工作责任制实施细则", "干部日常监督管理办法",
]  # fmt: skip
PROGRESS = [
    "已召开专题会议{n}次，研究部署整改工作，形成会议纪要",
    "已完成制度修订并印发执行，组织相关人员专题学习",
    "已组织全体干部开展集中学习{n}次，撰写心得体会{m}篇",
    "已对{m}笔资金进行清理核查，追回违规资金{n}万元",
    "已开展专项检查{n}次，发现问题{m}个，均已督促整改",
    "已对相关责任人进行谈话提醒，责令作出书面检查",
    "整改工作正在推进中，已完成阶段性目标任务的{p}%",
    "已建立问题整改台账，实行周调度、月通报",
    "已将整改情况向党组专题报告，并在单位内部公示",
    "已补齐缺失档案资料{m}份，规范归档{n}卷",
]
TARGETS = [
    "彻底整改到位，建立长效机制",
    "问题清零，制度健全，执行有力",
    "规范管理，杜绝类似问题再次发生",
    "全面完成整改，群众满意度明显提升",
]

# Measure types by share, and the states a measure of each kind has reached.
TYPES = [(Measure.Type.IMMEDIATE, 30), (Measure.Type.TIME_BOUND, 55), (Measure.Type.LONG_TERM, 15)]
STATES_PAST = [  # deadline passed: mostly closed, the rest overdue
    (State.SIGNED_OFF, 76), (State.AWAITING_SIGN_OFF, 7), (State.IN_PROGRESS, 9),
    (State.NOT_STARTED, 1), (State.REOPENED, 3), (State.LONG_TERM, 4),
]  # fmt: skip
STATES_FUTURE = [
    (State.SIGNED_OFF, 22), (State.AWAITING_SIGN_OFF, 12), (State.IN_PROGRESS, 46),
    (State.NOT_STARTED, 15), (State.REOPENED, 5),
]  # fmt: skip
STATES_LONG_TERM = [(State.LONG_TERM, 60), (State.IN_PROGRESS, 30), (State.SIGNED_OFF, 10)]


@dataclass
class Built:
    office: Organisation
    office_user: User
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Unit:
    """An inspected organisation, its departments and its people by role."""

    org: Organisation
    departments: list[Organisation]
    users: dict[Role, User]


@dataclass
class _Rows:
    """Everything to insert, by table, in an order that satisfies the foreign keys."""

    inspections: list[Inspection] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    subproblems: list[Problem] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    progress: list[ProgressEntry] = field(default_factory=list)


def build(
    *,
    scale: float = 1.0,
    organisations: int | None = None,
    seed: int = 20240601,
    today: dt.date | None = None,
) -> Built:
    """Write the data set into the configured database and say what was made."""
    generator = _Generator(random.Random(seed), today or dt.date.today())
    wanted = organisations or max(2, round(ORGANISATIONS * scale))
    total = max(1, round(INSPECTIONS * scale))
    with transaction.atomic():
        office, office_user = _office()
        units = [generator.unit(office, n) for n in range(wanted)]
        _save_people(units)
        teams = _teams(office)
        rows = _Rows()
        for n in range(total):
            team = teams[n * ROUNDS // total * TEAMS + n % TEAMS]  # rounds in equal shares
            generator.inspection(rows, units[n % len(units)], team, n)
        counts = _save_ledger(rows)
        _save_teams(rows.inspections)
    counts["organisations"] = len(units)
    counts["teams"] = len(teams)
    return Built(office, office_user, counts)


def _teams(office: Organisation) -> list[Team]:
    """Every round's teams, round by round."""
    rounds = _bulk([Round(office=office, name=_round_name(n)) for n in range(1, ROUNDS + 1)])
    teams = [
        Team(round=r, name=f"第{'一二三四五六'[k]}巡察组", leader=f"组长{r.pk}-{k + 1}")
        for r in rounds
        for k in range(TEAMS)
    ]
    return _bulk(teams)


def _save_teams(inspections: list[Inspection]) -> None:
    """Each team lists the organisations its inspections are of."""
    pairs = {(i.team_id, i.organisation_id) for i in inspections}
    through = Team.organisations.through
    _bulk([through(team_id=t, organisation_id=o) for t, o in sorted(pairs)])


def _office() -> tuple[Organisation, User]:
    office = Organisation.objects.create(
        name="县委巡察工作领导小组办公室", kind=Organisation.Kind.OFFICE
    )
    OfficeSettings.objects.create(office=office)
    user = User.objects.create(
        username="synthetic-office", first_name="巡察办", password=make_password(None)
    )
    Membership.objects.create(user=user, organisation=office, role=Role.INSPECTION_OFFICE)
    return office, user


def _round_name(n: int) -> str:
    return f"十四届县委第{'一二三四五六七八九十'[n - 1]}轮巡察"


def _bulk(objs: list[T]) -> list[T]:
    """Insert the rows; both SQLite and PostgreSQL give back their primary keys."""
    if not objs:
        return objs
    return type(objs[0])._default_manager.bulk_create(objs, batch_size=BATCH)


def _save_people(units: list[_Unit]) -> None:
    _bulk([u.org for u in units])
    _bulk([d for u in units for d in u.departments])
    _bulk([user for u in units for user in u.users.values()])
    _bulk(
        [
            Membership(
                user=user,
                organisation=u.org,
                role=role,
                department=u.departments[0] if role == Role.RESPONSIBLE_PERSON else None,
            )
            for u in units
            for role, user in u.users.items()
        ]
    )


def _save_ledger(rows: _Rows) -> dict[str, int]:
    """Parents first: each bulk_create fills in the keys the next one refers to."""
    _bulk(rows.inspections)
    _bulk(rows.categories)
    _bulk(rows.problems)
    _bulk(rows.subproblems)
    _topics(rows.problems)
    _bulk(rows.measures)
    _bulk(rows.progress)
    return {
        "inspections": len(rows.inspections),
        "categories": len(rows.categories),
        "problems": len(rows.problems) + len(rows.subproblems),
        "subproblems": len(rows.subproblems),
        "measures": len(rows.measures),
        "progress": len(rows.progress),
    }


def _topics(problems: list[Problem]) -> None:
    """The office's default taxonomy, and each problem's topic as the importer would
    suggest it (services/problem_topics.py), written in bulk."""
    office = problems[0].inspection.organisation.parent if problems else None
    if office is None:
        return
    taxonomy = _bulk(
        [Topic(office=office, name=t.name, order=i) for i, t in enumerate(topics.DEFAULT_TOPICS)]
    )
    by_name = {t.name: t for t in taxonomy}
    suggested = (
        (p, by_name.get(topics.suggest(similar.problem_text(p.title, p.description)) or ""))
        for p in problems
    )
    _bulk([ProblemTopic(problem=p, topic=t) for p, t in suggested if t is not None])


def _plan(inspection: Inspection, today: dt.date, n: int) -> None:
    """The plan's state: a draft when the feedback is recent or, every 30th, stalled;
    submitted when the feedback is under a month old; else approved a month after it."""
    assert inspection.feedback_date is not None
    age = (today - inspection.feedback_date).days
    if age < 25 or n % 30 == 7:
        inspection.plan_state = PlanState.DRAFT
    elif age <= 30:
        inspection.plan_state = PlanState.SUBMITTED
    else:
        inspection.plan_state = PlanState.APPROVED
        approved = inspection.feedback_date + dt.timedelta(days=30)
        inspection.plan_approved = timezone.make_aware(dt.datetime.combine(approved, dt.time(10)))


def _problem_state(states: list[str]) -> State:
    """A problem's state as its measures put it (the workflow derives it the same way)."""
    if all(s == State.SIGNED_OFF for s in states):
        return State.SIGNED_OFF
    if State.REOPENED in states:
        return State.REOPENED
    if all(s in DONE_STATES for s in states):
        return State.LONG_TERM
    if all(s == State.NOT_STARTED for s in states):
        return State.NOT_STARTED
    if all(s in (State.SIGNED_OFF, State.AWAITING_SIGN_OFF) for s in states):
        return State.AWAITING_SIGN_OFF
    return State.IN_PROGRESS


class _Generator:
    """Draws every value from one random stream, in a fixed order."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng, self.today = rng, today

    def pick(self, weighted: Sequence[tuple[S, int]]) -> S:
        values = [value for value, _ in weighted]
        return self.rng.choices(values, [weight for _, weight in weighted])[0]

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.randint(1, 2)))

    def fill(self, template: str) -> str:
        return template.format(
            n=self.rng.randint(2, 30),
            m=self.rng.randint(3, 80),
            p=self.rng.randint(30, 90),
            year=self.rng.randint(2019, 2023),
            doc=self.rng.choice(DOCUMENTS),
        )

    # -- organisations and people

    def unit(self, office: Organisation, n: int) -> _Unit:
        names = BUREAUS + TOWNS
        name = names[n % len(names)] + (f"（{n // len(names) + 1}）" if n >= len(names) else "")
        org = Organisation(name=name, kind=Organisation.Kind.INSPECTED, parent=office)
        departments = [
            Organisation(name=d, kind=Organisation.Kind.DEPARTMENT, parent=org)
            for d in self.rng.sample(DEPARTMENTS, self.rng.randint(3, 5))
        ]
        unusable = make_password(None)
        users: dict[Role, User] = {
            role: User(
                username=f"org{n:03d}-{role.value}",
                last_name=self.person(),
                password=unusable,
            )
            for role in Role
            if role != Role.INSPECTION_OFFICE
        }
        return _Unit(org, departments, users)

    # -- the ledger

    def inspection(self, rows: _Rows, unit: _Unit, team: Team, n: int) -> None:
        feedback = self.today - dt.timedelta(days=self.rng.randint(20, 720))
        onsite = feedback - dt.timedelta(days=self.rng.randint(45, 90))
        self.rng.randint(1, 6)  # the team's number once: drawn still, so the stream keeps its order
        inspection = Inspection(
            organisation=unit.org,
            round=team.round,
            team=team,
            title=f"关于{unit.org.name}巡察整改进展情况的通报",
            inspection_body=f"县委{team.name}",
            level=Inspection.Level.XUNCHA,
            kind="常规",
            onsite_start=onsite,
            onsite_end=onsite + dt.timedelta(days=30),
            feedback_date=feedback,
            document_date=feedback + dt.timedelta(days=60),
            contact_phone=f"0{self.rng.randint(100, 999)}-{self.rng.randint(1000000, 9999999)}",
        )  # fmt: skip
        _plan(inspection, self.today, n)
        rows.inspections.append(inspection)
        titles = CATEGORIES[: self.rng.randint(4, 5)]
        categories = [
            Category(inspection=inspection, position=i, title=t) for i, t in enumerate(titles, 1)
        ]
        rows.categories.extend(categories)
        self.problems(rows, unit, inspection, categories)

    def problems(
        self, rows: _Rows, unit: _Unit, inspection: Inspection, categories: list[Category]
    ) -> None:
        """25 problems over the categories in turn; some hang under the one before."""
        last_top: dict[int, Problem] = {}
        positions: dict[int, int] = {}  # per category, or per parent for sub-problems
        for n in range(PROBLEMS_PER_INSPECTION):
            category = categories[n % len(categories)]
            parent = last_top.get(id(category))
            is_sub = parent is not None and self.rng.random() < SUBPROBLEM_SHARE
            key = id(parent) if is_sub else id(category)
            positions[key] = positions.get(key, 0) + 1
            problem = self.problem(inspection, category, parent if is_sub else None, positions[key])
            states = self.measures(rows, unit, problem)
            problem.state = _problem_state(states)
            (rows.subproblems if is_sub else rows.problems).append(problem)
            if not is_sub:
                last_top[id(category)] = problem

    def problem(
        self, inspection: Inspection, category: Category, parent: Problem | None, position: int
    ) -> Problem:
        subject, defect = self.rng.choice(SUBJECTS), self.rng.choice(DEFECTS)
        details = [self.fill(d) for d in self.rng.sample(DETAILS, self.rng.randint(2, 3))]
        year = (inspection.feedback_date or self.today).year - self.rng.randint(1, 3)
        return Problem(
            inspection=inspection,
            category=category,
            parent=parent,
            position=position,
            title=f"{subject}{defect}",
            description=f"{year}年以来，{subject}{defect}。" + "；".join(details) + "。",
            target=self.rng.choice(TARGETS),
        )

    def measures(self, rows: _Rows, unit: _Unit, problem: Problem) -> list[str]:
        states = []
        for position in range(1, MEASURES_PER_PROBLEM + 1):
            measure = self.measure(unit, problem, position)
            rows.measures.append(measure)
            rows.progress.extend(self.progress(unit, measure, problem.inspection.feedback_date))
            states.append(measure.state)
        return states

    def measure(self, unit: _Unit, problem: Problem, position: int) -> Measure:
        kind = self.pick(TYPES)
        first, deadline, text = self.deadlines(kind, problem.inspection.feedback_date)
        if kind == Measure.Type.LONG_TERM:
            state = self.pick(STATES_LONG_TERM)
        else:
            state = self.pick(STATES_PAST if deadline and deadline < self.today else STATES_FUTURE)
        department = self.rng.choice(unit.departments)
        leader, person = unit.users[Role.RESPONSIBLE_LEADER], unit.users[Role.RESPONSIBLE_PERSON]
        actions = self.rng.sample(ACTIONS, self.rng.randint(2, 3))
        return Measure(
            inspection=problem.inspection,
            category=problem.category,
            problem=problem,
            position=position,
            text="".join(f"{'一二三'[i]}是{self.fill(a)}。" for i, a in enumerate(actions)),
            type=kind,
            target=problem.target,
            leader=leader,
            leader_name=leader.last_name,
            department=department,
            department_name=department.name,
            person=person,
            person_name=person.last_name,
            original_deadline=first,
            deadline=deadline,
            deadline_text=text,
            state=state,
            done_at=self.done_at(deadline, state),
            status_text="已完成" if state in DONE_STATES else "正在推进",
        )

    def done_at(self, deadline: dt.date | None, state: str) -> dt.datetime | None:
        """Signed off a few days before its deadline (or before today, if that is
        sooner), so that the cockpit's trend falls as real ones do; no draw of the
        generator, so the rest of the data set stays as it was."""
        if state != State.SIGNED_OFF or deadline is None:
            return None
        day = min(deadline, self.today) - dt.timedelta(days=3)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))

    def deadlines(
        self, kind: str, feedback: dt.date | None
    ) -> tuple[dt.date | None, dt.date | None, str]:
        """The first deadline, the one now in force (after any extension), and the text."""
        start = feedback or self.today
        if kind == Measure.Type.LONG_TERM:
            return None, None, "长期坚持"
        days = (
            self.rng.randint(7, 60) if kind == Measure.Type.IMMEDIATE else self.rng.randint(60, 365)
        )
        first = start + dt.timedelta(days=days)
        extended = self.rng.random() < 0.08  # an approved 延期申请
        deadline = first + dt.timedelta(days=self.rng.randint(30, 120)) if extended else first
        return first, deadline, f"{first.year}年{first.month}月底前"

    def progress(
        self, unit: _Unit, measure: Measure, feedback: dt.date | None
    ) -> list[ProgressEntry]:
        start = feedback or self.today
        span = max(1, (self.today - start).days)
        offsets = sorted(self.rng.randint(1, span) for _ in range(PROGRESS_PER_MEASURE))
        author = unit.users[Role.RESPONSIBLE_PERSON]
        entries = []
        for offset in offsets:
            date = start + dt.timedelta(days=offset)
            said = [self.fill(p) for p in self.rng.sample(PROGRESS, self.rng.randint(1, 3))]
            text = f"{date.month}月{date.day}日，" + "；".join(said) + "。"
            figures = {"完成率": self.rng.randint(10, 100)} if self.rng.random() < 0.3 else {}
            entries.append(
                ProgressEntry(measure=measure, date=date, text=text, figures=figures, author=author)
            )
        return entries

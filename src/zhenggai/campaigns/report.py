"""A campaign's report (.docx, GB/T 9704 layout): its scope as selected, its figures
by organisation and by category, and every relapse with what was found. Every
figure is computed from the checks, never typed."""

from django.utils.translation import gettext as _

from zhenggai.campaigns.models import Campaign, CampaignCheck
from zhenggai.campaigns.selectors import Tally, checks_of, figures
from zhenggai.core.writers.gbt9704_simple import Block, Body, Heading, Table, write_simple
from zhenggai.inspections.models import Round
from zhenggai.taxonomy.models import Topic


def scope(campaign: Campaign) -> list[str]:
    """The selection the campaign was made with, in words."""
    chosen = campaign.selection
    said = []
    if chosen.get("round_id"):
        found = Round.objects.filter(pk=chosen["round_id"]).first()
        said.append(_("巡察轮次：%(v)s") % {"v": found.name if found else "—"})
    if chosen.get("kind"):
        said.append(_("巡察类型：%(v)s") % {"v": chosen["kind"]})
    if chosen.get("category"):
        said.append(_("问题类别含「%(v)s」") % {"v": chosen["category"]})
    if chosen.get("topic_id"):
        topic = Topic.objects.filter(pk=chosen["topic_id"]).first()
        said.append(_("问题分类：%(v)s") % {"v": topic.name if topic else "—"})
    if chosen.get("signed_from") or chosen.get("signed_to"):
        said.append(
            _("销号日期：%(start)s至%(end)s")
            % {"start": chosen.get("signed_from") or "—", "end": chosen.get("signed_to") or "—"}
        )
    return said or [_("本巡察办所辖单位全部已销号问题")]


def _rows(tallies: list[Tally]) -> list[list[str]]:
    return [[t.name, str(t.total), str(t.checked), str(t.held), str(t.relapsed)] for t in tallies]


def _header(first: str) -> list[str]:
    return [first, _("问题数"), _("已检查"), _("整改成效巩固"), _("问题反弹")]


def _relapses(campaign: Campaign) -> list[Block]:
    relapsed = checks_of(campaign).filter(result=CampaignCheck.Result.RELAPSED)
    blocks: list[Block] = []
    for number, check in enumerate(relapsed, start=1):
        problem = check.problem
        blocks.append(
            Body(
                _("%(n)s. %(organisation)s：%(problem)s。反弹情况：%(reasons)s")
                % {
                    "n": number,
                    "organisation": problem.inspection.organisation.name,
                    "problem": problem.title or "",
                    "reasons": check.reasons,
                }
            )
        )
    return blocks or [Body(_("本次回头看未发现问题反弹。"))]


def blocks(campaign: Campaign) -> list[Block]:
    total = figures(campaign, _("合计"))
    overall = total.overall
    summary = _(
        "本次回头看共选取已销号问题%(total)s个，已检查%(checked)s个，其中整改成效巩固"
        "%(held)s个，问题反弹%(relapsed)s个。"
    ) % {
        "total": overall.total,
        "checked": overall.checked,
        "held": overall.held,
        "relapsed": overall.relapsed,
    }
    return [
        Heading(_("一、检查范围")),
        *(Body(line) for line in scope(campaign)),
        Heading(_("二、总体情况")),
        Body(summary),
        Table(_header(_("单位")), [*_rows(total.by_organisation), *_rows([overall])]),
        Table(_header(_("问题类别")), _rows(total.by_category)),
        Heading(_("三、问题反弹情况")),
        *_relapses(campaign),
    ]


def report_docx(campaign: Campaign) -> bytes:
    title = _("关于%(name)s检查情况的报告") % {"name": campaign.name}
    return write_simple(title, blocks(campaign))


def file_name(campaign: Campaign) -> str:
    return _("%(name)s检查情况报告.docx") % {"name": campaign.name}

"""What the ledger keeps of what people type: the one place its limits live.

The services check them before they write, so every door (the pages, the API,
the commands) refuses the same input with the same words; the forms and the
API's schemas take their numbers from here.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from zhenggai.refusals import Refused

LONG_TEXT = 20_000  # progress, reasons, findings
COMMENT = 5_000  # a decision's comment
FIGURES = 50  # figures on one progress entry
FIGURE_NAME = 100
FIGURE_TEXT = 200
# Figures are kept in JSON; beyond ±10^15 jsonb would print a float back as an integer.
MAX_FIGURE = 10**15


def is_storable(value: str) -> bool:
    """Whether both databases can keep the text as it is."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def check_text(value: str, limit: int, label: str) -> None:
    """Refused when the text is too long for its column or cannot be stored."""
    if len(value) > limit:
        raise Refused(_("%(label)s不能超过 %(n)s 个字") % {"label": label, "n": limit})
    if not is_storable(value):
        raise Refused(_("%(label)s含有不能保存的字符（空字符或孤立的代理码位）") % {"label": label})


def check_figures(figures: Mapping[str, object]) -> None:
    """At most FIGURES named figures, each a number within MAX_FIGURE or a short text."""
    if len(figures) > FIGURES:
        raise Refused(_("数据最多 %(n)s 项") % {"n": FIGURES})
    for name, value in figures.items():
        check_text(name, FIGURE_NAME, _("数据名称"))
        if not name.strip():
            raise Refused(_("数据名称不能为空"))
        if isinstance(value, str):
            check_text(value, FIGURE_TEXT, _("数据「%(name)s」") % {"name": name})
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise Refused(_("数据「%(name)s」应为数字或文字") % {"name": name})
        elif not abs(value) <= MAX_FIGURE:
            raise Refused(_("数据「%(name)s」超出范围") % {"name": name})

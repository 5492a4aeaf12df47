"""Regulations adopted (建章立制): the 《…》 titles that a clause says were made.

《中华人民共和国广告法》 learned, or 《…办法》 merely 执行, is not adopted; nor is the
rectification plan itself (《关于落实…反馈意见整改方案》). A run of titles that a
count closes (「《A》《B》等18份制度方案」) is a list of regulations whatever its verb.
"""

import re

_TITLE = re.compile(r"《(?P<t>[^《》]{2,80})》")
_CLAUSE_END = re.compile(r"[。；;，,：:！？!?]")
_ADOPTED = re.compile(r"制定|出台|修订|修改|完善|印发|下发|建立|健全|形成|起草|重新")
_KIND = re.compile(
    r"(?:制度|办法|规定|细则|规则|方案|预案|意见|通知|机制|守则|标准|规程|章程|计划|规划|清单|流程|准则|措施|要求)$"
)
_NATIONAL = re.compile(r"^(?:中华人民共和国|中国共产党)")
_THE_PLAN = re.compile(r"(?:巡察|巡视|反馈).*整改(?:工作)?方案$")
_COUNTED = re.compile(r"^[^。；;，,]{0,6}?等\s*\S{1,4}?(?:份|项|个|部|件)(?:规章)?制度")
# The organisation's short name before a title: 《中心公用经费管理规定》 is 《公用经费管理规定》.
_OWN_PREFIX = re.compile(r"^(?:本中心|中心|本单位|公司|本局|局|台)")


def _clause_before(text: str, start: int) -> str:
    head = _TITLE.sub("", text[:start])
    ends = list(_CLAUSE_END.finditer(head))
    return head[ends[-1].end() :] if ends else head


def _listed(text: str, end: int) -> bool:
    """The title is one of a run that a count of regulations closes."""
    rest = _TITLE.sub("", text[end:])
    return bool(_COUNTED.match(rest.lstrip("和及、")))


def _adopted(text: str, match: re.Match[str]) -> bool:
    title = match.group("t").strip()
    if not _KIND.search(title) or _NATIONAL.match(title) or _THE_PLAN.search(title):
        return False
    return bool(_ADOPTED.search(_clause_before(text, match.start()))) or _listed(text, match.end())


def read_regulations(paragraphs: list[str]) -> list[str]:
    found: list[str] = []
    seen: set[str] = set()
    for text in paragraphs:
        for match in _TITLE.finditer(text):
            title = match.group("t").strip()
            if _OWN_PREFIX.sub("", title) not in seen and _adopted(text, match):
                seen.add(_OWN_PREFIX.sub("", title))
                found.append(title)
    return found

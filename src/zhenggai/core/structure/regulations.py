"""Regulations adopted (建章立制): the 《…》 titles that a clause says were made.

《中华人民共和国广告法》 learned, or 《…办法》 merely 执行, is not adopted.
"""

import re

_TITLE = re.compile(r"《(?P<t>[^《》]{2,80})》")
_CLAUSE_END = re.compile(r"[。；;，,：:！？!?]")
_ADOPTED = re.compile(r"制定|出台|修订|修改|完善|印发|下发|建立|健全|形成|起草|重新")
_KIND = re.compile(
    r"(?:制度|办法|规定|细则|规则|方案|预案|意见|通知|机制|守则|标准|规程|章程|计划|规划|清单|流程|准则|措施|要求)$"
)
_NATIONAL = re.compile(r"^(?:中华人民共和国|中国共产党)")


def _clause_before(text: str, start: int) -> str:
    head = _TITLE.sub("", text[:start])
    ends = list(_CLAUSE_END.finditer(head))
    return head[ends[-1].end() :] if ends else head


def read_regulations(paragraphs: list[str]) -> list[str]:
    found: list[str] = []
    for text in paragraphs:
        for match in _TITLE.finditer(text):
            title = match.group("t").strip()
            if (
                title not in found
                and _KIND.search(title)
                and not _NATIONAL.match(title)
                and _ADOPTED.search(_clause_before(text, match.start()))
            ):
                found.append(title)
    return found

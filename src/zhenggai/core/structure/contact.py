"""The public-supervision contact block: 电话, 通信地址, 邮政编码, 电子邮箱."""

import re

from zhenggai.core.model import Contact

_PHONE = re.compile(r"(?:电话|热线)\s*[:：]?\s*(?P<v>\d[\d\-－—() （）]{5,}\d)")
_ADDRESS = re.compile(r"(?:通信|通讯|邮寄|来信)?地址\s*[:：]\s*(?P<v>[^；;。，,\n]+)")
_POSTCODE = re.compile(r"(?:邮政编码|邮编)\s*[:：]?\s*(?P<v>\d{6})(?!\d)")
_EMAIL = re.compile(r"(?P<v>[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")


def read_contact(paragraphs: list[str]) -> Contact:
    contact = Contact()
    for text in paragraphs:
        for name, pattern in (
            ("phone", _PHONE),
            ("address", _ADDRESS),
            ("postcode", _POSTCODE),
            ("email", _EMAIL),
        ):
            match = pattern.search(text)
            if match and getattr(contact, name) is None:
                setattr(contact, name, match.group("v").strip())
    return contact

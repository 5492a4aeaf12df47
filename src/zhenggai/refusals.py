"""The errors a service raises when it will not do what was asked.

Their messages are shown to users as they are, so they say why, in Chinese marked
for translation (``gettext``): they are translated when raised, into the language of
the request that caused them.
"""


class Refused(Exception):
    """The request is understood but not allowed: wrong state, role or missing input."""


class NotFound(Exception):
    """The object does not exist, or the user may not know that it does."""

"""The one error the core raises at its users: a message in Chinese, one line."""


class ParseError(Exception):
    """A document could not be read. ``str(error)`` is shown to the user as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message.replace("\n", " "))

"""Errors that speak to authors: where, what is wrong, how to fix it."""

from __future__ import annotations


class AuthorError(Exception):
    """A mistake in course sources, reported as `path:line: message (hint)`."""

    def __init__(self, path: str, line: int | None, message: str, hint: str = ""):
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(str(self))

    def __reduce__(self):  # the build's runner process sends these back to the build
        return AuthorError, (self.path, self.line, self.message, self.hint)

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.hint:
            text += f"\n    how to fix: {self.hint}"
        return text

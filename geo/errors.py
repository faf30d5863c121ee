"""Error types raised by geo/ and layers/; the UI catches only these."""

from __future__ import annotations


class Problem(str):
    """One problem found in data: its English text, with a key and values to translate it.

    It is a ``str``, so it joins a message like any other problem; the UI shows
    ``t(problem.key, lang, **problem.values)`` when it has the key.
    """

    key: str
    values: dict[str, str]

    def __new__(cls, text: str, *, key: str, **values: str) -> Problem:
        """Return the problem's text, carrying its translation ``key`` and ``values``."""
        self = super().__new__(cls, text)
        self.key = key
        self.values = values
        return self


class InputError(ValueError):
    """An argument, a file or a record does not have the expected form.

    ``problems`` holds each problem of a failed validation (a ``Problem`` when it can be
    translated); it is empty for other errors.
    """

    problems: tuple[str, ...] = ()


class CRSError(InputError):
    """A coordinate reference system is missing or unsuitable for the operation."""


class LayerLoadError(InputError):
    """A layer file is missing, unreadable, or fails validation."""


class GeometryError(InputError):
    """A geometry is empty, invalid, of the wrong type or in the wrong place."""

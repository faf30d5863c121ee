"""Error types of the data store; both subclass the project's InputError, which the UI catches."""

from __future__ import annotations

from geo.errors import InputError


class StoreUnavailable(InputError):  # noqa: N818 (the name says what the user meets)
    """The database cannot be reached or refused the request (down, wrong URL or password)."""


class UnknownDataset(InputError):  # noqa: N818
    """A dataset name that is not in the store's closed table of datasets."""

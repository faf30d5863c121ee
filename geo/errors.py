"""Error types raised by geo/ and layers/; the UI catches only these."""


class InputError(ValueError):
    """An argument, a file or a record does not have the expected form."""


class CRSError(InputError):
    """A coordinate reference system is missing or unsuitable for the operation."""


class LayerLoadError(InputError):
    """A layer file is missing, unreadable, or fails validation."""


class GeometryError(InputError):
    """A geometry is empty, invalid, of the wrong type or in the wrong place."""

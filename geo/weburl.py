"""Strict parsing of web links from data (``source_url``): one parser for validator and card."""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from geo.errors import InputError

MAX_URL_CHARS = 2000
SCHEMES = ("http", "https")
# ASCII that a link from data may hold as it is: letters, digits and the URL delimiters with no
# meaning in Markdown or HTML. Everything else in ASCII (space, ( ) [ ] < > { } ! ` ' " \ | ^ $ *)
# can end a Markdown link or start an image, so a URL carries it percent-encoded (%28 for "(").
_URL_ASCII = frozenset(string.ascii_letters + string.digits + "-._~:/?#@%=&+,;")
_HOST_LABEL_CHARS = frozenset(string.ascii_lowercase + string.digits + "-")
_MAX_HOST_CHARS = 253
_MAX_LABEL_CHARS = 63
_MAX_PORT = 65535

# Why a value is not a web link; each reason has a message in English here and, under
# ``url.<reason>``, in every language in layers/i18n.py.
REASONS: dict[str, str] = {
    "too_long": f"is longer than {MAX_URL_CHARS} characters",
    "character": "contains {char}, which a link may not hold (percent-encode it, e.g. %28 for '(')",
    "scheme": "must start with https:// or http://",
    "userinfo": "may not name a user or password before the host (user@host)",
    "host": "must name a host such as example.org",
    "port": "has a port that is not a number from 1 to 65535",
    "percent": "has a % not followed by two hexadecimal digits",
}


class WebUrlError(InputError):
    r"""A value is not a web link the app will show.

    Attributes
    ----------
    reason
        A key of ``REASONS``.
    char
        For ``"character"``, the offending character as a short repr (such as ``'\r'``).
    """

    def __init__(self, value: str, reason: str, char: str = "") -> None:
        self.reason = reason
        self.char = char
        self.explanation = REASONS[reason].format(char=char)
        super().__init__(f"{self.explanation}, got {value[:200]!r}")


@dataclass(frozen=True)
class WebUrl:
    """A checked http(s) link, in parts; ``href`` rebuilds it in plain ASCII.

    Attributes
    ----------
    scheme
        ``"http"`` or ``"https"``.
    host
        The host name in ASCII, lower case (IDNA for a non-Latin name).
    port
        The port, or ``None`` for the scheme's default.
    path, query, fragment
        Percent-encoded ASCII, without their ``?`` and ``#``.
    """

    scheme: str
    host: str
    port: int | None
    path: str
    query: str
    fragment: str

    @property
    def href(self) -> str:
        """Return the link as an ASCII URL made only of its checked parts."""
        port = f":{self.port}" if self.port is not None else ""
        query = f"?{self.query}" if self.query else ""
        fragment = f"#{self.fragment}" if self.fragment else ""
        return f"{self.scheme}://{self.host}{port}{self.path}{query}{fragment}"


def _check_characters(text: str) -> None:
    for char in text:
        if char in _URL_ASCII:
            continue
        # Letters, marks and digits of other scripts (a Cyrillic path) are kept and encoded;
        # any other character (space, control, bidi control, punctuation) is refused.
        if char.isascii() or unicodedata.category(char)[0] not in "LMN":
            raise WebUrlError(text, "character", repr(char))
    at = text.find("%")
    while at != -1:
        if len(text) < at + 3 or not all(c in string.hexdigits for c in text[at + 1 : at + 3]):
            raise WebUrlError(text, "percent")
        at = text.find("%", at + 1)


def _ascii_host(text: str, hostname: str) -> str:
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError as err:
        raise WebUrlError(text, "host") from err
    labels = host.split(".")
    if (
        not 0 < len(host) <= _MAX_HOST_CHARS
        or not all(0 < len(lab) <= _MAX_LABEL_CHARS for lab in labels)
        or not all(set(lab) <= _HOST_LABEL_CHARS for lab in labels)
        or any(lab.startswith("-") or lab.endswith("-") for lab in labels)
    ):
        raise WebUrlError(text, "host")
    return host


def parse_web_url(value: object) -> WebUrl:
    """Parse a link from data strictly: http or https, a host, and nothing Markdown could use.

    Parameters
    ----------
    value
        The stored value, such as a record's ``source_url``.

    Returns
    -------
    WebUrl
        The link's parts; ``href`` is safe to put in a Markdown link or an ``href`` attribute
        once escaped.

    Raises
    ------
    WebUrlError
        If the value is not a string, is too long, holds a space, a control or bidi character
        or Markdown syntax (``( ) [ ] < > ! `` and the like), has another scheme, a user
        name, no valid host or a bad port. Its ``reason`` says which.
    """
    text = value if isinstance(value, str) else repr(value)
    if not isinstance(value, str):
        raise WebUrlError(text, "scheme")
    if len(text) > MAX_URL_CHARS:
        raise WebUrlError(text, "too_long")
    if not text.lower().startswith(("https://", "http://")):
        raise WebUrlError(text, "scheme")
    _check_characters(text)
    try:
        parts = urlsplit(text)
    except ValueError as err:  # a netloc that NFKC normalisation would change
        raise WebUrlError(text, "host") from err
    if parts.scheme.lower() not in SCHEMES:
        raise WebUrlError(text, "scheme")
    if "@" in parts.netloc:
        raise WebUrlError(text, "userinfo")
    try:
        port = parts.port
    except ValueError as err:
        raise WebUrlError(text, "port") from err
    if port == 0 or parts.netloc.endswith(":"):
        raise WebUrlError(text, "port")
    host = _ascii_host(text, parts.hostname or "")
    safe = "".join(sorted(_URL_ASCII))  # already-valid ASCII stays; other scripts are encoded
    return WebUrl(
        scheme=parts.scheme.lower(),
        host=host,
        port=port,
        path=quote(parts.path, safe=safe),
        query=quote(parts.query, safe=safe),
        fragment=quote(parts.fragment, safe=safe),
    )


def web_url_problem(value: object) -> WebUrlError | None:
    """Return why a value is not an acceptable web link, or ``None`` if it is one.

    Parameters
    ----------
    value
        The stored value.

    Returns
    -------
    WebUrlError or None
        The error ``parse_web_url`` would raise.
    """
    try:
        parse_web_url(value)
    except WebUrlError as err:
        return err
    return None

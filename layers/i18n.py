"""The translation layer: every user-visible message in Kazakh, Russian and English.

The messages live in gettext catalogues, ``locale/<lang>/LC_MESSAGES/messages.po`` (``msgid`` is
the message key, ``msgstr`` the text), kept with ``make messages`` (``pybabel`` extract, update
and compile). Numbers, dates and plural forms follow each language's CLDR rules through Babel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gettext
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date, format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from layers.escape import plain_text

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANG = "ru"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"
# The language a missing text falls back to before the key itself.
FALLBACK_LANG = "en"


@dataclass(frozen=True)
class Messages:
    """One language's catalogue as the app reads it.

    ``texts`` maps a key to its text, or to the tuple of its plural forms; ``plural_index``
    is the catalogue's ``Plural-Forms`` rule (a count to the index of its form).
    """

    lang: str
    texts: Mapping[str, str | tuple[str, ...]]
    plural_index: Callable[[int], int]
    source: Path


def _catalog_from_disk(lang: str, locale_dir: Path) -> tuple[Catalog, Path]:
    po = locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    # `make install` compiles the .mo; a fresh clone, or a .po edited since, reads the .po.
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as fileobj:
            return read_mo(fileobj), mo
    with po.open("rb") as fileobj:
        return read_po(fileobj, locale=lang, domain=DOMAIN), po


@functools.cache
def messages(lang: str, locale_dir: Path = LOCALE_DIR) -> Messages:
    """Return one language's messages, read once from its compiled or source catalogue.

    Fuzzy and empty entries are left out, so they fall back as missing ones do.

    Parameters
    ----------
    lang
        Language code.
    locale_dir
        The ``locale/`` folder.

    Returns
    -------
    Messages
        The texts and the plural rule.
    """
    catalog, source = _catalog_from_disk(lang, locale_dir)
    texts: dict[str, str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        string = message.string
        if isinstance(string, str):
            if string:
                texts[key] = string
        elif string and all(string):
            texts[key] = tuple(string)
    rule = gettext.c2py(catalog.plural_expr)
    return Messages(lang=lang, texts=texts, plural_index=rule, source=source)


def _text(key: str, lang: str, count: int | None) -> str | None:
    """Return a key's text in a language, or in the fallback language, or ``None``."""
    for code in (lang, FALLBACK_LANG):
        if code not in LANGS:
            continue
        table = messages(code)
        entry = table.texts.get(key)
        if entry is None:
            continue
        if isinstance(entry, str):
            return entry
        index = table.plural_index(abs(count)) if count is not None else len(entry) - 1
        return entry[min(index, len(entry) - 1)]
    return None


def t(key: str, lang: str, **values: object) -> str:
    """Return a user-visible message in a language, with ``{name}`` fields filled in.

    Falls back to English, then to the key itself, so a missing translation shows up
    plainly instead of failing the page (a test checks that none is missing).

    Parameters
    ----------
    key
        The message's key, such as ``"ui.city"`` or ``"kind.it_hub"``.
    lang
        ``"kk"``, ``"ru"`` or ``"en"``.
    **values
        Values for the message's ``{name}`` fields.

    Returns
    -------
    str
        The translated message.
    """
    text = _text(key, lang, None)
    if text is None:
        return key
    return text.format(**values) if values else text


def plural(key: str, count: int, lang: str, /, **values: object) -> str:
    """Return the form of a plural message that a count takes in a language.

    The form follows the catalogue's ``Plural-Forms`` rule (CLDR): Russian has three
    (1, 21 объект; 2, 22 объекта; 5, 11, 25 объектов), Kazakh and English two.

    Parameters
    ----------
    key
        The message's key, a plural entry in the catalogues (such as ``"ui.matching"``).
    count
        The number that chooses the form (it is not filled in by itself: pass it formatted
        with :func:`number` among ``values``).
    lang
        Language code.
    **values
        Values for the message's ``{name}`` fields.

    Returns
    -------
    str
        The translated message.
    """
    text = _text(key, lang, int(count))
    if text is None:
        return key
    return text.format(**values) if values else text


def is_plural(key: str) -> bool:
    """Return whether a key is a plural message (in the fallback language's catalogue).

    Parameters
    ----------
    key
        The message's key.

    Returns
    -------
    bool
        True for a plural entry.
    """
    return isinstance(messages(FALLBACK_LANG).texts.get(key), tuple)


def all_keys() -> tuple[str, ...]:
    """Return every message key of any catalogue, sorted (for tests and tooling).

    Returns
    -------
    tuple of str
        The keys.
    """
    return tuple(sorted({key for lang in LANGS for key in messages(lang).texts}))


def forms_for(key: str) -> dict[str, tuple[str, ...]]:
    """Return one key's texts in every language that has it, each as a tuple of forms.

    Parameters
    ----------
    key
        The message's key.

    Returns
    -------
    dict
        Language code to the message's forms (one form for a message without plurals).
    """
    out: dict[str, tuple[str, ...]] = {}
    for lang in LANGS:
        entry = messages(lang).texts.get(key)
        if entry is not None:
            out[lang] = (entry,) if isinstance(entry, str) else entry
    return out


def translations_for(key: str) -> dict[str, str]:
    """Return one key's text in every language that has it.

    Parameters
    ----------
    key
        The message's key.

    Returns
    -------
    dict
        Language code to text (the last, most general form of a plural message).
    """
    return {lang: forms[-1] for lang, forms in forms_for(key).items()}


_MISSING = {  # the label of a missing value, where "unknown" would mislead
    "year": "year.unknown",
    "target_year": "year.unknown",
    "announced": "announced.unknown",
}


def label(field: str, value: object, lang: str) -> str:
    """Return the display label of a catalogue value (kind, status, bank, city, district).

    Parameters
    ----------
    field
        ``"kind"``, ``"status"``, ``"bank"``, ``"city"``, ``"district"``, ``"year"`` or
        ``"announced"`` (the year of the announcement).
    value
        The stored value; missing values read as ``unknown``.
    lang
        Language code.

    Returns
    -------
    str
        The label, or the value itself when it has no translation.
    """
    if value is None or str(value) in {"", "nan", "unknown"}:
        missing = _MISSING.get(field, "unknown")
        return t(missing, lang)
    key = f"{field}.{value}"
    # An untranslated value is data: shown as plain text (widget options are not escaped).
    return t(key, lang) if _text(key, lang, None) is not None else plain_text(value)


def number(value: float, lang: str, *, decimals: int = 0, significant: int | None = None) -> str:
    """Return a number written as the language writes it (CLDR, through Babel).

    Parameters
    ----------
    value
        The number.
    lang
        Language code: Russian and Kazakh group thousands with a no-break space and use a
        decimal comma (``1 100``, ``1,8``); English uses ``1,100`` and ``1.8``.
    decimals
        Digits after the decimal sign, at most (trailing zeros are left out).
    significant
        Significant digits, at most, instead of ``decimals`` (``0,123`` for 3).

    Returns
    -------
    str
        The formatted number.
    """
    if significant and value:  # (zero has no significant digit: "0")
        pattern = "@" + "#" * (significant - 1)
    else:
        pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return str(format_decimal(value, format=pattern, locale=lang))


def date_text(value: object, lang: str) -> str:
    """Return a date as the language writes it (CLDR, through Babel).

    Sources give a day, a month or only a year, as ISO text (``2022-09-12``, ``2022-09``,
    ``2022``) or a date; each is written with no more precision than it has.

    Parameters
    ----------
    value
        A :class:`datetime.date` or ISO text.
    lang
        Language code: ``12 сентября 2022 г.``, ``2022 ж. 12 қыркүйек``, ``12 September 2022``.

    Returns
    -------
    str
        The formatted date, or the value as plain text when it is no ISO date.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return str(format_date(value, format="long", locale=lang))
    text = str(value).strip()
    numbers = [int(part) if part.isdigit() else -1 for part in text.split("-")]
    with contextlib.suppress(ValueError):  # no such month or day: shown as it is
        if len(numbers) == 2:  # noqa: PLR2004 (a year and a month)
            day = dt.date(numbers[0], numbers[1], 1)
            return str(format_skeleton("yMMMM", day, locale=lang))
        if len(numbers) == 3:  # noqa: PLR2004 (a full date)
            day = dt.date(numbers[0], numbers[1], numbers[2])
            return str(format_date(day, format="long", locale=lang))
    # A year alone is written as it is; anything else is data, shown as plain text.
    return plain_text(text)


def accept_language_tags(header: str | None) -> list[str]:
    """Return the language tags of an HTTP ``Accept-Language`` header, most wanted first.

    Parameters
    ----------
    header
        Such as ``"kk-KZ,kk;q=0.9,ru;q=0.8"``; ``None`` or empty gives no tags.

    Returns
    -------
    list of str
        The tags by falling ``q`` weight (ties keep their order); weight 0 and junk are left out.
    """
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        name, _, raw = params.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(raw)
            except ValueError:
                weight = 0.0
        if tag.strip() and weight > 0:
            weighted.append((-weight, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate_lang(tags: Iterable[str | None]) -> str | None:
    """Return the first of the app's languages among browser language tags.

    Parameters
    ----------
    tags
        BCP 47 tags, most wanted first (``"kk-KZ"``, ``"ru"``, ``"en_US"``); ``None`` is skipped.

    Returns
    -------
    str or None
        ``"kk"``, ``"ru"`` or ``"en"``, or ``None`` when the browser asks for none of them.
    """
    for tag in tags:
        if not tag:
            continue
        code = tag.replace("_", "-").split("-", 1)[0].strip().lower()
        if code in LANGS:
            return code
    return None

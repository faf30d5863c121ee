"""The gettext catalogues on disk: moving ``_T``-style dicts into them, and their template.

The catalogues in ``locale/<lang>/LC_MESSAGES/messages.po`` are the one store of the app's
messages. Their ``msgid`` is a message key (``"ui.status_as_of"``) and their ``msgstr`` the text,
so code names a message by its key and a translator edits only the ``.po`` files.

Run as a module, for developers (``python -m layers.po_sync --help``):

- ``move FILE...`` (or ``move --git REV:PATH...``): copy every entry of a
  ``_T = {key: {lang: text}}`` dict (as ``layers/i18n.py`` kept its messages before the
  catalogues) into the three catalogues. A key already in a catalogue with another text is
  reported and left alone (``--replace`` overwrites it); ``--base REV:PATH`` names the dict
  both sides started from, so that only real conflicts are reported. A tuple or list of texts
  is a plural message, one text per plural form.
- ``template --code locale/code.pot``: write ``locale/messages.pot``, the keys the code names
  (``pybabel extract``) together with every key already in a catalogue (label keys such as
  ``kind.<value>`` are built at run time and no extractor sees them), for ``pybabel update``.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

LANGS: tuple[str, ...] = ("kk", "ru", "en")
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
PROJECT = "creative-map"
HEADER_COMMENT = (
    "# Messages of the creative spaces map: msgid is the key the code uses,\n"
    "# msgstr its text. Edit msgstr; `make messages` keeps keys in step."
)

Text = str | tuple[str, ...]
Entries = dict[str, dict[str, Text]]


@dataclass
class MoveReport:
    """What :func:`move_entries` did, per ``(key, lang)``."""

    added: list[tuple[str, str]] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    # Texts equal to the base's: the other side did not change them, the catalogue's stand.
    kept: list[tuple[str, str]] = field(default_factory=list)


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Return the path of one language's catalogue.

    Parameters
    ----------
    lang
        Language code.
    locale_dir
        The ``locale/`` folder.

    Returns
    -------
    Path
        ``<locale_dir>/<lang>/LC_MESSAGES/messages.po``.
    """
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(lang: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    """Read one language's catalogue, or start an empty one with the language's plural forms.

    Parameters
    ----------
    lang
        Language code.
    locale_dir
        The ``locale/`` folder.

    Returns
    -------
    Catalog
        The catalogue (Babel), with its ``Plural-Forms`` header.
    """
    path = po_path(lang, locale_dir)
    if not path.is_file():
        return Catalog(
            locale=lang,
            domain=DOMAIN,
            project=PROJECT,
            header_comment=HEADER_COMMENT,
            language_team=f"{PROJECT} ({lang})",
            last_translator=f"{PROJECT} maintainers",
            fuzzy=False,
        )
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=lang, domain=DOMAIN)


def write_catalogue(catalog: Catalog, lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Write one language's catalogue, sorted by key so that merges stay small.

    Parameters
    ----------
    catalog
        The catalogue.
    lang
        Language code.
    locale_dir
        The ``locale/`` folder.

    Returns
    -------
    Path
        The file written.
    """
    path = po_path(lang, locale_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fileobj:
        write_po(fileobj, catalog, sort_output=True, ignore_obsolete=True)
    return path


def entries_from_source(source: str, name: str = "_T") -> Entries:
    """Return the literal ``{key: {lang: text}}`` dict assigned to ``name`` in Python source.

    The source is parsed, never run.

    Parameters
    ----------
    source
        Python source, such as an old ``layers/i18n.py``.
    name
        The dict's variable name.

    Returns
    -------
    dict
        Key to language to text (a tuple of texts for a plural message).

    Raises
    ------
    ValueError
        When the source assigns no literal dict to ``name``.
    """
    for node in ast.walk(ast.parse(source)):
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        if isinstance(target, ast.Name) and target.id == name and isinstance(value, ast.Dict):
            raw = ast.literal_eval(value)
            return {
                str(key): {
                    str(lang): text if isinstance(text, str) else tuple(text)
                    for lang, text in texts.items()
                }
                for key, texts in raw.items()
            }
    msg = f"no literal dict assigned to {name!r} in the source: pass the file that defines it"
    raise ValueError(msg)


def _message(key: str, text: Text) -> Message:
    if isinstance(text, tuple):
        return Message((key, key), text)
    return Message(key, text)


def move_entries(
    entries: Mapping[str, Mapping[str, Text]],
    *,
    locale_dir: Path = LOCALE_DIR,
    replace: bool = False,
    base: Mapping[str, Mapping[str, Text]] | None = None,
) -> MoveReport:
    """Copy ``{key: {lang: text}}`` entries into the catalogues and write them.

    Parameters
    ----------
    entries
        Key to language to text; a tuple of texts is a plural message.
    locale_dir
        The ``locale/`` folder.
    replace
        Overwrite a text that differs from the catalogue's (otherwise it is a conflict, kept).
    base
        The dict both sides started from (a three-way merge): a text still equal to the base's
        was not changed by the other side, so the catalogue's stands (``kept``); a text the
        catalogue still has as in the base takes the other side's change (``replaced``).

    Returns
    -------
    MoveReport
        Which ``(key, lang)`` pairs were added, replaced, unchanged or in conflict.
    """
    report = MoveReport()
    for lang in LANGS:
        catalog = read_catalogue(lang, locale_dir)
        for key, texts in entries.items():
            if lang not in texts:
                continue
            text = texts[lang]
            old = catalog.get(key)
            if old is None or not old.string:
                catalog[key] = _message(key, text)
                report.added.append((key, lang))
            elif old.string == text:
                report.unchanged.append((key, lang))
            elif base is not None and base.get(key, {}).get(lang) == text:
                report.kept.append((key, lang))
            elif replace or (base is not None and base.get(key, {}).get(lang) == old.string):
                catalog.delete(key)
                catalog[key] = _message(key, text)
                report.replaced.append((key, lang))
            else:
                report.conflicts.append((key, lang))
        changed = {lang_ for _, lang_ in (*report.added, *report.replaced)}
        if lang in changed:
            catalog.revision_date = dt.datetime.now(dt.UTC)
        write_catalogue(catalog, lang, locale_dir)
    return report


def write_template(
    code_keys: Iterable[Message], *, locale_dir: Path = LOCALE_DIR, langs: Sequence[str] = LANGS
) -> Path:
    """Write ``messages.pot``: the keys the code names and every key of the catalogues.

    Parameters
    ----------
    code_keys
        The messages ``pybabel extract`` found in the code.
    locale_dir
        The ``locale/`` folder.
    langs
        The languages whose keys are kept.

    Returns
    -------
    Path
        The template written.
    """
    # The template keeps the catalogues' creation date, so that `pybabel update` rewrites
    # no header line when no key changed and `make messages` is a no-op on a clean tree.
    created = read_catalogue(langs[0], locale_dir).creation_date
    template = Catalog(domain=DOMAIN, project=PROJECT, fuzzy=False, creation_date=created)
    for lang in langs:
        for message in read_catalogue(lang, locale_dir):
            if message.id:
                template[message.id] = Message(message.id)
    for message in code_keys:
        if message.id:
            template[message.id] = Message(message.id, locations=message.locations)
    path = locale_dir / f"{DOMAIN}.pot"
    with path.open("wb") as fileobj:
        write_po(fileobj, template, sort_output=True, omit_header=False)
    return path


# The calls whose first argument is a message key, and whether that message is plural.
KEY_CALLS = {"t": False, "plural": True}


def _key_literals(node: ast.expr) -> list[str]:
    """Return the keys a key argument can be: a literal, or each literal branch of an ``if``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _key_literals(node.body) + _key_literals(node.orelse)
    return []


def extract_keys(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Sequence[str], options: Any
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """Yield the message keys a Python file names, for ``pybabel extract`` (see babel.cfg).

    Babel's own Python extractor glues the two literals of ``t("a" if c else "b", lang)``
    into one key ``"ab"``; this one reads the syntax tree and yields each branch. A plural
    message is yielded as ``(key, key)``, so that ``pybabel update`` keeps its plural forms.

    Parameters
    ----------
    fileobj
        The file, opened in binary mode by Babel.
    keywords
        Babel's keywords (unused: the calls are ``t`` and ``plural``, as the app names them).
    comment_tags
        Unused.
    options
        Unused.

    Yields
    ------
    tuple
        ``(line, function, key or (key, key), comments)``.
    """
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in KEY_CALLS:
            continue
        for key in _key_literals(node.args[0]):
            yield node.lineno, str(name), (key, key) if KEY_CALLS[name] else key, []


def _source_of(spec: str, *, from_git: bool) -> str:
    if from_git:
        # A developer's own revision spec, such as "i10-targets:layers/i18n.py".
        done = subprocess.run(  # noqa: S603
            ["git", "show", spec],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout
    return Path(spec).read_text(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (``python -m layers.po_sync``).

    Parameters
    ----------
    argv
        The arguments (default: the process's).

    Returns
    -------
    int
        The exit status: 1 when a move met a conflict.
    """
    parser = argparse.ArgumentParser(prog="python -m layers.po_sync", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    move = commands.add_parser("move", help="copy _T-style dicts into the catalogues")
    move.add_argument("sources", nargs="+", help="Python files, or REV:PATH with --git")
    move.add_argument("--git", action="store_true", help="read each source with `git show`")
    move.add_argument("--name", default="_T", help="the dict's variable name")
    move.add_argument("--replace", action="store_true", help="overwrite differing texts")
    move.add_argument(
        "--base",
        help="the dict both sides started from (a file, or REV:PATH with --git), such as "
        "main:layers/i18n.py before the catalogues: texts the other side left as they were "
        "keep the catalogue's, texts only it changed are taken",
    )
    template = commands.add_parser("template", help="write locale/messages.pot")
    template.add_argument("--code", required=True, help="the .pot that pybabel extract wrote")
    args = parser.parse_args(argv)
    if args.command == "template":
        with Path(args.code).open("rb") as fileobj:
            extracted = read_po(fileobj)
        print(write_template(extracted))
        return 0
    status = 0
    base = None
    if args.base:
        base = entries_from_source(_source_of(args.base, from_git=args.git), args.name)
    for spec in args.sources:
        entries = entries_from_source(_source_of(spec, from_git=args.git), args.name)
        report = move_entries(entries, replace=args.replace, base=base)
        print(
            f"{spec}: {len(entries)} keys; added {len(report.added)}, replaced "
            f"{len(report.replaced)}, unchanged {len(report.unchanged)}, kept (as in the "
            f"base) {len(report.kept)}, conflicts {len(report.conflicts)}"
        )
        for key, lang in report.conflicts:
            print(f"  conflict, catalogue kept: {key} [{lang}]", file=sys.stderr)
        status = status or int(bool(report.conflicts))
    return status


if __name__ == "__main__":
    raise SystemExit(main())

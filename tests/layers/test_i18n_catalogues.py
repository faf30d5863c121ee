"""The gettext catalogues: complete, consistent, the keys the code uses, and their tooling."""

from __future__ import annotations

import ast
import io
import re
import shutil
import string
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from geo.schema import BANKS, CITIES, KINDS, STATUSES
from layers.i18n import LANGS, all_keys, forms_for, is_plural, messages
from layers.po_sync import (
    entries_from_source,
    extract_keys,
    move_entries,
    po_path,
    write_template,
)
from tests.conftest import ROOT

CODE = [
    ROOT / "dashboard.py",
    *(p for d in ("ui", "layers", "geo", "store", "sources") for p in (ROOT / d).rglob("*.py")),
]
# The number of forms each language's Plural-Forms header declares (CLDR).
NPLURALS = {"kk": 2, "ru": 3, "en": 2}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _po(lang: str):
    with po_path(lang).open("rb") as fileobj:
        return read_po(fileobj, locale=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_each_catalogue_declares_its_plural_forms(lang: str) -> None:
    catalog = _po(lang)
    assert catalog.num_plurals == NPLURALS[lang]
    assert f"nplurals={NPLURALS[lang]};" in catalog.plural_forms
    assert str(catalog.locale) == lang


@pytest.mark.parametrize("lang", LANGS)
def test_no_entry_of_a_catalogue_is_empty(lang: str) -> None:
    """Also what ``make messages`` adds for a key the code names and no one translated yet."""
    entries = [m for m in _po(lang) if m.id]
    assert entries
    empty = [
        m.id for m in entries if not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    assert not empty


def test_the_catalogues_hold_the_same_keys_none_fuzzy_or_obsolete() -> None:
    keys = {
        lang: {m.id if isinstance(m.id, str) else m.id[0] for m in _po(lang) if m.id}
        for lang in LANGS
    }
    assert len(keys["en"]) > 100
    assert keys["kk"] == keys["ru"] == keys["en"]
    for lang in LANGS:
        catalog = _po(lang)
        assert not [m.id for m in catalog if m.id and m.fuzzy]
        assert not catalog.obsolete


@pytest.mark.parametrize("key", all_keys())
def test_every_message_exists_in_all_three_languages_with_the_same_fields(key: str) -> None:
    forms = forms_for(key)
    assert set(forms) == set(LANGS)
    for lang, texts in forms.items():
        assert all(text.strip() for text in texts), (lang, texts)
        if is_plural(key):
            assert len(texts) == NPLURALS[lang], (lang, texts)
    fields = {lang: [_fields(text) for text in texts] for lang, texts in forms.items()}
    first = fields["en"][0]
    assert all(f == first for lang_fields in fields.values() for f in lang_fields), fields


def test_a_missing_or_empty_message_or_a_different_field_is_caught(tmp_path: Path) -> None:
    """The checks above read the catalogues; prove they see a defect planted in a copy."""
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    move_entries(
        {"ui.city": {"ru": "Город {x}"}, "ui.new_key": {"en": "New"}},
        locale_dir=tmp_path / "locale",
        replace=True,
    )
    ru = messages("ru", tmp_path / "locale")
    kk = messages("kk", tmp_path / "locale")
    assert _fields(ru.texts["ui.city"]) != _fields(kk.texts["ui.city"])
    assert "ui.new_key" not in kk.texts
    assert "ui.new_key" in messages("en", tmp_path / "locale").texts


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literals(node: ast.expr) -> list[str]:
    """Return the keys an argument can be: a literal, or each literal branch of an ``if``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _prefix(node: ast.expr) -> str | None:
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


def _uses() -> tuple[dict[str, set[str]], set[str], set[str]]:
    """Return the literal keys of t()/plural() calls, the f-string key prefixes and label fields."""
    keys: dict[str, set[str]] = {"t": set(), "plural": set()}
    prefixes: set[str] = set()
    fields: set[str] = set()
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = _call_name(node)
            if name in keys:
                keys[name].update(_literals(node.args[0]))
                if (prefix := _prefix(node.args[0])) is not None:
                    prefixes.add(prefix)
            elif name == "label":
                fields.update(_literals(node.args[0]))
    return keys, prefixes, fields


def test_the_scan_of_the_code_finds_the_calls() -> None:
    keys, prefixes, fields = _uses()
    assert {"ui.city", "app.title"} <= keys["t"]
    assert {"ui.matching", "near.results_title"} <= keys["plural"]
    assert "ui.basemap." in prefixes
    assert {"kind", "status", "city"} <= fields


def test_every_message_the_code_names_is_in_the_catalogues() -> None:
    keys, prefixes, _ = _uses()
    known = set(all_keys())
    assert not sorted((keys["t"] | keys["plural"]) - known)
    assert not sorted(k for k in keys["t"] if is_plural(k)), "a plural message needs plural()"
    assert not sorted(k for k in keys["plural"] if not is_plural(k)), (
        "plural() needs a plural entry"
    )
    assert not sorted(p for p in prefixes if not any(k.startswith(p) for k in known))


def test_every_key_held_in_a_constant_of_the_code_is_in_the_catalogues() -> None:
    """Keys chosen at run time from a table or a record (``_LIST_WORDS``, ``why_key``...)."""
    families = {key.split(".", 1)[0] for key in all_keys() if "." in key}
    words = "|".join(sorted(families))
    pattern = re.compile(rf"^(?:{words})\.[a-z_]*[a-z](?:\.[A-Za-z_]*[A-Za-z])*$")
    found: set[str] = set()
    for path in CODE:
        if path.name in {"i18n.py", "po_sync.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and pattern.match(node.value)
            ):
                found.add(node.value)
    assert len(found) > 50
    modules = {p.stem for p in CODE} | {"py", "gpkg", "csv", "json", "js", "md", "txt"}
    missing = sorted(k for k in found - set(all_keys()) if k.split(".")[-1] not in modules)
    assert not missing


def test_every_value_a_label_shows_has_a_message() -> None:
    """The keys built at run time: kind., status., bank., city. and district.<value>."""
    districts = pd.read_csv(ROOT / "data" / "curated_places.csv", usecols=["district"])["district"]
    values = {
        "kind": set(KINDS),
        "status": set(STATUSES),
        "bank": set(BANKS),
        "city": {*CITIES, "both"},
        "district": set(districts.dropna()),
    }
    assert values["district"]
    known = set(all_keys())
    missing = sorted(
        f"{field}.{v}" for field, vs in values.items() for v in vs if f"{field}.{v}" not in known
    )
    assert not missing


@pytest.mark.parametrize("lang", LANGS)
def test_the_compiled_catalogue_reads_back_the_same_messages(lang: str, tmp_path: Path) -> None:
    folder = tmp_path / "locale" / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    shutil.copy(po_path(lang), folder / "messages.po")
    with (folder / "messages.mo").open("wb") as fileobj:
        write_mo(fileobj, _po(lang))
    compiled = messages(lang, tmp_path / "locale")
    assert compiled.source.suffix == ".mo"
    source = messages(lang)
    assert dict(compiled.texts) == dict(source.texts)
    assert [compiled.plural_index(n) for n in range(120)] == [
        source.plural_index(n) for n in range(120)
    ]


def test_the_sync_tool_moves_a_dict_of_messages_into_the_catalogues(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    source = """
_T: dict[str, dict[str, str]] = {
    "ui.city": {"kk": "Қала", "ru": "Другой текст", "en": "City"},
    "tour.next": {"kk": "Келесі", "ru": "Далее", "en": "Next"},
    "tour.stops": {
        "kk": ("{n} аялдама", "{n} аялдама"),
        "ru": ("{n} остановка", "{n} остановки", "{n} остановок"),
        "en": ("{n} stop", "{n} stops"),
    },
}
"""
    entries = entries_from_source(source)
    report = move_entries(entries, locale_dir=tmp_path / "locale")
    assert ("tour.next", "kk") in report.added
    assert report.conflicts == [("ui.city", "ru")]
    ru = messages("ru", tmp_path / "locale")
    assert ru.texts["tour.next"] == "Далее"
    assert ru.texts["ui.city"] == messages("ru").texts["ui.city"]  # the catalogue kept
    assert ru.texts["tour.stops"][ru.plural_index(22)] == "{n} остановки"
    again = move_entries(entries, locale_dir=tmp_path / "locale")
    assert not again.added
    assert ("tour.next", "en") in again.unchanged


def test_a_source_without_the_dict_is_refused() -> None:
    with pytest.raises(ValueError, match="no literal dict assigned to '_T'"):
        entries_from_source("X = {}\n")


def test_make_messages_adds_a_new_key_everywhere_and_keeps_the_rest(tmp_path: Path) -> None:
    """The Makefile's pipeline: pybabel extract, the template, pybabel update and compile."""
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    code = tmp_path / "code"
    code.mkdir()
    (code / "page.py").write_text(
        "from layers.i18n import plural, t\n"
        'a = t("ui.city", "ru")\n'
        'b = t("tour.brand_new", "ru")\n'
        'c = plural("ui.matching", 3, "ru", n=1, total=3)\n'
        'd = t("tour.new_on" if b else "tour.new_off", "ru")\n',
        encoding="utf-8",
    )
    pot = tmp_path / "locale" / "code.pot"
    cli = CommandLineInterface()
    cli.run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-default-keywords",
            "-k",
            "t",
            "-k",
            "plural:1,1",
            "--no-location",
            "-o",
            str(pot),
            str(code),
        ]
    )
    with pot.open("rb") as fileobj:
        write_template(read_po(fileobj), locale_dir=tmp_path / "locale")
    locale = str(tmp_path / "locale")
    cli.run(
        [
            "pybabel",
            "-q",
            "update",
            "-i",
            f"{locale}/messages.pot",
            "-d",
            locale,
            "-D",
            "messages",
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ]
    )
    cli.run(["pybabel", "-q", "compile", "-d", locale, "-D", "messages"])
    for lang in LANGS:
        with po_path(lang, tmp_path / "locale").open("rb") as fileobj:
            updated = read_po(fileobj, locale=lang)
        for key in ("tour.brand_new", "tour.new_on", "tour.new_off"):
            assert updated.get(key).string == ""  # to translate: the tests fail until then
        assert updated.get("tour.new_ontour.new_off") is None  # Babel's own would glue them
        assert isinstance(updated.get("ui.matching").id, tuple)  # still plural
        assert updated.num_plurals == NPLURALS[lang]
        compiled = messages(lang, tmp_path / "locale")
        assert compiled.source.suffix == ".mo"
        assert "tour.brand_new" not in compiled.texts
        assert {k: v for k, v in compiled.texts.items()} == dict(messages(lang).texts)


def test_with_a_base_only_the_other_sides_own_changes_are_taken(tmp_path: Path) -> None:
    """A three-way move: both sides started from the same ``_T`` (``--base``)."""
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    ours = messages("ru").texts
    assert isinstance(ours["ui.matching"], tuple)  # ours changed it into a plural
    base = {"ui.matching": {"ru": "old {n} {total}"}, "ui.city": {"ru": ours["ui.city"]}}
    theirs = {
        "ui.matching": {"ru": "old {n} {total}"},  # untouched by them: ours stands
        "ui.city": {"ru": "Их город"},  # changed only by them: theirs is taken
    }
    report = move_entries(theirs, locale_dir=tmp_path / "locale", base=base)
    assert report.kept == [("ui.matching", "ru")]
    assert report.replaced == [("ui.city", "ru")]
    assert not report.conflicts
    moved = messages("ru", tmp_path / "locale").texts
    assert moved["ui.matching"] == ours["ui.matching"]
    assert moved["ui.city"] == "Их город"


def test_the_extractor_yields_each_key_a_call_names() -> None:
    source = (
        b'x = t("a.one", lang)\n'
        b'y = plural("a.count", n, lang, n=1)\n'
        b'z = t("a.on" if on else "a.off", lang)\n'
        b'w = t(f"a.{v}", lang)\n'
        b'q = other("a.not")\n'
    )
    found = [(name, key) for _, name, key, _ in extract_keys(io.BytesIO(source), {}, [], {})]
    assert sorted(found, key=str) == sorted(
        [("t", "a.one"), ("plural", ("a.count", "a.count")), ("t", "a.on"), ("t", "a.off")],
        key=str,
    )

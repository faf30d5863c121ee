"""AppTest: names, summaries and links from data add no heading, list, link or image to the page."""

from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from layers.i18n import t
from settings import DATA_DIR_VAR
from tests.catalogue import PLACES, write_catalogue
from tests.conftest import ROOT
from tests.layers.nasty_text import BIDI, CRAFTED_URL, GFM_AUTOLINKS, RLO

SCRIPT = str(ROOT / "dashboard.py")
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
PID = "almaty_depo"
NAME = f"Depo\r===\r# Injected heading\r\n- injected item\u2028\t\tcode\u2029{RLO}gnp.exe"
SUMMARY = "Summary\r## Summary heading\r* item\r1) one\r> quote\r![i](http://127.0.0.1:9/i.png)"
NOTE = "Note\r\n---\r[link](https://evil.example/)"


def _run(folder, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv(DATA_DIR_VAR, str(folder))
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _blocks_and_inlines(markdown: str) -> tuple[list[str], list[str]]:
    tokens = MARKDOWN.parse(markdown)
    blocks = [tok.type for tok in tokens]
    inlines = [c.type for tok in tokens for c in tok.children or []]
    shown = [c.content for tok in tokens for c in tok.children or [] if c.type == "text"]
    assert not [text for text in shown for p in GFM_AUTOLINKS if p.search(text)]
    return blocks, inlines


def test_a_crafted_name_summary_and_note_make_no_heading_list_or_link(tmp_path, monkeypatch):
    places = PLACES.copy()
    where = places["id"] == PID
    for lang in ("kk", "ru", "en"):
        places.loc[where, f"name_{lang}"] = NAME
    places.loc[where, "summary_en"] = SUMMARY
    places.loc[where, "location_note_en"] = NOTE
    write_catalogue(tmp_path, places)
    at = _run(tmp_path, monkeypatch, lang="en", place=PID)
    texts = [m.value for m in at.markdown if not m.value.startswith("<style")]  # the app's CSS
    assert any("Injected heading" in text for text in texts)  # the card is open
    headings, links = [], []
    for text in texts:
        assert not set(text) & set(BIDI), text
        assert len(text.splitlines()) <= 1, text
        blocks, inlines = _blocks_and_inlines(text)
        assert not {"bullet_list_open", "ordered_list_open", "blockquote_open"} & set(blocks)
        assert not {"code_block", "fence", "html_block"} & set(blocks)
        assert "image" not in inlines
        headings += [b for b in blocks if b == "heading_open"]
        links += [text for i in inlines if i == "link_open"]
    names = [text for text in texts if "Injected heading" in text]
    assert len(headings) == sum(text.startswith("#") for text in texts)
    assert names[0].startswith("### Depo ")  # the one heading is the name, on one line
    assert all(t("ui.source", "en") in link for link in links)  # only the source link
    options = at.radio(key="place_list").options
    (listed,) = [o for o in options if "Injected" in o]
    assert not set(listed) & set(BIDI)
    assert _blocks_and_inlines(listed)[0] == ["paragraph_open", "inline", "paragraph_close"]


def test_a_crafted_source_url_is_refused_naming_record_column_and_value(tmp_path, monkeypatch):
    places = PLACES.copy()
    places.loc[places["id"] == PID, "source_url"] = CRAFTED_URL
    write_catalogue(tmp_path, places)
    at = _run(tmp_path, monkeypatch, lang="ru", place=PID)
    (error,) = at.error
    assert t("ui.data_error", "ru") in error.value
    tokens = MARKDOWN.parse(error.value)
    items = [
        "".join(c.content for c in tok.children or []).replace("\u2060", "")  # word joiners
        for i, tok in enumerate(tokens)
        if tok.type == "inline" and tokens[i - 2].type == "list_item_open"
    ]
    assert items == [
        f"Запись '{PID}': ссылка в столбце source_url содержит недопустимый символ ')' "
        f"(закодируйте его, например %28 вместо «(»): '{CRAFTED_URL}'"
    ]
    inlines = [c.type for tok in tokens for c in tok.children or []]
    shown = [c.content for tok in tokens for c in tok.children or [] if c.type == "text"]
    assert not [text for text in shown for p in GFM_AUTOLINKS if p.search(text)]
    assert "image" not in inlines
    assert "link_open" not in inlines
    assert not [m for m in at.markdown if "127.0.0.1" in m.value]

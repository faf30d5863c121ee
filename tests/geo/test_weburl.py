"""The one parser of links from data: the validator refuses what the card would not link."""

import re

import pytest

from geo.errors import InputError, Problem
from geo.validate import validate_places
from geo.weburl import REASONS, WebUrlError, parse_web_url, web_url_problem
from layers.i18n import LANGS, t, translations_for
from tests.geo.test_validate_select import _frame, _place
from tests.layers.nasty_text import CRAFTED_URL, IMAGE

CRAFTED = CRAFTED_URL


@pytest.mark.parametrize(
    ("value", "href"),
    [
        ("https://example.org/a?b=1&c=2#x", "https://example.org/a?b=1&c=2#x"),
        ("HTTP://Example.ORG:8080/p", "http://example.org:8080/p"),
        ("https://www.zakon.kz/6031297-kreativnye.html", None),
        (
            "https://ru.wikipedia.org/wiki/Астана",
            "https://ru.wikipedia.org/wiki/%D0%90%D1%81%D1%82%D0%B0%D0%BD%D0%B0",
        ),
        ("https://мвд.kz/x", "https://xn--b1aew.kz/x"),
        ("https://en.wikipedia.org/wiki/Bayterek_%28tower%29", None),
        ("https://www.openstreetmap.org/node/101", None),
    ],
)
def test_plain_web_links_parse_and_rebuild_in_ascii(value, href):
    url = parse_web_url(value)
    assert url.href == (href or value)
    assert url.href.isascii()
    assert url.scheme in {"http", "https"}


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (CRAFTED, "character"),
        ("https://example.org/ x", "character"),
        ("https://example.org/\r# Heading", "character"),
        ("https://example.org/\u202egnp.exe", "character"),
        ("https://example.org/<script>", "character"),
        ("https://example.org/`x`", "character"),
        ("https://example.org/${x}", "character"),
        ("https://example.org/[x]", "character"),
        ("https://example.org/a!b", "character"),
        ("https://example.org/a\\b", "character"),
        ("https://example.org/a\x00", "character"),
        ("javascript:alert(1)", "scheme"),
        ("data:image/png;base64,AAAA", "scheme"),
        ("ftp://example.org/", "scheme"),
        ("//example.org/", "scheme"),
        ("https:example.org", "scheme"),
        ("example.org", "scheme"),
        (42, "scheme"),
        ("https://trusted.kz@evil.example/", "userinfo"),
        ("https:///path", "host"),
        ("https://exa_mple.org/", "host"),
        ("https://-bad.org/", "host"),
        ("https://a..org/", "host"),
        ("https://example.org:0/", "port"),
        ("https://example.org:99999/", "port"),
        ("https://example.org:80x/", "port"),
        ("https://example.org/%zz", "percent"),
        ("https://example.org/%2", "percent"),
        ("https://example.org/" + "a" * 2000, "too_long"),
    ],
)
def test_anything_else_is_refused_with_its_reason(value, reason):
    with pytest.raises(WebUrlError) as caught:
        parse_web_url(value)
    assert caught.value.reason == reason
    assert isinstance(caught.value, InputError)
    assert web_url_problem(value).reason == reason


def test_every_reason_has_a_message_in_every_language():
    for reason in REASONS:
        texts = translations_for(f"url.{reason}")
        assert set(texts) == set(LANGS), reason


def test_the_validator_refuses_a_crafted_link_naming_record_column_and_value():
    with pytest.raises(InputError) as caught:
        validate_places(_frame(_place(source_url=CRAFTED)))
    err = caught.value
    assert re.search(r"record 'astana_test': source_url contains '\)', which a link", str(err))
    assert IMAGE in str(err)
    (problem,) = err.problems
    assert isinstance(problem, Problem)
    assert problem.key == "url.character"
    ru = t(problem.key, "ru", **problem.values)
    assert ru.startswith("Запись 'astana_test': ссылка в столбце source_url содержит")
    assert IMAGE in ru
    kk = t(problem.key, "kk", **problem.values)
    assert kk.startswith("'astana_test' жазбасы: source_url бағанындағы")


def test_the_validator_shows_a_long_link_shortened():
    with pytest.raises(InputError, match="is longer than 2000 characters") as caught:
        validate_places(_frame(_place(source_url="https://example.org/" + "a" * 5000)))
    assert len(str(caught.value)) < 600


def test_the_validator_accepts_plain_links_and_no_link():
    frame = _frame(
        _place(source_url="https://ru.wikipedia.org/wiki/Астана"),
        _place(id="astana_two", source_url=None),
    )
    assert validate_places(frame) is frame

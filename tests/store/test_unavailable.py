"""A database that is down, or a DATABASE_URL that is wrong, gives one clear StoreUnavailable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from geo.errors import InputError
from store import StoreUnavailable, open_store
from tests.postgis_cluster import free_port
from tests.store.conftest import settings_for

SECRET = "s3cret-Pa55word"


def _with(url: str, **parts) -> str:
    return sa.make_url(url).set(**parts).render_as_string(hide_password=False)


def _read_error(tmp_path, url: str) -> str:
    store = open_store(settings_for(tmp_path, url))
    try:
        with pytest.raises(StoreUnavailable) as caught:
            store.read_layer("places")
        with pytest.raises(StoreUnavailable):
            store.version("places")
    finally:
        store.dispose()
    message = str(caught.value)
    assert SECRET not in message
    assert SECRET not in store.describe()
    assert "DATABASE_URL" in message
    assert "Traceback" not in message
    assert isinstance(caught.value, InputError)
    return message


def test_a_refused_port_says_what_failed_and_where(tmp_path):
    port = free_port()
    message = _read_error(tmp_path, f"postgresql://map:{SECRET}@127.0.0.1:{port}/creative_map")
    assert f"postgresql://map:***@127.0.0.1:{port}/creative_map" in message
    assert "reading layer 'places'" in message
    assert "Connection refused" in message
    assert "running" in message


def test_a_wrong_password_is_refused_without_showing_it(tmp_path, postgis_url):
    message = _read_error(tmp_path, _with(postgis_url, password=SECRET))
    assert "password authentication failed" in message
    assert ":***@127.0.0.1" in message


def test_an_unknown_database_is_named(tmp_path, postgis_url):
    real_password = sa.make_url(postgis_url).password
    message = _read_error(tmp_path, _with(postgis_url, database="no_such_db"))
    assert 'database "no_such_db" does not exist' in message
    assert real_password not in message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url at all", "not a usable database URL"),
        (f"mysql://map:{SECRET}@127.0.0.1/db", "a postgresql:// URL is needed"),
    ],
)
def test_a_malformed_url_is_refused_when_the_store_opens(tmp_path, url, expected):
    with pytest.raises(StoreUnavailable, match=expected) as caught:
        open_store(settings_for(tmp_path, url))
    assert SECRET not in str(caught.value)
    assert "postgresql://user:password@host:5432/database" in str(caught.value)

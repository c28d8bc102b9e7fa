"""`check_public_url`: feeds come from public hosts unless the setting allows others."""

from __future__ import annotations

import pytest

from ingest.errors import BadInput
from ingest.fetch import ALLOW_PRIVATE_SETTING, check_public_url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8080/feed.xml", "loopback"),
        ("http://[::1]/feed.xml", "loopback"),
        ("http://10.1.2.3/feed.xml", "private"),
        ("https://192.168.0.10/rss", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::ffff:127.0.0.1]/feed.xml", "loopback"),
        ("http://0.0.0.0/feed.xml", "reserved"),
        ("http://localhost:9000/feed.xml", "internal host name"),
        ("http://wiki.corp/feed.xml", "internal host name"),
        ("http://fileserver/feed.xml", "without a domain"),
    ],
)
def test_a_non_public_host_is_refused_naming_the_url_and_the_setting(url: str, why: str) -> None:
    with pytest.raises(BadInput) as raised:
        check_public_url(url)
    message = str(raised.value)
    assert url in message and why in message and ALLOW_PRIVATE_SETTING in message


def test_the_setting_allows_them() -> None:
    assert check_public_url(" http://127.0.0.1:8080/feed.xml ", allow_private=True) == (
        "http://127.0.0.1:8080/feed.xml"
    )


def test_a_public_name_passes_and_one_resolving_to_a_private_address_does_not() -> None:
    public = {"news.example.org": ["93.184.216.34"], "sneaky.example.org": ["10.0.0.7"]}
    assert check_public_url("https://news.example.org/rss", resolve=public.__getitem__) == (
        "https://news.example.org/rss"
    )
    with pytest.raises(BadInput, match=r"resolves to 10\.0\.0\.7, a private address"):
        check_public_url("https://sneaky.example.org/rss", resolve=public.__getitem__)


def test_a_public_address_passes_and_no_resolver_means_the_name_as_written() -> None:
    assert check_public_url("http://93.184.216.34/feed") == "http://93.184.216.34/feed"
    assert check_public_url("https://feeds.example.net/x") == "https://feeds.example.net/x"

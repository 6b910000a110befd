"""core.clientip: which address is the client's, and what is stored of it."""

import pytest
from django.test import RequestFactory

from core.clientip import UNKNOWN, client_ip, hash_ip, rate_key


def request(remote="203.0.113.10", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_remote_addr_without_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.10")) == "203.0.113.10"


def test_forwarded_header_from_an_untrusted_client_is_ignored(settings):
    """Anyone can send X-Forwarded-For; only a trusted proxy's entry counts."""
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_ip(request("203.0.113.10", "1.1.1.1")) == "203.0.113.10"


def test_rightmost_entry_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # The client forged "1.1.1.1"; nginx appended the address it saw.
    assert client_ip(request("10.0.0.2", "1.1.1.1, 198.51.100.4")) == "198.51.100.4"


def test_chain_of_trusted_proxies_and_networks(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "2001:db8::1"]
    assert client_ip(request("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.1.2.3")) == "198.51.100.4"
    assert client_ip(request("2001:db8::1", "2001:db8:aaaa::5")) == "2001:db8:aaaa::5"


@pytest.mark.parametrize("forwarded", ["", "unknown", "not-an-ip, ", "999.1.1.1"])
def test_garbage_header_falls_back_to_the_proxy(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    assert client_ip(request("10.0.0.2", forwarded)) == "10.0.0.2"


def test_missing_remote_addr():
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="")) == UNKNOWN


def test_ipv4_mapped_ipv6_is_ipv4():
    assert client_ip(request("::ffff:198.51.100.4")) == "198.51.100.4"


def test_ipv6_clients_are_limited_per_64_network():
    assert rate_key("2001:db8:1:2:aaaa::1") == rate_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert hash_ip("2001:db8:1:2:aaaa::1") == hash_ip("2001:db8:1:2:ffff::9")
    assert hash_ip("2001:db8:1:3::1") != hash_ip("2001:db8:1:2::1")


def test_hash_is_salted_and_does_not_contain_the_address(settings):
    settings.IP_HASH_SALT = "muoi-mot"
    first = hash_ip("198.51.100.4")
    assert len(first) == 64 and "198" not in first
    assert hash_ip("198.51.100.4") == first
    assert hash_ip("198.51.100.5") != first
    settings.IP_HASH_SALT = "muoi-hai"
    assert hash_ip("198.51.100.4") != first

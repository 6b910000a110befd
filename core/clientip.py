"""The client's IP address, and the salted hash the portal stores instead of it.

The address is REMOTE_ADDR, unless REMOTE_ADDR is one of settings.TRUSTED_PROXIES (addresses or
networks such as "10.0.0.0/8"): then X-Forwarded-For is read from the right, skipping the trusted
proxies, and the first address no trusted proxy vouches for is the client. Entries further left
were written by the client and are never believed.
See https://developer.mozilla.org/docs/Web/HTTP/Headers/X-Forwarded-For#selecting_an_ip_address

Only a salted HMAC of the address is ever stored (Decree 13/2023/NĐ-CP on personal data).
"""

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings

UNKNOWN = "0.0.0.0"  # noqa: S104 - a placeholder address, never bound


def _parse(value):
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _trusted_networks(proxies):
    return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies if proxy.strip())


def _is_trusted(address):
    networks = _trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(address in network for network in networks if network.version == address.version)


def client_ip(request):
    """The client's address as a string ("0.0.0.0" when the server gave none)."""
    address = _parse(request.META.get("REMOTE_ADDR", ""))
    if address is None:
        return UNKNOWN
    if _is_trusted(address):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for entry in reversed(forwarded.split(",")):
            candidate = _parse(entry)
            if candidate is None:
                break  # garbage: keep the last address a trusted proxy gave us
            address = candidate
            if not _is_trusted(candidate):
                break
    return str(address)


def rate_key(ip):
    """What identifies one client for limits: the IPv4 address, or the /64 network of an IPv6 one
    (a single IPv6 subscriber usually holds a whole /64 and could rotate through it)."""
    address = _parse(ip) or _parse(UNKNOWN)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def hash_ip(ip):
    """A salted HMAC-SHA256 (64 hex characters) of the client key of `ip`."""
    salt = str(settings.IP_HASH_SALT).encode()
    return hmac.new(salt, rate_key(ip).encode(), hashlib.sha256).hexdigest()


def client_ip_hash(request):
    return hash_ip(client_ip(request))

# SPDX-License-Identifier: MIT
"""
IPv4/IPv6 addresses and networks for access restrictions (SPEC EU-2).

Parsed by the standard :mod:`ipaddress` module, strictly: an address is a
one-host network, host bits must not be set, and octets with leading
zeros are refused:

>>> from customer_domain.validation import networks
>>> networks.validate("192.0.2.7")
IPv4Network('192.0.2.7/32')
>>> networks.validate("2001:db8::/32")
IPv6Network('2001:db8::/32')
>>> networks.is_valid("123.542.654.785")
False
"""

from __future__ import annotations

import ipaddress

from typing import Final, TypeAlias

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError


__all__ = ["Network", "is_valid", "normalize", "validate"]

#: An IPv4 or IPv6 network (a single address is a /32 or /128).
Network: TypeAlias = ipaddress.IPv4Network | ipaddress.IPv6Network

_MAX_INPUT: Final = 64


def validate(raw: object) -> Network:
    """Return the network or raise `ValidationError`."""
    if isinstance(raw, ipaddress.IPv4Network | ipaddress.IPv6Network):
        return raw
    if isinstance(raw, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return ipaddress.ip_network(raw)
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="an IP address or network")
    text = raw.strip()
    if not text:
        fail("required", raw)
    if len(text) > _MAX_INPUT:
        fail("network.invalid", raw)
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(text, strict=False)
    except ValueError:
        fail("network.invalid", raw)
    fail("network.host_bits", raw, suggestion=str(loose))


def normalize(raw: object) -> str:
    """Return the network in CIDR form (``"192.0.2.0/24"``)."""
    return str(validate(raw))


def is_valid(raw: object) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw)
    except ValidationError:
        return False
    return True

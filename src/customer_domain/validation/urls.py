# SPDX-License-Identifier: MIT
"""
Web addresses: absolute ``http``/``https`` URLs (SPEC CH-2).

The scheme and host are lower-cased; the rest is kept as typed:

>>> from customer_domain.validation import urls
>>> urls.validate("HTTPS://www.HerveDavid.com/fr/")
'https://www.hervedavid.com/fr/'
>>> urls.is_valid("www.hervedavid.com")
False
"""

from __future__ import annotations

import ipaddress
import re

from typing import Final
from urllib.parse import urlsplit, urlunsplit

from customer_domain._collect import fail
from customer_domain.exceptions import ValidationError


__all__ = ["is_valid", "normalize", "validate"]

_MAX_INPUT: Final = 2000
_LABEL: Final = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)\Z")


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = host.removesuffix(".").split(".")
    return len(labels) > 1 and all(_LABEL.match(label) for label in labels)


def validate(raw: object) -> str:
    """Return the normalized URL or raise `ValidationError`."""
    if not isinstance(raw, str):
        fail("invalid_type", raw, expected="a web address")
    text = raw.strip()
    if not text:
        fail("required", raw)
    if len(text) > _MAX_INPUT or any(c.isspace() for c in text):
        fail("url.invalid", raw)
    try:
        parts = urlsplit(text)
        _ = parts.port  # Raises ValueError for a bad port.
    except ValueError:
        fail("url.invalid", raw)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not _valid_host(
        parts.hostname or ""
    ):
        fail("url.invalid", raw)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo}{at}{hostport.lower()}"
    return urlunsplit(
        (scheme, netloc, parts.path, parts.query, parts.fragment)
    )


def normalize(raw: str) -> str:
    """Return the normalized URL (this is `validate`)."""
    return validate(raw)


def is_valid(raw: object) -> bool:
    """Tell whether `validate` accepts *raw*."""
    try:
        validate(raw)
    except ValidationError:
        return False
    return True

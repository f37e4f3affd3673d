# SPDX-License-Identifier: MIT
"""External (portal) users created from persons (SPEC EU-1..EU-5)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets
import uuid

from typing import Final

import attrs

from customer_domain._collect import Collector, fail
from customer_domain.model._base import (
    Entity,
    no_public_constructor,
    set_fields,
    trusted,
)
from customer_domain.model.enums import UserStatus
from customer_domain.validation import codes, emails, networks
from customer_domain.validation._fields import (
    duration,
    identity,
    items,
    text,
    timestamp,
)


__all__ = ["ExternalUser", "Invitation", "InvitationToken"]

#: How long an invitation link stays valid by default.
INVITATION_TTL: Final = dt.timedelta(days=7)
#: The one role external users have (EU-2).
CUSTOMER_ROLE: Final = "customer"


#: Most networks an external user may be restricted to (EU-2).
MAX_NETWORKS: Final = 1000
#: The longest invitation a host may give.
MAX_INVITATION_TTL: Final = dt.timedelta(days=366)
_MAX_TOKEN: Final = 512
_MAX_ADDRESS: Final = 64


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _now(now: object) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    if not isinstance(now, dt.datetime):
        fail("datetime.invalid", now)
    at = timestamp(now)
    if at is None:  # pragma: no cover -- a datetime is never empty.
        fail("datetime.invalid", now)
    return at


_SHA256_HEX: Final = re.compile(r"[0-9a-f]{64}\Z")


def _token_hash(value: object) -> str:
    if not isinstance(value, str) or not _SHA256_HEX.match(value):
        fail("invalid_type", value, expected="a SHA-256 hex digest")
    return value


def _required_timestamp(value: object) -> dt.datetime:
    at = timestamp(value)
    if at is None:
        fail("required", value)
    return at


@attrs.frozen(init=False, weakref_slot=False)
class InvitationToken:
    """
    What is stored of an invitation (EU-4): the token's SHA-256, never the
    token itself, its expiry and when it was used.

    .. versionadded:: 0.1.0
    """

    token_hash: str
    expires_at: dt.datetime
    used_at: dt.datetime | None

    def __init__(
        self,
        token_hash: str,
        expires_at: dt.datetime | str,
        used_at: dt.datetime | str | None = None,
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("token_hash", _token_hash, token_hash),
            c.check("expires_at", _required_timestamp, expires_at),
            c.check("used_at", timestamp, used_at),
        )
        c.raise_if_any()


@attrs.frozen(init=False, repr=False, weakref_slot=False)
class Invitation:
    """
    An invitation for the host to send (EU-4): the plain *token* exists
    only here, once; put it in the link that lets the user set a password.

    .. versionadded:: 0.1.0
    """

    user_id: uuid.UUID
    login: str
    email: str
    token: str
    expires_at: dt.datetime

    def __init__(
        self,
        user_id: uuid.UUID | str,
        login: str,
        email: str,
        token: str,
        expires_at: dt.datetime | str,
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("user_id", identity, user_id),
            c.check("login", codes.validate_login, login),
            c.check("email", emails.validate, email),
            c.check("token", text, token, required=True),
            c.check("expires_at", _required_timestamp, expires_at),
        )
        c.raise_if_any()

    def __repr__(self) -> str:
        return (
            f"<Invitation user={self.user_id} login={self.login!r}"
            f" expires={self.expires_at.isoformat()}>"
        )


def read_networks(value: object) -> tuple[networks.Network, ...]:
    """Validate a list of IP addresses or networks (EU-2)."""
    if value is None:
        return ()
    listed = items(value, expected="a list of IP networks", limit=MAX_NETWORKS)
    c = Collector()
    out: dict[networks.Network, None] = {}
    for i, item in enumerate(listed):
        net = c.check(f"[{i}]", networks.validate, item)
        if net is not None:
            out[net] = None
    c.raise_if_any()
    return tuple(out)


@attrs.frozen(init=False, eq=False, repr=False, weakref_slot=False)
class ExternalUser(Entity):
    """
    A customer-side login made from a person (SPEC EU-1..EU-5).

    Created by `Customer.add_external_user`.  The library stores no
    password: the host sends the `Invitation` and the user sets one.

    .. versionadded:: 0.1.0
    """

    id: uuid.UUID
    person_id: uuid.UUID
    #: The customer whose data the user sees (the person's customer).
    customer_id: uuid.UUID
    login: str
    email: str
    status: UserStatus
    #: EU-3: the first external user of a customer.
    super_admin: bool
    #: EU-2: addresses or networks the user may log in from; empty means
    #: no restriction.
    allowed_networks: tuple[networks.Network, ...]
    #: EU-2: optional restriction to one branch of the customer.
    branch: str
    invitation: InvitationToken | None
    version: int

    def __init__(self, *_: object, **__: object) -> None:
        no_public_constructor("Customer.add_external_user()")

    def __repr__(self) -> str:
        return (
            f"<ExternalUser id={self.id} login={self.login!r}"
            f" status={self.status.value}>"
        )

    @property
    def role(self) -> str:
        """Always ``"customer"``, the fixed system role (EU-2)."""
        return CUSTOMER_ROLE

    @property
    def is_active(self) -> bool:
        """Whether the user may log in (given a password)."""
        return self.status is UserStatus.ACTIVE

    @property
    def holds_seat(self) -> bool:
        """Whether the user takes a license seat: invited or active (CU-17)."""
        return self.status is not UserStatus.INACTIVE

    def update(
        self,
        *,
        login: object = None,
        email: object = None,
        allowed_networks: object = None,
        branch: object = None,
    ) -> None:
        """
        Change the login, e-mail, IP restriction or branch; arguments left
        to None keep their value.  All or nothing.
        """
        c = Collector()
        changes: dict[str, object] = {}
        if login is not None:
            changes["login"] = c.check("login", codes.validate_login, login)
        if email is not None:
            changes["email"] = c.check("email", emails.validate, email)
        if allowed_networks is not None:
            changes["allowed_networks"] = c.check(
                "allowed_networks", read_networks, allowed_networks
            )
        if branch is not None:
            changes["branch"] = c.check("branch", text, branch)
        c.raise_if_any()
        set_fields(self, **changes)

    def invite(
        self,
        *,
        now: dt.datetime | None = None,
        ttl: dt.timedelta = INVITATION_TTL,
    ) -> Invitation:
        """
        Issue a new invitation (EU-4); any earlier link stops working.

        The token is random (256 bits); only its hash is kept.
        """
        c = Collector()
        at = c.check("now", _now, now)
        if at is not None:
            c.check("ttl", duration, ttl, at=at, longest=MAX_INVITATION_TTL)
        c.raise_if_any()
        token = secrets.token_urlsafe(32)
        stored = trusted(
            InvitationToken,
            token_hash=_hash(token),
            expires_at=at + ttl,
            used_at=None,
        )
        set_fields(self, invitation=stored)
        return trusted(
            Invitation,
            user_id=self.id,
            login=self.login,
            email=self.email,
            token=token,
            expires_at=at + ttl,
        )

    def accept_invitation(
        self, token: object, *, now: dt.datetime | None = None
    ) -> None:
        """
        Use the invitation *token* (EU-4): single use, before it expires.
        The user becomes active.
        """
        c = Collector()
        at = c.check("now", _now, now)
        c.raise_if_any()
        stored = self.invitation
        if (
            stored is None
            or not isinstance(token, str)
            or len(token) > _MAX_TOKEN
            or not hmac.compare_digest(_hash(token), stored.token_hash)
        ):
            fail("invitation.invalid")
        if stored.used_at is not None:
            fail("invitation.used")
        if at >= stored.expires_at:
            fail("invitation.expired")
        if self.status is UserStatus.INACTIVE:
            fail("external_user.inactive")
        set_fields(
            self,
            invitation=trusted(
                InvitationToken,
                token_hash=stored.token_hash,
                expires_at=stored.expires_at,
                used_at=at,
            ),
            status=UserStatus.ACTIVE,
        )

    def allows(
        self, address: ipaddress.IPv4Address | ipaddress.IPv6Address | str
    ) -> bool:
        """
        Tell whether a login from *address* is allowed (EU-2).

        The host passes the client address it trusts (never a raw
        ``X-Forwarded-For`` header).  An empty list allows every address;
        IPv4-mapped IPv6 addresses are checked as IPv4.
        """
        if not isinstance(
            address, str | ipaddress.IPv4Address | ipaddress.IPv6Address
        ):
            fail("invalid_type", address, expected="an IP address")
        if not self.allowed_networks:
            return True
        if isinstance(address, str) and len(address) > _MAX_ADDRESS:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip in net for net in self.allowed_networks)

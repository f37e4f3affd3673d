# SPDX-License-Identifier: MIT
"""
One access decision, with its reasons (SPEC EU-2, CU-12, AG-1..AG-4,
PE-6).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import uuid

from typing import Final

import attrs

from customer_domain._collect import Collector
from customer_domain._messages import Locale
from customer_domain._text import fold
from customer_domain.exceptions import Issue
from customer_domain.model.agency import Agency
from customer_domain.model.customer import Customer
from customer_domain.model.enums import UserStatus
from customer_domain.model.external_user import ExternalUser
from customer_domain.model.person import Person
from customer_domain.validation._fields import date, text


__all__ = ["AccessDecision", "decide_access"]

_ADDRESS_TYPES: Final = (str, ipaddress.IPv4Address, ipaddress.IPv6Address)


@attrs.frozen
class AccessDecision:
    """
    Allowed or denied, and why not (every reason, each an `Issue` with a
    stable ``access.*`` code and messages in English and French), for a
    host to log and to show.

    A decision is true when access is allowed.

    .. versionadded:: 0.1.0
    """

    allowed: bool
    reasons: tuple[Issue, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the reasons, in order."""
        return tuple(r.code for r in self.reasons)

    def messages(self, locale: Locale = "en") -> list[str]:
        """The reasons as sentences in *locale*."""
        return [r.message(locale) for r in self.reasons]


def _customer_state(
    reasons: list[Issue], path: str, customer: Customer, day: dt.date
) -> None:
    """CU-12: a blocked, inactive or not-yet-valid customer grants nothing."""
    name = customer.name
    if not customer.active:
        reasons.append(Issue(path, "access.customer_inactive", name))
    if customer.blocked:
        reasons.append(Issue(path, "access.customer_blocked", name))
    if customer.valid_from is not None and customer.valid_from > day:
        reasons.append(
            Issue(
                path,
                "access.customer_not_yet_valid",
                name,
                {"date": customer.valid_from.isoformat()},
            )
        )


def _check_arguments(  # noqa: PLR0917 -- every argument of the call.
    user: object,
    customer: object,
    order_ref: object,
    order_customer: object,
    person: object,
    agency: object,
    address: object,
    branch: object,
) -> None:
    c = Collector()
    if not isinstance(user, ExternalUser):
        c.add("user", "invalid_type", user, expected="an external user")
    if not isinstance(customer, Customer):
        c.add("customer", "invalid_type", customer, expected="a customer")
    elif isinstance(user, ExternalUser) and customer.id != user.customer_id:
        c.add("customer", "external_user.other_customer", str(customer.id))
    if order_customer is not None:
        if not isinstance(order_customer, Customer):
            c.add(
                "order_customer",
                "invalid_type",
                order_customer,
                expected="a customer",
            )
        c.check("order_ref", text, order_ref, required=True, max_length=100)
    if person is not None and not isinstance(person, Person):
        c.add("person", "invalid_type", person, expected="a person")
    if agency is not None and not isinstance(agency, Agency):
        c.add("agency", "invalid_type", agency, expected="an agency")
    if address is not None and not isinstance(address, _ADDRESS_TYPES):
        c.add("address", "invalid_type", address, expected="an IP address")
    if branch is not None:
        c.check("branch", text, branch)
    c.raise_if_any()


def decide_access(
    user: ExternalUser,
    *,
    customer: Customer,
    order_ref: str | None = None,
    order_customer: Customer | None = None,
    person: Person | None = None,
    agency: Agency | None = None,
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | str | None = None,
    branch: str | None = None,
    on: dt.date | str | None = None,
) -> AccessDecision:
    """
    May external *user* log in from *address*, and see the host's order
    *order_ref* of *order_customer*?

    Args:
        user: The external user asking.
        customer: The user's own customer (``user.customer_id``).
        order_ref: The host's order, with *order_customer*; leave both
            out to ask about logging in only.
        order_customer: The customer the order is for.
        person: The user's person, for its collaborations (PE-6).
        agency: The user's customer as an agency (AG-2..AG-4).
        address: The client address the host trusts; required when the
            user is restricted to networks (EU-2).
        branch: The branch of the order (or of the request); required
            when the user is restricted to a branch (EU-2).
        on: The day to judge validity dates on (default: today, UTC).

    Access needs all of: an active user; a customer that is active, not
    blocked and already valid (CU-12); an allowed address and branch
    (EU-2); and, for an order, that it is the customer's own, or of a
    customer the person currently collaborates with (PE-6), or assigned
    to the customer as an agency whose agency flag is still set (AG-1,
    AG-3) -- the order's customer being active, unblocked and valid too.

    >>> from customer_domain import Customer, decide_access
    >>> acme = Customer(name="ACME", licenses=[{"quantity": 1, "title": "P"}])
    >>> jane = acme.add_person(
    ...     last_name="Roy", contact_types=["Customer"],
    ...     channels=[{"kind": "email", "value": "jane@acme.com"}],
    ... )
    >>> user, _ = acme.add_external_user(jane)
    >>> acme.update(blocked=True)
    >>> decision = decide_access(user, customer=acme)
    >>> decision.allowed, decision.codes
    (False, ('access.user_invited', 'access.customer_blocked'))
    >>> decision.messages("fr")[1]
    'Le client « ACME » est bloqué.'

    Raises:
        ValidationError: An argument of the wrong type, or a *customer*
            that is not the user's.

    .. versionadded:: 0.1.0
    """
    _check_arguments(
        user,
        customer,
        order_ref,
        order_customer,
        person,
        agency,
        address,
        branch,
    )
    c = Collector()
    day = c.check("on", date, on) or dt.datetime.now(dt.UTC).date()
    c.raise_if_any()
    reasons: list[Issue] = []
    if user.status is UserStatus.INACTIVE:
        reasons.append(Issue("user", "access.user_inactive", user.login))
    elif user.status is UserStatus.INVITED:
        reasons.append(Issue("user", "access.user_invited", user.login))
    _customer_state(reasons, "customer", customer, day)
    if user.allowed_networks and (address is None or not user.allows(address)):
        reasons.append(
            Issue("address", "access.address_refused", _shown(address))
        )
    if user.branch and (
        branch is None or fold(branch.strip()) != fold(user.branch)
    ):
        reasons.append(
            Issue(
                "branch",
                "access.branch_refused",
                branch,
                {"branch": user.branch},
            )
        )
    if order_customer is not None:
        _order(reasons, user, customer, order_ref, order_customer, person,
               agency, day)  # fmt: skip
    return AccessDecision(not reasons, tuple(reasons))


def _shown(address: object) -> object:
    return None if address is None else str(address)


def _order(  # noqa: PLR0917 -- private helper of one call.
    reasons: list[Issue],
    user: ExternalUser,
    customer: Customer,
    order_ref: object,
    order_customer: Customer,
    person: Person | None,
    agency: Agency | None,
    day: dt.date,
) -> None:
    ref = str(order_ref).strip()
    target: uuid.UUID = order_customer.id
    if target == customer.id:
        return
    _customer_state(reasons, "order_customer", order_customer, day)
    if (
        person is not None
        and person.id == user.person_id
        and person.active
        and target in person.customer_ids(day)
    ):
        return
    if (
        agency is not None
        and agency.customer_id == customer.id
        and agency.can_access(ref, target)
    ):
        if not customer.is_agency:
            reasons.append(
                Issue("agency", "access.agency_flag_cleared", customer.name)
            )
        return
    reasons.append(Issue("order_ref", "access.order_refused", ref))

# SPDX-License-Identifier: MIT
"""Agencies acting for other customers on orders (SPEC AG-1..AG-4)."""

from __future__ import annotations

import uuid

import attrs

from customer_domain._collect import Collector, fail
from customer_domain.model._base import set_fields
from customer_domain.model.customer import Customer
from customer_domain.model.external_user import ExternalUser
from customer_domain.model.person import Person
from customer_domain.validation._fields import identity, text


__all__ = ["Agency", "AgencyAssignment", "can_access_order"]


def _order_ref(value: object) -> str:
    return text(value, required=True, max_length=100)


@attrs.frozen(init=False, weakref_slot=False)
class AgencyAssignment:
    """
    Agency *agency_id* acts for customer *customer_id* on the host's order
    *order_ref* (AG-2).

    .. versionadded:: 0.1.0
    """

    order_ref: str
    customer_id: uuid.UUID
    agency_id: uuid.UUID

    def __init__(
        self,
        order_ref: str,
        customer_id: uuid.UUID | str,
        agency_id: uuid.UUID | str,
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            c.check("order_ref", _order_ref, order_ref),
            c.check("customer_id", identity, customer_id),
            c.check("agency_id", identity, agency_id),
        )
        if not c and self.customer_id == self.agency_id:
            c.add("agency_id", "agency.own_order", str(self.agency_id))
        c.raise_if_any()


@attrs.frozen(init=False, eq=False, repr=False, weakref_slot=False)
class Agency:
    """
    A customer flagged as an agency (AG-1) with the orders it acts on.

    >>> from customer_domain import Agency, Customer
    >>> studio = Customer(name="Studio Graphique", is_agency=True)
    >>> client = Customer(name="Hervé David")
    >>> agency = Agency(studio)
    >>> _ = agency.assign("ORD-1", customer=client)
    >>> agency.can_access("ORD-1", client.id)
    True
    >>> agency.can_access("ORD-2", client.id)
    False

    Its access is the union of its assignments (AG-4); removing one
    removes that access.

    .. versionadded:: 0.1.0
    """

    #: The agency's own customer id.
    customer_id: uuid.UUID
    assignments: tuple[AgencyAssignment, ...]
    version: int

    def __init__(self, customer: Customer) -> None:
        if not isinstance(customer, Customer):
            fail("invalid_type", customer, expected="a customer")
        if not customer.is_agency:
            fail("agency.not_an_agency", str(customer.id))
        self.__attrs_init__(customer.id, (), 0)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Agency):
            return self.customer_id == other.customer_id
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.customer_id)

    def __repr__(self) -> str:
        return (
            f"<Agency customer={self.customer_id}"
            f" orders={len(self.assignments)}>"
        )

    def assign(
        self, order_ref: str, *, customer: Customer | uuid.UUID
    ) -> AgencyAssignment:
        """Act for *customer* on its order *order_ref* (AG-2)."""
        c = Collector()
        ref = c.check("order_ref", _order_ref, order_ref)
        cid = customer.id if isinstance(customer, Customer) else customer
        cid = c.check("customer", identity, cid)
        if cid == self.customer_id:
            c.add("customer", "agency.own_order", str(cid))
        if any(
            a.order_ref == ref and a.customer_id == cid
            for a in self.assignments
        ):
            c.add("order_ref", "agency.already_assigned", ref)
        c.raise_if_any()
        assignment = AgencyAssignment(ref, cid, self.customer_id)
        set_fields(self, assignments=(*self.assignments, assignment))
        return assignment

    def unassign(
        self, order_ref: str, *, customer: Customer | uuid.UUID
    ) -> None:
        """Remove the assignment and with it the access (AG-4)."""
        c = Collector()
        ref = c.check("order_ref", _order_ref, order_ref)
        cid = customer.id if isinstance(customer, Customer) else customer
        cid = c.check("customer", identity, cid)
        c.raise_if_any()
        order_ref = ref
        kept = tuple(
            a
            for a in self.assignments
            if not (a.order_ref == order_ref and a.customer_id == cid)
        )
        if len(kept) == len(self.assignments):
            fail("agency.not_assigned", order_ref)
        set_fields(self, assignments=kept)

    def can_access(self, order_ref: str, customer_id: uuid.UUID) -> bool:
        """Whether this agency acts on that order of that customer (AG-3)."""
        ref: object = order_ref
        cid: object = customer_id
        if not isinstance(ref, str) or not isinstance(cid, uuid.UUID):
            return False
        return any(
            a.order_ref == order_ref and a.customer_id == customer_id
            for a in self.assignments
        )


def can_access_order(
    user: ExternalUser,
    *,
    order_ref: str,
    order_customer_id: uuid.UUID,
    agency: Agency | None = None,
    person: Person | None = None,
) -> bool:
    """
    Whether external *user* may see the host's order *order_ref* of
    customer *order_customer_id*.

    Yes if the user is active and the order is its customer's, or that of
    a customer its *person* collaborates with (PE-6), or its customer is
    the *agency* assigned to that order (AG-3).
    """
    c = Collector()
    if not isinstance(user, ExternalUser):
        c.add("user", "invalid_type", user, expected="an external user")
    if not isinstance(order_ref, str):
        c.add("order_ref", "invalid_type", order_ref, expected="text")
    if not isinstance(order_customer_id, uuid.UUID):
        c.add(
            "order_customer_id",
            "invalid_type",
            order_customer_id,
            expected="a customer id",
        )
    if agency is not None and not isinstance(agency, Agency):
        c.add("agency", "invalid_type", agency, expected="an agency")
    if person is not None and not isinstance(person, Person):
        c.add("person", "invalid_type", person, expected="a person")
    c.raise_if_any()
    if not user.is_active:
        return False
    if user.customer_id == order_customer_id:
        return True
    if (
        person is not None
        and person.id == user.person_id
        and person.active
        and order_customer_id in person.customer_ids()
    ):
        return True
    return (
        agency is not None
        and agency.customer_id == user.customer_id
        and agency.can_access(order_ref, order_customer_id)
    )

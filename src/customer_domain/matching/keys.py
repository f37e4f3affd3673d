# SPDX-License-Identifier: MIT
"""
The match keys of persons and customers (DU-7).

Stores derive them once, when a person or customer is written, and keep
them with the record: edits, moves to another customer and deactivation
change them (an inactive record has none, so it is never reported).  A
check then looks keys up in an index instead of scanning records.

>>> from customer_domain import Customer
>>> acme = Customer(
...     name="ACME SA", address={"country": "FR", "postal_code": "69001"}
... )
>>> sorted(k.criterion for k in customer_keys(acme))
['customer.name_postal']

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Final

import attrs

from customer_domain._collect import fail
from customer_domain.matching.normalize import (
    company_name_key,
    email_key,
    fold_name,
    postal_code_key,
    vat_key,
)
from customer_domain.model import ChannelKind, Customer, Person


__all__ = [
    "CUSTOMER_NAME_POSTAL",
    "CUSTOMER_VAT",
    "PERSON_EMAIL",
    "PERSON_FAX",
    "PERSON_MOBILE",
    "PERSON_NAME",
    "PERSON_NAME_AT_CUSTOMER",
    "PERSON_NAME_BLOCK",
    "PERSON_NAME_PARTS",
    "PERSON_NUMBER",
    "PERSON_PHONE",
    "MatchKey",
    "customer_keys",
    "name_blocks",
    "name_parts",
    "person_keys",
]


@attrs.frozen(order=True)
class MatchKey:
    """
    One normalized key that duplicate detection looks up (DU-7): a
    *criterion* (``"person.email"``) and its normalized *value*.

    .. versionadded:: 0.1.0
    """

    criterion: str
    value: str


#: The folded, order-independent name (`person_name_key`).
PERSON_NAME: Final = "person.name"
#: The name within one customer: ``"<customer id>:<name key>"``.
PERSON_NAME_AT_CUSTOMER: Final = "person.name_at_customer"
#: Blocks of similar names, for fuzzy matching (`name_blocks`).
PERSON_NAME_BLOCK: Final = "person.name_block"
#: The first and last names fuzzy matching compares, each on its own:
#: ``"<first>|<last>"`` of `name_parts`.
PERSON_NAME_PARTS: Final = "person.name_parts"
PERSON_EMAIL: Final = "person.email"
PERSON_PHONE: Final = "person.phone"
PERSON_MOBILE: Final = "person.mobile"
PERSON_FAX: Final = "person.fax"
#: Every phone, mobile and fax number, whatever its kind: bulk scans use
#: it when numbers of different kinds match (``phone_kinds_match``).
PERSON_NUMBER: Final = "person.number"
#: ``"<postal code key>|<company name key>"``.
CUSTOMER_NAME_POSTAL: Final = "customer.name_postal"
CUSTOMER_VAT: Final = "customer.vat"

#: The criterion of each kind of channel that duplicate detection uses.
CHANNEL_CRITERIA: Final = {
    ChannelKind.EMAIL: PERSON_EMAIL,
    ChannelKind.PHONE: PERSON_PHONE,
    ChannelKind.MOBILE: PERSON_MOBILE,
    ChannelKind.FAX: PERSON_FAX,
}


def name_parts(first_name: str, last_name: str) -> tuple[str, str]:
    """
    The first and last names as fuzzy matching compares them: folded
    (`fold_name`), then with the spaces, hyphens and apostrophes inside
    each name removed, so that a split or joined word, or a hyphen or
    apostrophe added or dropped, changes nothing.

    >>> name_parts("Jean-Baptiste", "De La Fontaine")
    ('jeanbaptiste', 'delafontaine')
    >>> name_parts("", "O’Brien")
    ('', 'obrien')
    """
    return (
        fold_name(first_name).replace(" ", ""),
        fold_name(last_name).replace(" ", ""),
    )


def name_blocks(first_name: str, last_name: str) -> frozenset[str]:
    """
    The blocks of a name, for fuzzy matching: each name's first three
    letters and the other name's initial, on its `name_parts`; a name
    missing its first or last name has none (it is matched on equal
    keys only).

    Two names share a block when, in either order (swapped first and
    last names), one name keeps its first three letters and the other
    its initial: typos past those letters, accents, case, and spaces,
    hyphens or apostrophes added or dropped inside a name all keep it.

    >>> sorted(name_blocks("Hélène", "Lefèvre"))
    ['hel|l', 'lef|h']
    >>> name_blocks("Rolli ns", "Tara") == name_blocks("tara", "ROLLINS")
    True
    """
    return _blocks(*name_parts(first_name, last_name))


def _blocks(first: str, last: str) -> frozenset[str]:
    """The blocks of name parts (see `name_blocks`)."""
    if not first or not last:
        return frozenset()
    return frozenset((f"{first[:3]}|{last[0]}", f"{last[:3]}|{first[0]}"))


def channel_key(kind: ChannelKind, value: str) -> str:
    """The key of a channel's canonical value (E.164, normalized e-mail)."""
    return email_key(value) if kind is ChannelKind.EMAIL else value


def person_keys(person: Person) -> frozenset[MatchKey]:
    """
    The match keys of *person*: none when it is inactive; else its name,
    its name at its customer, its name parts and blocks, each e-mail, phone,
    mobile and fax, and each number whatever its kind (empty values give
    no key).
    """
    if not isinstance(person, Person):
        fail("invalid_type", person, expected="a person")
    if not person.active:
        return frozenset()
    keys: set[MatchKey] = set()
    # Each name folded once: the name key (`person_name_key`), the name
    # parts and the blocks all derive from the two folded names.
    folded_first = fold_name(person.first_name)
    folded_last = fold_name(person.last_name)
    name = " ".join(sorted(f"{folded_first} {folded_last}".split()))
    if name:
        keys.add(MatchKey(PERSON_NAME, name))
        keys.add(
            MatchKey(PERSON_NAME_AT_CUSTOMER, f"{person.customer_id}:{name}")
        )
        first = folded_first.replace(" ", "")
        last = folded_last.replace(" ", "")
        keys.add(MatchKey(PERSON_NAME_PARTS, f"{first}|{last}"))
        keys.update(
            MatchKey(PERSON_NAME_BLOCK, b) for b in _blocks(first, last)
        )
    for channel in person.channels:
        criterion = CHANNEL_CRITERIA.get(channel.kind)
        if criterion is not None and channel.value:
            value = channel_key(channel.kind, channel.value)
            keys.add(MatchKey(criterion, value))
            if criterion != PERSON_EMAIL:
                keys.add(MatchKey(PERSON_NUMBER, value))
    return frozenset(keys)


def customer_keys(customer: Customer) -> frozenset[MatchKey]:
    """
    The match keys of *customer* (DU-6): none when it is inactive; else
    its company name in its postal code, and its VAT ID.
    """
    if not isinstance(customer, Customer):
        fail("invalid_type", customer, expected="a customer")
    if not customer.active:
        return frozenset()
    keys: set[MatchKey] = set()
    address = customer.address
    if address is not None:
        postal = postal_code_key(address.postal_code, address.country)
        name = company_name_key(customer.name)
        if postal and name:
            keys.add(MatchKey(CUSTOMER_NAME_POSTAL, f"{postal}|{name}"))
    if customer.vat_id:
        vat = vat_key(customer.vat_id)
        if vat:
            keys.add(MatchKey(CUSTOMER_VAT, vat))
    return frozenset(keys)

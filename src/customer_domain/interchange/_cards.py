# SPDX-License-Identifier: MIT
"""
What the vCard and JSContact modules share (private): argument checks,
channel purposes and the "one primary per kind" rule of records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Final, NoReturn

from customer_domain.exceptions import Issue, ValidationError
from customer_domain.model.customer import Customer
from customer_domain.model.enums import Purpose
from customer_domain.model.person import Person


__all__ = [
    "MAX_RAW",
    "PURPOSES",
    "check_customer",
    "check_customers",
    "check_file",
    "check_person",
    "customer_of",
    "iterate",
    "one_primary_per_kind",
    "text_or_none",
]

#: The most characters of a card's original text kept in
#: `PersonRecord.raw` (64 KiB).
MAX_RAW: Final = 64 * 1024
#: The longest file name a record's `Source` may carry.
_MAX_FILE_NAME: Final = 255

#: Purposes that vCard (``TYPE=work``/``home``) and JSContact
#: (``contexts`` ``work``/``private``) can say; billing and other are
#: written without a context.
PURPOSES: Final[Mapping[Purpose, str]] = {
    Purpose.WORK: "work",
    Purpose.HOME: "home",
}


def check_person(person: object) -> Person:
    """*person*, or `ValidationError` ``invalid_type`` at ``person``."""
    if not isinstance(person, Person):
        _wrong("person", person, "a Person")
    return person


def check_customer(customer: object) -> Customer | None:
    """*customer* (None or a `Customer`), else ``invalid_type``."""
    if customer is not None and not isinstance(customer, Customer):
        _wrong("customer", customer, "a Customer or None")
    return customer


def check_customers(customers: object) -> Mapping[Any, object]:
    """*customers* (None or a mapping), else ``invalid_type``."""
    if customers is None:
        return {}
    if not isinstance(customers, Mapping):
        _wrong("customers", customers, "a mapping of ids to customers")
    return customers


def customer_of(
    customers: Mapping[Any, object], person: Person
) -> Customer | None:
    """The person's customer in *customers*, checked, or None."""
    try:
        customer = customers.get(person.customer_id)
    except Exception as e:
        error = ValidationError(
            [
                Issue(
                    "customers",
                    "invalid_type",
                    customers,
                    {"expected": "a mapping of ids to customers"},
                )
            ]
        )
        raise error from e
    if customer is not None and not isinstance(customer, Customer):
        _wrong(f"customers[{person.customer_id}]", customer, "a Customer")
    return customer


def check_file(file: object) -> str:
    """The *file* name for `Source`, else ``invalid_type``."""
    if type(file) is not str:
        _wrong("file", file, "a file name")
    if len(file) > _MAX_FILE_NAME:
        raise ValidationError(
            [
                Issue(
                    "file", "text.too_long", file, {"max": str(_MAX_FILE_NAME)}
                )
            ]
        )
    return file


def iterate(persons: object) -> Iterator[Person]:
    """
    The persons of an iterable, each checked; a bad item or an iterable
    that raises gives ``invalid_type`` at ``persons`` or ``persons[i]``.
    """
    expected = "an iterable of persons"
    if isinstance(persons, str | bytes | bytearray | Mapping):
        _wrong("persons", persons, expected)
    try:
        iterator = iter(persons)  # type: ignore[call-overload]
    except Exception as e:
        error = ValidationError(
            [Issue("persons", "invalid_type", persons, {"expected": expected})]
        )
        raise error from e
    index = 0
    while True:
        try:
            person = next(iterator)
        except StopIteration:
            return
        except Exception as e:
            error = ValidationError(
                [
                    Issue(
                        "persons",
                        "invalid_type",
                        persons,
                        {"expected": expected},
                    )
                ]
            )
            raise error from e
        if not isinstance(person, Person):
            _wrong(f"persons[{index}]", person, "a Person")
        yield person
        index += 1


def one_primary_per_kind(channels: list[dict[str, Any]]) -> None:
    """Keep ``primary`` only on the first primary channel of each kind."""
    seen: set[str] = set()
    for channel in channels:
        if channel["primary"]:
            if channel["kind"] in seen:
                channel["primary"] = False
            seen.add(channel["kind"])


def _wrong(path: str, value: object, expected: str) -> NoReturn:
    raise ValidationError(
        [Issue(path, "invalid_type", value, {"expected": expected})]
    )


def text_or_none(value: object) -> str | None:
    """*value* if it is exactly a `str`, else None (never compares it)."""
    return value if type(value) is str else None

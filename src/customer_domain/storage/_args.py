# SPDX-License-Identifier: MIT
"""
The arguments of repository calls, checked before any storage is touched
(private).

A bad argument is the caller's mistake, not the storage's: it is refused
with a `ValidationError` whose issue's path is the argument's name, and
the unit of work stays usable (nothing ran).  Every store of the project
checks the same way, so that no backend answers a call another refuses,
and no driver sees a value it cannot bind (an offset past 64 bits, a
NUL character, an integer where text is compared).
"""

from __future__ import annotations

import sys
import uuid

from collections.abc import Mapping
from typing import Any, Final, NoReturn, TypeVar

from customer_domain.exceptions import Issue, ValidationError
from customer_domain.storage.protocols import (
    MAX_OFFSET,
    CustomerQuery,
    MatchKey,
)
from customer_domain.validation._fields import items


T = TypeVar("T")

#: The largest count a store accepts: a signed 64-bit integer, what SQL
#: databases bind (a search's offset is checked by `CustomerQuery`).
MAX_INT64: Final = MAX_OFFSET
#: The longest sequence name or match-key criterion.
MAX_NAME: Final = 64


def refuse(
    name: str, code: str, value: object = None, **params: str
) -> NoReturn:
    """Raise a `ValidationError` with one issue at argument *name*."""
    raise ValidationError((Issue(name, code, value, params),))


def instance(name: str, value: object, cls: type[T], expected: str) -> T:
    """Return *value* if it is a *cls*, else refuse it as not *expected*."""
    if not isinstance(value, cls):
        refuse(name, "invalid_type", value, expected=expected)
    return value


def model(name: str, value: object, cls: type[T]) -> T:
    """Return *value* if it is an aggregate of class *cls*."""
    return instance(name, value, cls, f"a {cls.__name__}")


def identity(name: str, value: object) -> uuid.UUID:
    """Return *value* if it is a `uuid.UUID`."""
    if not isinstance(value, uuid.UUID):
        refuse(name, "invalid_type", value, expected="a UUID")
    return value


def _listed(name: str, values: object, expected: str, limit: int) -> list[Any]:
    """
    The items of list argument *name* (a mapping gives its keys), read
    through the model's bounded list reader.
    """
    if isinstance(values, Mapping):
        values = list(values)
    try:
        return list(items(values, expected=expected, limit=limit))
    except ValidationError as e:
        raise e.prefixed(name) from e.__cause__


def identities(name: str, values: object) -> list[uuid.UUID]:
    """Return the UUIDs of iterable *values* as a list."""
    out = _listed(name, values, "a list of UUIDs", sys.maxsize - 1)
    for value in out:
        if not isinstance(value, uuid.UUID):
            refuse(name, "invalid_type", value, expected="a list of UUIDs")
    return out


def _bindable(text: str) -> bool:
    """Whether every SQL driver binds *text*: no NUL, no lone surrogate."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


#: The longest text a store looks up (a number, a login, an order
#: reference): longer than any the model keeps, so a longer one is
#: refused before it reaches the database.
MAX_LOOKUP = 200


def key_text(name: str, value: object, *, max_length: int = MAX_LOOKUP) -> str:
    """
    Return *value* if it is text a store can look up: a `str` without
    NUL or lone surrogates (which no stored value holds), of at most
    *max_length* characters.
    """
    if not isinstance(value, str):
        refuse(name, "invalid_type", value, expected="text")
    if len(value) > max_length:
        refuse(name, "text.too_long", value, max=str(max_length))
    if not _bindable(value):
        refuse(name, "text.control_characters", value)
    return value


def name(argument: str, value: object) -> str:
    """Return *value* if it is a sequence name or a criterion."""
    text = key_text(argument, value, max_length=MAX_NAME)
    if not text:
        refuse(argument, "required", value)
    return text


def flag(name: str, value: object) -> bool:
    """Return *value* if it is a bool."""
    if not isinstance(value, bool):
        refuse(name, "invalid_type", value, expected="true or false")
    return value


def count(name: str, value: object) -> int:
    """Return *value* if it is an int from 1 to `MAX_INT64` (a limit)."""
    if isinstance(value, bool) or not isinstance(value, int):
        refuse(name, "invalid_type", value, expected="a whole number")
    if not 1 <= value <= MAX_INT64:
        refuse(name, "query.limit", value, max=str(MAX_INT64))
    return value


def optional_count(name: str, value: object) -> int | None:
    """`count`, or None."""
    return None if value is None else count(name, value)


def query(value: object) -> CustomerQuery:
    """Return *value* if it is a `CustomerQuery` (checked when made)."""
    return instance("query", value, CustomerQuery, "a CustomerQuery")


#: Most match keys one call takes.
MAX_KEYS: Final = 1_000_000


def match_keys(name: str, keys: object) -> list[MatchKey]:
    """Return the `MatchKey` objects of iterable *keys* as a list."""
    out = _listed(name, keys, "a list of match keys", MAX_KEYS)
    for key in out:
        if not isinstance(key, MatchKey):
            refuse(name, "invalid_type", key, expected="a list of match keys")
        criterion, value = key.criterion, key.value
        if (
            type(criterion) is not str
            or type(value) is not str
            or not criterion
            or len(criterion) > MAX_NAME
            or not _bindable(criterion)
            or not _bindable(value)
        ):
            refuse(
                name,
                "invalid_type",
                key,
                expected=(
                    "match keys: a criterion of 1 to 64 characters and a"
                    " value, as text without NUL"
                ),
            )
    return out

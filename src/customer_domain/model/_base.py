# SPDX-License-Identifier: MIT
"""Building model objects without validation (private)."""

from __future__ import annotations

from typing import Any, NoReturn, TypeVar


T = TypeVar("T")


def trusted(cls: type[T], /, **fields: Any) -> T:
    """
    Build a *cls* from fields that already passed validation.

    This skips the validating constructor; it is what the storage and
    trusted deserialization paths use.
    """
    obj: Any = object.__new__(cls)
    obj.__attrs_init__(**fields)
    return obj  # type: ignore[no-any-return]


def no_public_constructor(factory: str) -> NoReturn:
    """Refuse direct instantiation of an entity made by its aggregate."""
    raise TypeError(f"create it with {factory}")


def set_fields(obj: object, /, **fields: Any) -> None:
    """
    Set fields of a frozen entity from inside its own methods.

    Entities are frozen so that hosts change them only through methods
    that check the rules; those methods use this after checking.
    """
    for name, value in fields.items():
        object.__setattr__(obj, name, value)

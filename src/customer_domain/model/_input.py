# SPDX-License-Identifier: MIT
"""Reading nested inputs: objects or plain mappings (private)."""

from __future__ import annotations

import inspect

from collections.abc import Mapping
from typing import Any, TypeVar

from customer_domain._collect import Collector, fail, join
from customer_domain.validation._fields import items


T = TypeVar("T")


_INIT_KEYS: dict[type[Any], tuple[frozenset[str], frozenset[str]]] = {}


def init_keys(cls: type[Any]) -> tuple[frozenset[str], frozenset[str]]:
    """The keyword parameters of ``cls.__init__``, and the required ones."""
    keys = _INIT_KEYS.get(cls)
    if keys is None:
        keys = _INIT_KEYS[cls] = _keywords(cls)
    return keys


def _keywords(cls: type[Any]) -> tuple[frozenset[str], frozenset[str]]:
    params = [
        p
        for name, p in inspect.signature(cls.__init__).parameters.items()
        if name != "self"
        and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return (
        frozenset(p.name for p in params),
        frozenset(p.name for p in params if p.default is p.empty),
    )


def from_mapping(cls: type[T], data: Mapping[str, object]) -> T:
    """
    Call ``cls(**data)``; unknown and missing keys are reported with the
    constructor's own issues.
    """
    if not isinstance(data, Mapping):
        fail("invalid_type", data, expected="an object")
    c = Collector()
    keys, required = init_keys(cls)
    c.unknown_keys("", data, keys)
    for key in sorted(required - data.keys()):
        c.add(key, "required")
    if not required - data.keys():
        known = {k: v for k, v in data.items() if k in keys}
        obj = c.check("", cls, **known)
    c.raise_if_any()
    return obj


def coerce(
    c: Collector, path: str, value: object, cls: type[T], expected: str
) -> T | None:
    """Accept an instance of *cls*, a mapping of its fields, or None."""
    if value is None or isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return c.check(path, from_mapping, cls, value)
    c.add(path, "invalid_type", value, expected=expected)
    return None


def coerce_all(
    c: Collector, path: str, values: object, cls: type[T], expected: str
) -> tuple[T, ...]:
    """Like `coerce`, for a list; None gives an empty tuple."""
    if values is None:
        return ()
    listed = c.check(path, items, values, expected=f"a list of {expected}")
    if listed is None:
        return ()
    out = []
    for i, value in enumerate(listed):
        item = coerce(c, join(path, i), value, cls, expected)
        if item is not None:
            out.append(item)
        elif value is None:
            c.add(join(path, i), "required")
    return tuple(out)

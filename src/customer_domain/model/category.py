# SPDX-License-Identifier: MIT
"""Customer categories (SPEC CU-11)."""

from __future__ import annotations

import uuid

import attrs

from customer_domain._collect import Collector
from customer_domain.model._base import Entity, new_id, set_fields
from customer_domain.validation._fields import LONG, identity, text


__all__ = ["Category"]


@attrs.frozen(init=False, eq=False, repr=False, weakref_slot=False)
class Category(Entity):
    """
    A customer category: a required title, an optional description
    (CU-11).  Customers refer to categories by id.

    >>> from customer_domain import Category
    >>> Category(title="Printers").title
    'Printers'

    .. versionadded:: 0.1.0
    """

    id: uuid.UUID
    title: str
    description: str
    version: int

    def __init__(
        self,
        *,
        title: str,
        description: str = "",
        id: uuid.UUID | str | None = None,  # noqa: A002
    ) -> None:
        c = Collector()
        self.__attrs_init__(
            new_id() if id is None else c.check("id", identity, id),
            c.check("title", text, title, required=True),
            c.check(
                "description",
                text,
                description,
                max_length=LONG,
                multiline=True,
            ),
            0,
        )
        c.raise_if_any()

    def __repr__(self) -> str:
        return f"<Category id={self.id} title={self.title!r}>"

    def update(
        self, *, title: object = None, description: object = None
    ) -> None:
        """Change the title and/or description; all or nothing."""
        c = Collector()
        changes = {}
        if title is not None:
            changes["title"] = c.check("title", text, title, required=True)
        if description is not None:
            changes["description"] = c.check(
                "description",
                text,
                description,
                max_length=LONG,
                multiline=True,
            )
        c.raise_if_any()
        set_fields(self, **changes)

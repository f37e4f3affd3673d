# SPDX-License-Identifier: MIT
"""The fast UUID helpers behave like the standard library's."""

from __future__ import annotations

import pickle
import uuid

import pytest

from customer_domain.model._base import new_id, uuid_from_text


def test_new_ids_are_random_version_4_uuids() -> None:
    """new_id() gives distinct, well-formed version 4 UUIDs."""
    ids = [new_id() for _ in range(1000)]

    assert 1000 == len(set(ids))
    for ident in ids[:50]:
        assert 4 == ident.version
        assert uuid.RFC_4122 == ident.variant
        assert ident == uuid.UUID(str(ident))
        assert hash(ident) == hash(uuid.UUID(str(ident)))
        assert ident == pickle.loads(pickle.dumps(ident))  # noqa: S301


def test_uuid_from_text_reads_canonical_text_and_refuses_junk() -> None:
    """Trusted UUID reading matches uuid.UUID; bad text raises ValueError."""
    ident = uuid.uuid4()

    assert ident == uuid_from_text(str(ident))
    assert ident == uuid_from_text(ident.hex)
    with pytest.raises(ValueError, match="badly formed"):
        uuid_from_text("not a uuid")
    with pytest.raises(ValueError, match="invalid literal"):
        uuid_from_text("zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz")

# SPDX-License-Identifier: MIT
"""
Public testing kit: Hypothesis strategies for every public type
(:mod:`customer_domain.testing.strategies`) and the storage conformance
suite (:mod:`customer_domain.testing.conformance`).

Install it with the ``testing`` extra::

    pip install "customer-domain[testing]"
"""

from __future__ import annotations


try:
    import hypothesis  # noqa: F401 -- checked here for a helpful message.
except ImportError as e:  # pragma: no cover -- depends on the install.
    msg = (
        "customer_domain.testing needs Hypothesis: "
        'pip install "customer-domain[testing]"'
    )
    raise ImportError(msg) from e

try:
    import pytest
except ImportError:  # pragma: no cover -- strategies work without pytest.
    pass
else:
    # Plain asserts of the conformance suite report their values.
    pytest.register_assert_rewrite("customer_domain.testing.conformance")


__all__: list[str] = []

# SPDX-License-Identifier: MIT
"""
Public testing kit: Hypothesis strategies for every public type.

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


__all__: list[str] = []

# SPDX-License-Identifier: MIT
"""Sphinx configuration of the customer_domain documentation."""

from __future__ import annotations

from importlib.metadata import version as _version


project = "customer_domain"
author = "customer_domain developers"
copyright = "2026, customer_domain developers"
release = _version("customer-domain")

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
myst_heading_anchors = 3

# Annotations go in the descriptions; without network access there is no
# intersphinx inventory to resolve stdlib and attrs names against.
autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True}

html_theme = "furo"
html_title = "customer_domain"

# SPDX-License-Identifier: MIT
"""
Arrows point down only: input -> validation -> model -> matching ->
storage -> duplicates (issue 12; DU-7 keys are derived once, on write,
below storage).
"""

from __future__ import annotations

import ast

from pathlib import Path


PACKAGE = Path(__file__).parent.parent / "src" / "customer_domain"

#: Each layer, lowest first; a module may import only lower layers and
#: its own.
RANKS: dict[str, int] = {
    "_messages": 0,
    "_text": 0,
    "exceptions": 1,
    "_collect": 2,
    "validation": 3,
    "model": 4,
    "serialization": 5,
    "matching": 5,
    "storage": 6,
    "interchange": 8,
    "duplicates": 7,
    "__init__": 8,
    "testing": 9,
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> list[tuple[str, str, str]]:
    """(importing file, its layer, imported layer) for every import."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        module = ".".join(rel.parts).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module]
                if node.module == "customer_domain":
                    targets = [f"customer_domain.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target.split(".")[0] != "customer_domain":
                    continue
                layer = _layer(target)
                if layer not in RANKS:  # A name of the top package.
                    layer = "__init__"
                out.append((str(rel), _layer(module), layer))
    return out


def test_every_module_has_a_layer() -> None:
    """DU-7: a new top-level module must be given its place."""
    layers = {_layer(f"customer_domain.{p.stem}") for p in PACKAGE.iterdir()}
    layers = {x.removesuffix(".py") for x in layers} - {"py", "__pycache__"}
    assert layers <= RANKS.keys(), layers - RANKS.keys()


def test_imports_point_down() -> None:
    """
    DU-7: storage derives match keys from `matching`, never from
    `duplicates`; no layer imports one above it.
    """
    imports = _imports()
    upward = [
        f"{source} ({layer}) imports {target}"
        for source, layer, target in imports
        if layer != target and RANKS[target] >= RANKS[layer]
    ]

    assert len(imports) > 100
    assert not upward


def test_storage_never_imports_duplicates() -> None:
    """DU-7: the import that ran up the layers is gone."""
    imports = _imports()

    assert any(
        t == "matching" for _, layer, t in imports if layer == "storage"
    )
    assert not [
        s for s, layer, t in imports if (layer, t) == ("storage", "duplicates")
    ]

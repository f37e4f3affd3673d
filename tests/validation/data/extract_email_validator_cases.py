# SPDX-License-Identifier: MIT
"""
Extract every address of email-validator's own tests into a JSON file.

Usage, from the repository root::

    .venv/bin/pip download --no-binary :all: --no-deps \\
        email-validator==2.4.0 -d /tmp/ev
    tar xzf /tmp/ev/email_validator-2.4.0.tar.gz -C /tmp/ev
    .venv/bin/python tests/validation/data/extract_email_validator_cases.py \\
        /tmp/ev/email_validator-2.4.0 \\
        > tests/validation/data/email_validator_cases.json

The test modules are read with `ast`, never imported or run.  An
address is:

- the first argument of every ``validate_email(...)`` call, evaluated
  for each case of the test's ``pytest.mark.parametrize`` and each value
  its names take in the test (``for x in (...)`` loops, assignments);
- every other string (or ASCII bytes) literal holding an ``@`` that is
  not one of email-validator's messages (they speak of the "@-sign"):
  the expected normalized and ASCII forms, the addresses the command
  line tests feed through ``sys.argv`` or standard input.

Inputs longer than 1,000 characters (the two "not quadratic" tests) are
left out of the file and listed under ``left_out``; the test module
builds them itself.
"""

from __future__ import annotations

import ast
import itertools
import json
import sys

from collections.abc import Iterator
from pathlib import Path
from typing import Final


FILES: Final = (
    "tests/test_syntax.py",
    "tests/test_main.py",
    "tests/test_deliverability.py",
)
MAX_LENGTH: Final = 1000


class UnresolvedError(Exception):
    """An expression this extractor does not evaluate."""


def evaluate(node: ast.expr, env: dict[str, object]) -> object:
    """Constant folding of literals, names bound in *env*, + and *."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        raise UnresolvedError(node.id)
    if isinstance(node, ast.Tuple | ast.List):
        return [evaluate(e, env) for e in node.elts]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mult):
        left, right = evaluate(node.left, env), evaluate(node.right, env)
        try:
            if isinstance(node.op, ast.Add):
                return left + right  # type: ignore[operator]
            return left * right  # type: ignore[operator]
        except TypeError as e:
            raise UnresolvedError(ast.unparse(node)) from e
    raise UnresolvedError(ast.unparse(node))


def _values(node: ast.expr, env: dict[str, object]) -> list[object]:
    try:
        value = evaluate(node, env)
    except UnresolvedError:
        return []
    return value if isinstance(value, list) else []


def parametrized(fn: ast.FunctionDef) -> list[dict[str, ast.expr]]:
    """One {name: expression} per case of the function's parametrize."""
    cases: list[dict[str, ast.expr]] = [{}]
    for deco in fn.decorator_list:
        if not (
            isinstance(deco, ast.Call)
            and ast.unparse(deco.func) == "pytest.mark.parametrize"
        ):
            continue
        names_node, values_node = deco.args[:2]
        names_value = evaluate(names_node, {})
        names = (
            [n.strip() for n in names_value.split(",")]
            if isinstance(names_value, str)
            else [str(n) for n in names_value]  # type: ignore[attr-defined]
        )
        assert isinstance(values_node, ast.List | ast.Tuple)
        found: list[dict[str, ast.expr]] = []
        for case in values_node.elts:
            if len(names) == 1:
                found.append({names[0]: case})
            else:
                assert isinstance(case, ast.Tuple | ast.List)
                found.append(dict(zip(names, case.elts, strict=True)))
        cases = [{**a, **b} for a in cases for b in found]
    return cases


def local_bindings(fn: ast.FunctionDef) -> dict[str, list[object]]:
    """The values names take in the body: loops over literals, assigns."""
    out: dict[str, list[object]] = {}
    for node in ast.walk(fn):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            out.setdefault(node.target.id, []).extend(_values(node.iter, {}))
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            try:
                value = evaluate(node.value, {})
            except UnresolvedError:
                continue
            out.setdefault(node.targets[0].id, []).append(value)
    return out


def call_inputs(fn: ast.FunctionDef) -> Iterator[object]:
    """The first argument of each validate_email call, every binding."""
    calls = [
        node.args[0]
        for node in ast.walk(fn)
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) == "validate_email"
        and node.args
    ]
    bindings = local_bindings(fn)
    for case in parametrized(fn):
        env: dict[str, list[object]] = dict(bindings)
        for name, expr in case.items():
            try:
                env[name] = [evaluate(expr, {})]
            except UnresolvedError:
                continue
        for arg in calls:
            names = sorted(
                {n.id for n in ast.walk(arg) if isinstance(n, ast.Name)}
            )
            if any(n not in env for n in names):
                continue
            for combo in itertools.product(*(env[n] for n in names)):
                try:
                    yield evaluate(arg, dict(zip(names, combo, strict=True)))
                except UnresolvedError:
                    continue


def literals(tree: ast.Module) -> Iterator[object]:
    """Every string or bytes literal holding an @ that is no message."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant):
            continue
        value = node.value
        if isinstance(value, bytes):
            value = value.decode("ascii", "replace")
        if (
            isinstance(value, str)
            and "@" in value
            and not any(w in value for w in ("@-sign", "at-sign", "(@)"))
        ):
            yield node.value


def extract(root: Path) -> tuple[list[str], list[str]]:
    """The addresses (first seen first) and the too long ones left out."""
    seen: dict[str, None] = {}
    for name in FILES:
        tree = ast.parse((root / name).read_text("utf-8"), name)
        found: list[object] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                found.extend(call_inputs(node))
        found.extend(literals(tree))
        for value in found:
            text = value
            if isinstance(value, bytes):
                try:
                    text = value.decode("ascii")
                except UnicodeDecodeError:
                    continue
            if isinstance(text, str):
                seen.setdefault(text)
    kept = [a for a in seen if len(a) <= MAX_LENGTH]
    left_out = [
        f"{a[:20]!r}... ({len(a)} characters)"
        for a in seen
        if len(a) > MAX_LENGTH
    ]
    return kept, left_out


def main(argv: list[str]) -> None:
    """Print the JSON data file for the unpacked sdist at ``argv[1]``."""
    root = Path(argv[1])
    version = next(
        line.split(":", 1)[1].strip()
        for line in (root / "PKG-INFO").read_text("utf-8").splitlines()
        if line.startswith("Version:")
    )
    cases, left_out = extract(root)
    data = {
        "comment": (
            "Every address of email-validator's own test suite, extracted"
            " by tests/validation/data/extract_email_validator_cases.py"
            " (see its docstring)."
        ),
        "upstream": "https://pypi.org/project/email-validator/",
        "version": version,
        "files": list(FILES),
        "license": (
            "The Unlicense (public domain dedication), per the LICENSE"
            " file and PKG-INFO of the source distribution."
        ),
        "left_out": left_out,
        "count": len(cases),
        "cases": cases,
    }
    json.dump(data, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)

# SPDX-License-Identifier: MIT
"""
The e-mail differential: the fast path against email-validator (issue 12).

`customer_domain.validation.emails.validate` recognises plain addresses
by a strict pattern and sends everything else to email-validator.  This
script generates addresses (valid, near-valid and hostile; random and
structured) and compares, for each, ``emails.validate`` (fast path on)
with ``emails._validate_slow`` (email-validator alone, wrapped the same
way): the same acceptance, the same normalized value, the same issues
(path, code and params) on refusal.  A **difference** is any mismatch
(the count must be 0).

The generator (`addresses`) mixes:

- realistic addresses (first.last@company.tld with varied names,
  digits, plus-tags, subdomains, country and long TLDs, upper case);
- unusual valid ones: every atext character, one-letter and numeric
  labels, one-letter TLDs, RFC 2142 mailbox names in any case,
  ``.example`` domains;
- lengths at and around the limits: local part 63/64/65, labels
  62/63/64, domain 252/253/254, address 253/254/255;
- mutations of valid addresses: characters inserted, deleted, replaced
  or doubled, from a set holding ``. @ - _ + " ( ) [ ] \\``, space, tab,
  non-ASCII letters (and letters whose case folding or NFC changes
  them), full-width ``@`` and dots, digits, NUL and other controls,
  zero-width and bidi characters, combining marks, lone surrogates;
- special-use and reserved domains (``localhost``, ``.local``,
  ``.test``, ``.invalid``, ``.arpa``, ``.onion``, in any case and as
  labels elsewhere in the domain), numeric TLDs and TLDs ending in a
  digit;
- other forms: IP literals, quoted local parts, display names,
  internationalized and Punycode domains, R-LDH labels (``ab--cd``);
- random strings over the same alphabet, most with an ``@``;
- surrounding white space (both paths strip it first).

``python fuzz/email_differential.py [COUNT] [SEED]`` (defaults
1,000,000 and 0) prints the counts (addresses, fast-path hits,
fallbacks, accepted, differences) and the first differing examples;
its exit status is 1 when there is a difference.
"""

from __future__ import annotations

import random
import sys
import time

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Final

from customer_domain import ValidationError
from customer_domain.validation import emails


# An outcome: ("ok", normalized) or ("refused", ((path, code, params),)).
Outcome = tuple[str, object]

FIRST: Final = (
    "mireille",
    "Jean-Luc",
    "amelie",
    "Chloe",
    "benoit",
    "elodie",
    "francois",
    "ines",
    "Thomas",
    "o'brien",
    "anna-maria",
    "j",
    "x",
    "MARIE",
    "kowalski",
    "sven",
    "Zoe",
    "li",
)
LAST: Final = (
    "couture",
    "Lefevre",
    "dubois",
    "garnier",
    "MERCIER",
    "fontaine",
    "rousseau",
    "schmidt",
    "nowak",
    "andersson",
    "smith",
    "van-der-berg",
    "o",
)
COMPANIES: Final = (
    "imprimerie-martin",
    "hervedavid",
    "HerveDavid",
    "cartonnages-du-nord",
    "editions-lumiere",
    "acme",
    "a1",
    "123",
    "x",
    "mail-01",
    "gmail",
    "outlook",
    "example",
    "localhost",
    "local",
    "test",
    "onion",
)
SUBDOMAINS: Final = ("mail", "smtp", "eu", "Corp", "a", "1", "mx-2", "lists")
TLDS: Final = (
    "com",
    "fr",
    "de",
    "pl",
    "se",
    "co.uk",
    "com.au",
    "org",
    "net",
    "info",
    "museum",
    "travel",
    "COM",
    "Fr",
    "c",
    "io",
    "photography",
    "xn--p1ai",
    "example",
    "localhost",
    "local",
    "test",
    "invalid",
    "arpa",
    "in-addr.arpa",
    "onion",
    "123",
    "c1",
    "1c",
    "co-op",
)
MAILBOXES: Final = (
    "postmaster",
    "POSTMASTER",
    "PostMaster",
    "abuse",
    "Info",
    "sales",
    "webmaster",
    "www",
    "NOC",
    "ftp",
    "not-postmaster",
    "postmaster2",
    "security",
)
ATEXT: Final = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "!#$%&'*+-/=?^_`{|}~"
)
LDH: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"
ALNUM: Final = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
# Characters mutations insert or substitute.
HOSTILE: Final = (
    ".",
    "@",
    "-",
    "_",
    "+",
    '"',
    "(",
    ")",
    "[",
    "]",
    "\\",
    " ",
    "\t",
    "\n",
    "\r",
    "<",
    ">",
    ",",
    ";",
    ":",
    "'",
    "`",
    "~",
    "é",
    "É",
    "ß",
    "ü",
    "ı",
    "İ",
    "ﬁ",
    "\u212a",  # Kelvin sign: lower() and casefold give "k".
    "\u212b",  # Angstrom sign: NFC gives "Å".
    "λ",
    "中",
    "ツ",
    "я",
    "\u00ad",  # Soft hyphen: UTS 46 maps it to nothing.
    "\uff20",  # Full-width @.
    "\ufe6b",  # Small commercial at.
    "\uff0e",  # Full-width full stop.
    "\u3002",  # Ideographic full stop.
    "\uff0d",  # Full-width hyphen-minus.
    "\u037e",  # Greek question mark: NFC gives ";".
    "\u2488",  # Digit one full stop.
    "0",
    "1",
    "9",
    "\u0660",  # Arabic-Indic digit zero.
    "\uff11",  # Full-width digit one.
    "\x00",
    "\x01",
    "\x1f",
    "\x7f",
    "\x85",
    "\xa0",
    "\u200b",
    "\u200d",
    "\u202e",
    "\u2028",
    "\u0301",
    "\u0338",
    "\ud800",
    "\udfff",
    "\ue000",
    "\U0001f600",
    "A",
    "Z",
    "z",
)
SPACES: Final = (" ", "\t", "\n", "  ", "\xa0", "\u3000", "\r\n", "\x1c")


def _run(rng: random.Random, chars: str, low: int, high: int) -> str:
    return "".join(rng.choices(chars, k=rng.randint(low, high)))


def _label(rng: random.Random, length: int) -> str:
    """A valid hostname label of *length* characters."""
    if length <= 2:
        return _run(rng, ALNUM, length, length)
    inner = "".join(rng.choices(LDH, k=length - 2))
    while "--" in inner:
        inner = inner.replace("--", "-a", 1)
    return rng.choice(ALNUM) + inner + rng.choice(ALNUM)


def _domain_of_length(rng: random.Random, length: int, longest: int) -> str:
    """A domain of *length* characters, labels <= *longest*, in .com."""
    budget = length - 3  # Each label with its dot, then "com".
    labels: list[str] = []
    while budget > 0:
        size = min(rng.randint(1, longest), budget - 1)
        if budget - (size + 1) == 1:  # A 1-character tail fits no label.
            size -= 1 if size > 1 else -1
        labels.append(_label(rng, size))
        budget -= size + 1
    return ".".join([*labels, "com"])


def realistic(rng: random.Random) -> str:
    """first.last@company.tld, with varied names, digits and tags."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice(
        (
            f"{first}.{last}",
            f"{first}{last}",
            f"{first[0]}.{last}",
            f"{first}_{last}",
            f"{last}{rng.randint(1, 9999)}",
            f"{first}.{last}+{rng.choice(('news', 'crm', 'x1', 'a.b'))}",
            f"{first}-{last}.{rng.randint(0, 99)}",
        )
    )
    labels = [rng.choice(COMPANIES)]
    if rng.random() < 0.3:
        labels.insert(0, rng.choice(SUBDOMAINS))
    if rng.random() < 0.1:
        labels.insert(0, rng.choice(SUBDOMAINS))
    tld = rng.choice(TLDS[:14]) if rng.random() < 0.85 else rng.choice(TLDS)
    address = f"{local}@{'.'.join(labels)}.{tld}"
    if rng.random() < 0.2:
        address = "".join(
            c.upper() if rng.random() < 0.3 else c for c in address
        )
    return address


def unusual(rng: random.Random) -> str:
    """Valid but rare: atext, short labels and TLDs, mailbox names."""
    kind = rng.randrange(6)
    if kind == 0:
        local = ".".join(_run(rng, ATEXT, 1, 8) for _ in range(3))
    elif kind == 1:
        local = rng.choice(MAILBOXES)
    elif kind == 2:
        local = _run(rng, ATEXT, 1, 3)
    else:
        local = _run(rng, ALNUM + "._+-", 1, 20).strip(".")
        local = local.replace("..", ".") or "a"
    labels = [
        _label(rng, rng.randint(1, 12)) for _ in range(rng.randint(1, 4))
    ]
    tld = rng.choice(
        (
            _run(
                rng,
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                1,
                6,
            ),
            rng.choice(TLDS),
            _label(rng, rng.randint(1, 6)),
        )
    )
    return f"{local}@{'.'.join(labels)}.{tld}"


def boundary(rng: random.Random) -> str:
    """Local parts, labels, domains and addresses at their limits."""
    kind = rng.randrange(4)
    if kind == 0:  # The local part around 64.
        local = _run(rng, ATEXT, 1, 1) * rng.choice((1, 62, 63, 64, 65, 66))
        return f"{local}@{rng.choice(COMPANIES[:6])}.com"
    if kind == 1:  # A label around 63.
        size = rng.choice((61, 62, 63, 64, 65))
        where = rng.randrange(3)
        label = _label(rng, size)
        domain = ("a.", "", "")[where] + label + (".com", ".com", "")[where]
        if where == 2:
            domain = "x." + label[:-1] + "z"
        return f"j.doe@{domain}"
    if kind == 2:  # The domain around 253.
        size = rng.choice((251, 252, 253, 254, 255))
        return "a@" + _domain_of_length(rng, size, rng.choice((63, 20)))
    # The address around 254 (after stripping, before normalization).
    total = rng.choice((252, 253, 254, 255, 256, 320, 321))
    local_size = rng.choice((1, 10, 63, 64, 65))
    local = _run(rng, ALNUM, local_size, local_size)
    domain = _domain_of_length(rng, total - local_size - 1, 63)
    address = f"{local}@{domain}"
    if rng.random() < 0.3:
        address = address.upper()
    return address


def mutate(rng: random.Random, text: str) -> str:
    """One to three edits: insert, delete, replace, double, swap case."""
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(len(chars) + 1)
        op = rng.randrange(5)
        if op == 0 or not chars:
            chars.insert(pos, rng.choice(HOSTILE))
            continue
        pos = min(pos, len(chars) - 1)
        if op == 1:
            del chars[pos]
        elif op == 2:
            chars[pos] = rng.choice(HOSTILE)
        elif op == 3:
            chars.insert(pos, chars[pos])
        else:
            chars[pos] = chars[pos].swapcase()
    return "".join(chars)


def special(rng: random.Random) -> str:
    """Special-use and reserved names, numeric and odd TLDs."""
    local = rng.choice(("me", "j.doe", "Postmaster", "a+b"))
    reserved = rng.choice(
        (
            "localhost",
            "local",
            "test",
            "invalid",
            "arpa",
            "onion",
            "example",
            "LOCALHOST",
            "Local",
            "TEST",
            "in-addr.arpa",
        )
    )
    form = rng.randrange(7)
    domain = (
        reserved,
        f"host.{reserved}",
        f"a.b.{reserved}",
        f"{reserved}.com",
        f"{reserved}s.com",
        f"my{reserved}",
        f"x.{reserved}x",
    )[form]
    if rng.random() < 0.3:
        domain = rng.choice(
            (
                f"b.{rng.randint(0, 999)}",
                f"b.c{rng.randint(0, 9)}",
                f"b.{rng.randint(0, 9)}c",
                "1.2.3.4",
                "b.c-",
                "b.-c",
                "b.co-m",
            )
        )
    return f"{local}@{domain}"


OTHER_FORMS: Final = (
    "me@[127.0.0.1]",
    "me@[IPv6:::1]",
    "me@[ipv6:2001:db8::1]",
    "me@[300.0.0.1]",
    "me@1.2.3.4",
    "me@[tag:x]",
    '"john doe"@example.com',
    '"john"@example.com',
    '"j.doe"@Example.COM',
    '"a\\"b"@x.com',
    '""@x.com',
    "John Doe <john@example.com>",
    "<john@example.com>",
    "john@example.com (John)",
    "(comment)john@example.com",
    "jeff@臺網中心.tw",
    "jeff@xn--fiqq24b10vi0d.tw",
    "JEFF@XN--FIQQ24B10VI0D.TW",
    "me@xn--bcher-kva.de",
    "me@bücher.de",
    "me@BÜCHER.de",
    "me@xn--0.tld",
    "me@yy--0.tld",
    "me@ab--cd.com",
    "me@a--b.com",
    "me@xn--4dbc.1.com",
    "élise@exämple.fr",
    "user@domain.xn--p1ai",
    "me@\u212aelvin.com",
    "K@\u212a.com",
    "me@exam\u00adple.com",
    "me@example\uff0ecom",
    "me\uff20example.com",
    "a@b@c.com",
    "a@@b.com",
    "@b.com",
    "a@",
    "@",
    "a",
    "a.@b.com",
    ".a@b.com",
    "a..b@c.com",
    "a@b..com",
    "a@.b.com",
    "a@b.com.",
    "a@-b.com",
    "a@b-.com",
)


_ALPHABET: Final = (*ATEXT, *HOSTILE)


def random_text(rng: random.Random) -> str:
    """A random string over the generator's alphabet, usually with @."""
    left = "".join(rng.choices(_ALPHABET, k=rng.randint(0, 12)))
    right = "".join(rng.choices(_ALPHABET, k=rng.randint(0, 16)))
    if rng.random() < 0.8:
        return f"{left}@{right}"
    return left + right


GENERATORS: Final[tuple[tuple[float, Callable[[random.Random], str]], ...]] = (
    (0.25, realistic),
    (0.10, unusual),
    (0.08, boundary),
    (0.05, special),
    (0.02, lambda rng: rng.choice(OTHER_FORMS)),
    (0.20, lambda rng: mutate(rng, realistic(rng))),
    (0.10, lambda rng: mutate(rng, unusual(rng))),
    (0.05, lambda rng: mutate(rng, boundary(rng))),
    (0.05, lambda rng: mutate(rng, rng.choice(OTHER_FORMS))),
    (0.10, random_text),
)


def address(rng: random.Random) -> str:
    """One generated address (sometimes with surrounding white space)."""
    draw = rng.random()
    make = GENERATORS[-1][1]
    for weight, candidate in GENERATORS:
        if draw < weight:
            make = candidate
            break
        draw -= weight
    text = make(rng)
    if rng.random() < 0.05:
        text = rng.choice(SPACES) + text + rng.choice(("", *SPACES))
    return text


def addresses(count: int, seed: int) -> Iterator[str]:
    """*count* generated addresses, always the same for one *seed*."""
    rng = random.Random(seed)
    for _ in range(count):
        yield address(rng)


# -- the comparison -----------------------------------------------------------


def outcome(validate: Callable[[object], str], raw: object) -> Outcome:
    """What *validate* makes of *raw*: its value or its issues."""
    try:
        return ("ok", validate(raw))
    except ValidationError as e:
        return (
            "refused",
            tuple(
                (i.path, i.code, tuple(sorted(i.params.items())))
                for i in e.issues
            ),
        )


def fast_hit(raw: object) -> bool:
    """Whether `emails.validate` answers *raw* without email-validator."""
    return isinstance(raw, str) and emails._fast_path(raw.strip()) is not None  # noqa: SLF001


@dataclass
class Report:
    """The counts of one differential run."""

    addresses: int = 0
    fast_hits: int = 0
    fallbacks: int = 0
    accepted: int = 0
    differences: int = 0
    examples: list[tuple[object, Outcome, Outcome]] = field(
        default_factory=list
    )
    seconds: float = 0.0

    def add(self, raw: object) -> None:
        """Compare both paths on *raw* and count."""
        self.addresses += 1
        hit = fast_hit(raw)
        if hit:
            self.fast_hits += 1
        else:
            self.fallbacks += 1
        fast = outcome(emails.validate, raw)
        slow = outcome(emails._validate_slow, raw)  # noqa: SLF001
        if fast != slow or (hit and fast[0] != "ok"):
            self.differences += 1
            if len(self.examples) < 10:
                self.examples.append((raw, fast, slow))
        elif fast[0] == "ok":
            self.accepted += 1

    def text(self) -> str:
        """The report as printed."""
        lines = [
            f"addresses:       {self.addresses:>10,}",
            f"fast-path hits:  {self.fast_hits:>10,}",
            f"fallbacks:       {self.fallbacks:>10,}",
            f"accepted (both): {self.accepted:>10,}",
            f"differences:     {self.differences:>10,} (target 0)",
        ]
        for raw, fast, slow in self.examples:
            lines.append(
                f"  {raw!r}:\n    fast path {fast}\n    slow path {slow}"
            )
        lines.append(f"({self.seconds:.1f} s)")
        return "\n".join(lines)


def run(count: int, seed: int = 0) -> Report:
    """Compare both paths on *count* generated addresses."""
    report = Report()
    started = time.perf_counter()
    for raw in addresses(count, seed):
        report.add(raw)
    report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str]) -> int:
    """``[COUNT] [SEED]``: run, print, 1 if any difference."""
    count = int(argv[1]) if len(argv) > 1 else 1_000_000
    seed = int(argv[2]) if len(argv) > 2 else 0
    print(
        f"E-mail differential: emails.validate (fast path) against"
        f" email-validator alone, {count:,} addresses, seed {seed}"
    )
    report = run(count, seed)
    print(report.text())
    return 1 if report.differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Unified social credit code (GB 32100-2015).

18 characters: registering authority (1), entity type (2), region (3-8),
organisation code (9-17, itself checked by GB 11714) and a check character
(18) computed by the GB/T 17710 weighted modulus-31 method.
"""

from __future__ import annotations

from app.i18n import N_
from app.refdata.normalise import normalise_code
from app.refdata.verdict import CodeVerdict, Reason

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_character(first17: str) -> str:
    total = sum(VALUES[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_character(first8: str) -> str:
    total = sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(first8, ORG_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def check_uscc(value: object) -> CodeVerdict:
    code, notes = normalise_code(value)
    problems: list[Reason] = []
    if not code:
        problems.append(Reason(N_("The code is empty.")))
    elif len(code) != 18:
        problems.append(Reason(N_("A unified social credit code has 18 characters, not {count}."),
                               {"count": len(code)}))
    else:
        bad = sorted({ch for ch in code if ch not in VALUES})
        if bad:
            problems.append(Reason(N_("Characters not allowed in the code: {chars} (I, O, S, V and Z are never used)."),
                                   {"chars": "".join(bad)}))
        else:
            expected = check_character(code[:17])
            if code[17] != expected:
                problems.append(Reason(N_("Wrong check character: it is {found} but should be {expected}."),
                                       {"found": code[17], "expected": expected}))
    valid = not problems
    return CodeVerdict(
        kind="uscc", value=value if isinstance(value, str) else repr(value), valid=valid,
        normalised=code if valid else None, problems=tuple(problems), notes=tuple(notes),
        parts={"region_code": code[2:8], "organisation_code": code[8:17]} if valid else {},
    )

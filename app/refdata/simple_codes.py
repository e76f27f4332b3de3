"""Format-level checks for region, industry and scope codes.

These guard the model boundary until the full dictionaries are loaded; the
dictionary-backed checks in this package refine them (known / historical codes).
"""

from __future__ import annotations

import re

from app.i18n import N_
from app.refdata.normalise import normalise_code
from app.refdata.verdict import CodeVerdict, Reason


def _verdict(kind: str, value: object, pattern: str, template: str) -> CodeVerdict:
    code, notes = normalise_code(value)
    problems: list[Reason] = []
    if not code:
        problems.append(Reason(N_("The code is empty.")))
    elif not re.fullmatch(pattern, code):
        problems.append(Reason(template, {"code": code}))
    valid = not problems
    return CodeVerdict(kind=kind, value=value if isinstance(value, str) else repr(value), valid=valid,
                       normalised=code if valid else None, problems=tuple(problems), notes=tuple(notes))


def check_region(value: object) -> CodeVerdict:
    return _verdict("region", value, r"[1-8]\d{5}",
                    N_("{code} is not a six-digit administrative division code."))


def check_industry(value: object) -> CodeVerdict:
    return _verdict("industry", value, r"[A-T](\d{2}(\d{1,2})?)?",
                    N_("{code} is not an industry code (a section letter A-T, then 2, 3 or 4 digits)."))


def check_iaf(value: object) -> CodeVerdict:
    code, _ = normalise_code(value)
    verdict = _verdict("iaf", value, r"\d{2}(\.\d{2}){0,2}",
                       N_("{code} is not a certification scope code (NN, NN.NN or NN.NN.NN)."))
    if verdict.valid and not 1 <= int(code[:2]) <= 39:
        return CodeVerdict(kind="iaf", value=verdict.value, valid=False,
                           problems=(Reason(N_("IAF scope sector {code} does not exist (1-39)."),
                                            {"code": code[:2]}),))
    return verdict

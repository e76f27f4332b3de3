"""Unified social credit code (GB 32100-2015).

18 characters from ``0-9A-HJ-NPQRTUWXY``: registering authority (1), entity
type (2), region (3-8, GB/T 2260), organisation code (9-17, itself carrying a
GB 11714 check character) and a check character (18) computed by the
GB/T 17710 weighted modulus-31 method.  Written from the standards' facts.

The inner GB 11714 check is enforced: every real public code we examined
(enterprises, individual businesses, government organs, and codes whose
positions 9-17 were newly issued, ``MA...``) satisfies it, see
tests/app/refdata/test_uscc.py.  A code whose region part is not in the
dictionary is still valid (regions change; the code keeps the region of the
day it was issued) and gets a note.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import mul
from typing import Any

from app.i18n import N_
from app.refdata.normalise import normalise_code
from app.refdata.regions import NATIONAL_CODE, full_name, region
from app.refdata.uscc_tables import AUTHORITIES, ENTITY_TYPES
from app.refdata.verdict import EMPTY, NOT_TEXT, CodeVerdict, Reason, verdict

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_VALUES = {ch: i for i, ch in enumerate(ORG_ALPHABET)}
_ALLOWED = frozenset(ALPHABET)
_ORG_CHECK = "0X987654321"  # 11 - (sum mod 11), with 10 -> X and 11 -> 0, indexed by the sum mod 11


def _table(alphabet: str) -> bytes:
    # bytes.translate maps each ASCII character to its value in one C call (the hot path of a check).
    table = bytearray(256)
    for value, ch in enumerate(alphabet):
        table[ord(ch)] = value
    return bytes(table)


_VALUE_TABLE = _table(ALPHABET)
_ORG_TABLE = _table(ORG_ALPHABET)


def check_character(first17: str) -> str:
    """The GB/T 17710 mod-31 check character for the first 17 characters (of ``ALPHABET``)."""
    total = sum(map(mul, first17.encode("ascii").translate(_VALUE_TABLE), WEIGHTS))
    return ALPHABET[-total % 31]


def org_check_character(first8: str) -> str:
    """The GB 11714 check character for the first 8 characters (``0-9A-Z``) of an organisation code."""
    total = sum(map(mul, first8.encode("ascii").translate(_ORG_TABLE), ORG_WEIGHTS))
    return _ORG_CHECK[total % 11]


# The hot path computes both checks with int(): the GB/T 17710 weights are 3**i mod 31 and
# base 34 is 3 mod 31, so int(first 17 reversed, 34) mod 31 is the weighted sum once each character
# is translated to the int() digit of its value; the GB 11714 weights are 3 * 6**i mod 11 and base
# 35 is 6**-1 mod 11, so 2 * int(org, 35) mod 11 is the organisation-code sum (the USCC alphabet's
# characters are already their own base-35 digits).  One C call each instead of a loop of products;
# test_uscc.py checks both against check_character / org_check_character.
_INT_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTU"  # the int() digit of each value 0..30
_NOT_ALLOWED = ord("#")  # what every character outside ALPHABET (lowercase too) translates to
_DIGIT_TABLE = bytes(ord(_INT_DIGITS[ALPHABET.index(chr(byte))]) if chr(byte) in _ALLOWED else _NOT_ALLOWED
                     for byte in range(256))
_INT_DIGIT_CODES = _INT_DIGITS.encode("ascii")
_WRONG_CHECK = N_("Wrong check character: it is {found} but should be {expected}.")


def check_uscc(value: object) -> CodeVerdict:
    if isinstance(value, str) and len(value) == 18 and value.isascii():
        # A clean code (valid or with a wrong check character) is answered without the normaliser.
        found = _check_clean(value, value, ())
        if found is not None:
            return found
    return _check_general(value)


def _check_clean(shown: str, code: str, notes: tuple[Reason, ...]) -> CodeVerdict | None:
    """The verdict for an 18-character ASCII ``code`` whose only possible problem is its check
    character, or None when anything else needs a closer look (the general path explains it).
    ``shown`` is the input as the verdict shows it back, ``notes`` what normalising changed."""
    digits = code.encode("ascii").translate(_DIGIT_TABLE)
    if _NOT_ALLOWED in digits:
        return None
    problems, parts, region_notes = _prefix_cache.get(code[:8]) or _prefix(code[:8])
    if problems or code[16] != _ORG_CHECK[int(code[8:16], 35) * 2 % 11]:
        return None
    expected = -int(digits[16::-1], 34) % 31
    if digits[17] == _INT_DIGIT_CODES[expected]:
        parts = parts.copy()
        parts["organisation_code"] = code[8:16] + "-" + code[16]
        return CodeVerdict("uscc", shown, True, code, (), notes + region_notes, parts)
    wrong = Reason(_WRONG_CHECK, {"found": code[17], "expected": ALPHABET[expected]})
    return CodeVerdict("uscc", shown, False, None, (wrong,), notes + region_notes, {})


def _check_general(value: object) -> CodeVerdict:
    if not isinstance(value, str):
        return verdict("uscc", value, "", [NOT_TEXT], [])
    code, notes = normalise_code(value)
    if len(code) == 18 and code.isascii():
        found = _check_clean(value[:256], code, tuple(notes))
        if found is not None:
            return found
    if len(code) == 18 and _ALLOWED.issuperset(code):
        # Here positions 1-8 or 9-17 have a problem (_check_clean answered everything else); every
        # rule that fails is reported, the check character last.
        problems, parts = _check_parts(code, notes)
        expected = check_character(code[:17])
        if code[17] == expected and not problems:
            return CodeVerdict("uscc", value[:256], True, code, (), tuple(notes), parts)
        if code[17] != expected:
            problems.append(Reason(_WRONG_CHECK, {"found": code[17], "expected": expected}))
        return verdict("uscc", value, code, problems, notes)
    if not code:
        problem = EMPTY
    elif len(code) != 18:
        problem = Reason(N_("A unified social credit code has 18 characters, not {count}."), {"count": len(code)})
    else:
        bad = "".join(sorted({ch for ch in code if ch not in _ALLOWED}))
        problem = Reason(N_("Characters not allowed in the code: {chars} (I, O, S, V and Z are never used)."),
                         {"chars": bad})
    return verdict("uscc", value, code, [problem], notes)


def _check_parts(code: str, notes: list[Reason]) -> tuple[list[Reason], dict[str, str]]:
    prefix_problems, prefix_parts, region_notes = _prefix(code[:8])
    problems = list(prefix_problems)
    notes.extend(region_notes)
    org = code[8:17]
    if org[8] not in "0123456789X":
        problems.append(Reason(N_("The organisation code {org} (positions 9-17) must end in a digit or X."),
                               {"org": org}))
    else:
        expected = org_check_character(org[:8])
        if org[8] != expected:
            problems.append(Reason(N_("The organisation code {org} (positions 9-17) fails its GB 11714 check: "
                                      "its last character should be {expected}."),
                                   {"org": org, "expected": expected}))
    parts = prefix_parts.copy()
    parts["organisation_code"] = org[:8] + "-" + org[8]
    return problems, parts


# Positions 1-8 decode the same way every time; caching them keeps a check within a few µs.
_Decoded = tuple[tuple[Reason, ...], dict[str, str], tuple[Reason, ...]]  # problems, parts, notes
_prefix_cache: dict[str, _Decoded] = {}
_CACHE_LIMIT = 100_000  # bounds memory when a caller feeds endless made-up codes
_authority_cache: dict[str, tuple[tuple[Reason, ...], dict[str, str]]] = {}
_region_cache: dict[str, tuple[dict[str, str], Reason | None]] = {}


def clear_cache() -> None:
    _prefix_cache.clear()
    _authority_cache.clear()
    _region_cache.clear()


def _cached(cache: dict[str, Any], key: str, decode: Callable[[str], Any]) -> Any:
    found = cache.get(key)
    if found is None:
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        found = cache[key] = decode(key)
    return found


def _prefix(first8: str) -> _Decoded:
    found = _prefix_cache.get(first8)
    if found is None:
        if len(_prefix_cache) >= _CACHE_LIMIT:
            _prefix_cache.clear()
        problems, authority_parts = _cached(_authority_cache, first8[:2], _decode_authority)
        region_parts, note = _cached(_region_cache, first8[2:8], _decode_region)
        found = _prefix_cache[first8] = (problems, {**authority_parts, **region_parts},
                                         () if note is None else (note,))
    return found


def _decode_authority(prefix: str) -> tuple[tuple[Reason, ...], dict[str, str]]:
    authority = AUTHORITIES.get(prefix[0])
    entity = ENTITY_TYPES.get(prefix[0], {}).get(prefix[1])
    if authority is None:
        return (Reason(N_("Unknown registering authority {char} in position 1."), {"char": prefix[0]}),), {}
    if entity is None:
        return (Reason(N_("Entity type {char} in position 2 is not defined for registering "
                          "authority {authority} ({name})."),
                       {"char": prefix[1], "authority": prefix[0], "name": authority[0]}),), {}
    return (), {"authority_code": prefix[0], "authority": authority[0], "authority_en": authority[1],
                "entity_type_code": prefix[1], "entity_type": entity[0], "entity_type_en": entity[1]}


def _decode_region(code: str) -> tuple[dict[str, str], Reason | None]:
    if code == NATIONAL_CODE:
        return {"region_code": code, "region_name": "全国（中央级登记）",
                "region_name_en": "national (registered at central level)"}, None
    found = region(code)
    if found is None:
        return {"region_code": code}, Reason(
            N_("The region part {code} is not in the administrative division dictionary."), {"code": code})
    parts = {"region_code": code, "region_name": full_name(code) or found.name}
    if not found.historical:
        return parts, None
    parts["region_status"] = "historical"
    return parts, Reason(N_("The region part {code} is a historical code (withdrawn in {year})."),
                         {"code": code, "year": found.withdrawn})

"""Check characters for demo organisation codes (GB 11714) and unified social credit codes (GB 32100)."""

from __future__ import annotations

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code(body8: str) -> str:
    """The 9-character organisation code: 8 characters and their GB 11714 mod-11 check."""
    total = sum(_ORG_ALPHABET.index(ch) * weight for ch, weight in zip(body8, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body8 + {10: "X", 11: "0"}.get(check, str(check))


def uscc(authority: str, kind: str, region: str, org_body8: str) -> str:
    """An 18-character USCC whose last character is the GB/T 17710 modulus-31 check."""
    first17 = authority + kind + region + organisation_code(org_body8)
    total = sum(USCC_ALPHABET.index(ch) * weight for ch, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]

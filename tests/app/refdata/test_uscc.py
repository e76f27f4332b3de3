"""Unified social credit codes: real public codes, every rule, bad input, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.i18n import N_
from app.refdata import check_uscc
from app.refdata.regions import regions
from app.refdata.uscc import ALPHABET, check_character, org_check_character
from app.refdata.uscc_tables import ENTITY_TYPES
from app.refdata.verdict import Reason

# Codes published by the organisations themselves (licences, annual reports, invoices).  The mod-31
# check alone passes for a random string once in 31 tries, so their agreement with the inner
# GB 11714 check too is the evidence for enforcing it: enterprises, individual businesses (92),
# a central government organ (11) and codes whose positions 9-17 were issued new (MA...).
REAL_CODES = [
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91110000100017643K",
    "91310000607216596U",
    "9144030071526726XG",
    "91110000710935732K",
    "11100000000013127D",
    "91310000MA1FW1BXX2",
    "91310000MA1K32MN7F",
    "91440300MA5H8REU3K",
    "91440300MA5G7P4L4X",
    "91440300MA5DLQQW0F",
    "91440300MA5H0HLK5U",
    "91133100MA0D8N1J7G",
    "92500233MA60R5KW8M",
    "92411282MA40L9CL1J",
    "92110108MA00GTG727",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid_and_decoded(code: str) -> None:
    verdict = check_uscc(code)
    assert verdict.valid, [reason.text() for reason in verdict.problems]
    assert verdict.normalised == code
    assert verdict.parts["authority"] and verdict.parts["entity_type"]
    assert verdict.parts["region_code"] == code[2:8]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_satisfy_the_inner_organisation_code_check(code: str) -> None:
    assert org_check_character(code[8:16]) == code[16]


def test_decoded_parts_of_a_known_code() -> None:
    parts = check_uscc("91440300708461136T").parts
    assert parts["authority"] == "工商"
    assert parts["entity_type"] == "企业"
    assert parts["region_name"] == "广东省深圳市"
    assert parts["organisation_code"] == "70846113-6"
    assert check_uscc("11100000000013127D").parts["entity_type"] == "机关"


@pytest.mark.parametrize("code", REAL_CODES[:5])
def test_every_single_character_change_is_rejected(code: str) -> None:
    for position in range(18):
        for replacement in ALPHABET:
            if replacement == code[position]:
                continue
            mutated = code[:position] + replacement + code[position + 1:]
            assert not check_uscc(mutated).valid, mutated


def problems(value: object) -> list[str]:
    return [reason.template for reason in check_uscc(value).problems]


def test_wrong_check_character_says_what_it_should_be() -> None:
    verdict = check_uscc("91440300708461136U")
    assert not verdict.valid
    assert verdict.problems[-1].params == {"found": "U", "expected": "T"}
    assert "should be T" in verdict.problems[-1].text() or "T" in verdict.problems[-1].text()


def test_length_rule() -> None:
    assert problems("9144030070846113")[0].startswith("A unified social credit code has 18")
    assert check_uscc("9144030070846113").problems[0].params == {"count": 16}


def test_forbidden_letters_are_named() -> None:
    verdict = check_uscc("9144030070846113OI")
    assert "I, O, S, V and Z" in verdict.problems[0].template
    assert verdict.problems[0].params == {"chars": "IO"}


def with_check(first17: str) -> str:
    return first17 + check_character(first17)


def test_unknown_authority_and_entity_type() -> None:
    unknown_authority = with_check("B1440300708461136")
    assert problems(unknown_authority) == ["Unknown registering authority {char} in position 1."]
    bad_type = with_check("9444030070846113" + "6")
    assert problems(bad_type)[0].startswith("Entity type {char} in position 2")


def test_inner_organisation_check_is_enforced() -> None:
    broken_inner = with_check("91440300708461137")
    verdict = check_uscc(broken_inner)
    assert not verdict.valid
    assert verdict.problems[0].params == {"org": "708461137", "expected": "6"}


def test_unknown_region_part_is_a_note_not_a_rejection() -> None:
    first16 = "91999999" + "70846113"
    code = with_check(first16 + org_check_character("70846113"))
    verdict = check_uscc(code)
    assert verdict.valid
    assert any("not in the administrative division dictionary" in n.template for n in verdict.notes)


def test_historical_region_part_is_accepted_with_a_note() -> None:
    first16 = "91371200" + "70846113"
    verdict = check_uscc(with_check(first16 + org_check_character("70846113")))
    assert verdict.valid
    assert verdict.parts["region_status"] == "historical"


@pytest.mark.parametrize(("typed", "note"), [
    ("９１４４０３００７０８４６１１３６Ｔ", "Full-width characters were converted to half-width."),
    ("91440300708461136t", "Lowercase letters were converted to uppercase."),
    ("9144 0300 7084 6113 6T", "Spaces and dashes were removed."),
    ("91440300-70846113-6T", "Spaces and dashes were removed."),
])
def test_normalisation_is_reported(typed: str, note: str) -> None:
    verdict = check_uscc(typed)
    assert verdict.valid
    assert verdict.normalised == "91440300708461136T"
    assert note in [reason.template for reason in verdict.notes]


@pytest.mark.parametrize("value", ["", "   ", None, 18, 3.5, b"91440300708461136T", ["x"], {"a": 1},
                                   "9" * 100_000, "\x00" * 18, "统一社会信用代码", "😀" * 18])
def test_bad_input_never_raises(value: object) -> None:
    verdict = check_uscc(value)
    assert not verdict.valid
    assert verdict.problems
    assert len(verdict.value) <= 256
    verdict.to_json()


def valid_codes() -> st.SearchStrategy[str]:
    region_codes = sorted(regions())
    authorities = [(a, t) for a, types in ENTITY_TYPES.items() for t in types]
    org_chars = [ch for ch in ALPHABET]

    @st.composite
    def build(draw: st.DrawFn) -> str:
        authority, entity = draw(st.sampled_from(authorities))
        region = draw(st.sampled_from(region_codes))
        body = "".join(draw(st.lists(st.sampled_from(org_chars), min_size=8, max_size=8)))
        org = body + org_check_character(body)
        first17 = authority + entity + region + org
        return with_check(first17)

    return build()


@settings(max_examples=300, deadline=None)
@given(valid_codes())
def test_every_generated_valid_code_passes(code: str) -> None:
    verdict = check_uscc(code)
    assert verdict.valid, (code, [reason.text() for reason in verdict.problems])


@settings(max_examples=300, deadline=None)
@given(valid_codes(), st.integers(0, 17), st.sampled_from(sorted(set(ALPHABET) | set("IOSVZ*#"))))
def test_every_single_character_mutation_fails(code: str, position: int, replacement: str) -> None:
    if replacement == code[position]:
        return
    mutated = code[:position] + replacement + code[position + 1:]
    assert not check_uscc(mutated).valid, mutated


# The hot path computes both check characters with int() in bases 34 and 35 (see uscc.py); these tie it
# to the plain weighted sums of check_character / org_check_character.
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.sampled_from(ALPHABET))
def test_fast_path_agrees_with_the_plain_weighted_sums(first17: str, last: str) -> None:
    code = first17 + last
    verdict = check_uscc(code)
    check_ok = last == check_character(first17)
    org_ok = code[16] == org_check_character(code[8:16])
    templates = [reason.template for reason in verdict.problems]
    assert any("fails its GB 11714 check" in t for t in templates) == (code[16] in "0123456789X" and not org_ok)
    assert any(t.startswith("Wrong check character") for t in templates) == (not check_ok)
    if not check_ok:
        assert verdict.problems[-1].params == {"found": last, "expected": check_character(first17)}


@settings(max_examples=300, deadline=None)
@given(valid_codes(), st.integers(0, 17), st.sampled_from(ALPHABET))
def test_typed_with_separators_gives_the_same_answer_plus_a_note(code: str, position: int,
                                                                 replacement: str) -> None:
    # A clean code is answered by the fast path, the same code typed with a dash goes through the
    # normaliser first: both must agree on everything but the note.
    code = code[:position] + replacement + code[position + 1:]
    clean, typed = check_uscc(code), check_uscc(code[:8] + "-" + code[8:])
    assert (typed.valid, typed.normalised, typed.problems, typed.parts) == (
        clean.valid, clean.normalised, clean.problems, clean.parts)
    assert typed.notes == (Reason(N_("Spaces and dashes were removed.")), *clean.notes)


def test_wrong_check_character_after_normalising() -> None:
    verdict = check_uscc("9144 0300 7084 6113 6u")
    assert not verdict.valid and verdict.parts == {}
    assert verdict.problems[0].params == {"found": "U", "expected": "T"}
    assert [reason.template for reason in verdict.notes] == [
        "Spaces and dashes were removed.", "Lowercase letters were converted to uppercase."]


def test_normalising_note_comes_before_the_region_note() -> None:
    code = with_check("91371200" + "70846113" + org_check_character("70846113"))
    verdict = check_uscc(code.lower())
    assert verdict.valid
    assert [reason.template for reason in verdict.notes] == [
        "Lowercase letters were converted to uppercase.",
        "The region part {code} is a historical code (withdrawn in {year}).",
    ]


def test_parts_of_one_verdict_do_not_leak_into_the_next() -> None:
    # Decoded positions 1-8 are cached; every verdict gets its own parts.
    check_uscc("91440300708461136T").parts["region_name"] = "changed"
    assert check_uscc("91440300708461136T").parts["region_name"] == "广东省深圳市"

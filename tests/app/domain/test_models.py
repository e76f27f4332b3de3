"""Validation at the model boundary, with reasons in the user's language."""

from __future__ import annotations

import pytest

from app.domain import Audit, Finding
from app.domain.base import parse
from app.domain.ids import new_id
from app.errors import ValidationFailed
from app.i18n import set_language
from tests.factories import audit_data, make_audit


def test_valid_audit_gets_uuid7_id() -> None:
    audit = make_audit()
    assert audit.id[14] == "7"
    assert new_id() > audit.id


def test_invalid_codes_and_missing_fields_are_explained_in_chinese() -> None:
    data = audit_data(standards=[], effective_personnel=0)
    data["client"]["uscc"] = "91350100M000100Y44"
    del data["title"]
    with pytest.raises(ValidationFailed) as caught:
        parse(Audit, data)
    problems = dict(caught.value.problems)
    assert problems["title"] == "标题：此项必填。"
    assert "校验" in problems["client.uscc"] or "3" in problems["client.uscc"]
    assert problems["effective_personnel"].startswith("有效人数")
    assert "standards" in problems


def test_english_messages_when_asked() -> None:
    set_language("en")
    with pytest.raises(ValidationFailed) as caught:
        parse(Audit, audit_data(start_date="2026-12-05", end_date="2026-12-01"))
    assert "before the start date" in str(caught.value)


@pytest.mark.parametrize("bad", [None, 42, "", "x" * 300, ["list"]])
def test_garbage_never_raises_unhandled(bad: object) -> None:
    data = audit_data()
    data["client"]["uscc"] = bad
    with pytest.raises(ValidationFailed):
        parse(Audit, data)


def test_unknown_fields_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse(Finding, {"audit_id": "a", "clause_refs": [{"standard": "ISO 9001:2015", "clause": "8.5.1"}],
                        "grade": "major_nc", "statement": "x", "colour": "red"})
    assert "不是已知字段" in str(caught.value)

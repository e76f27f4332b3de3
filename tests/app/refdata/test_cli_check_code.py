"""``fieldaudit check-code``: the handler with a real CliContext, and the full command line."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest

from app.cli import check_code
from app.cli.context import CliContext
from app.cli.main import build_parser
from app.i18n import set_language


def run(tmp_path: Path, kind: str, value: str, as_json: bool = False) -> tuple[int, str]:
    out = io.StringIO()
    ctx = CliContext(profile_dir=tmp_path, stdout=out)
    code = check_code.run(argparse.Namespace(kind=kind, value=value, json=as_json), ctx)
    return code, out.getvalue()


@pytest.mark.parametrize(("kind", "value", "expected"), [
    ("uscc", "91440300708461136T", 0), ("uscc", "91440300708461136U", 1),
    ("region", "440305", 0), ("region", "371200", 0), ("region", "999999", 1),
    ("industry", "C3611", 0), ("industry", "X1", 1),
    ("iaf", "28", 0), ("iaf", "40", 1),
])
def test_exit_codes(tmp_path: Path, kind: str, value: str, expected: int) -> None:
    assert run(tmp_path, kind, value)[0] == expected


def test_json_output(tmp_path: Path) -> None:
    code, text = run(tmp_path, "uscc", "９１４４０３００７０８４６１１３６ｔ", as_json=True)
    payload = json.loads(text)
    assert code == 0
    assert payload["valid"] is True
    assert payload["normalised"] == "91440300708461136T"
    assert payload["parts"]["entity_type"] == "企业"
    assert len(payload["notes"]) == 2


def test_text_output_in_chinese_and_english(tmp_path: Path) -> None:
    set_language("zh_CN")
    try:
        code, text = run(tmp_path, "uscc", "91440300708461136U")
        assert code == 1
        assert "校验码" in text and "T" in text
        _, region = run(tmp_path, "region", "371200")
        assert "历史" in region and "山东省莱芜市" in region
        set_language("en")
        _, english = run(tmp_path, "uscc", "91440300708461136T")
        assert "valid" in english and "Region: 广东省深圳市" in english and "enterprise" in english
    finally:
        set_language("zh_CN")


def test_registered_in_the_command_line(tmp_path: Path) -> None:
    parser = build_parser([check_code])
    args = parser.parse_args(["check-code", "industry", "3611", "--json"])
    assert args.handler is check_code.run
    out = io.StringIO()
    assert args.handler(args, CliContext(profile_dir=tmp_path, stdout=out)) == 0
    assert json.loads(out.getvalue())["normalised"] == "C3611"

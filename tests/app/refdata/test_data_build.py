"""Lazy loading, the data-build helpers and the ministry-list parser used to refresh regions."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

from app.refdata.build.common import initials
from app.refdata.build.industries import parse_source, with_parents
from app.refdata.build.regions import parse_mca_text, region_rows, withdrawn_since
from app.refdata.data import DATA_DIR, load_json, reset_caches

ROOT = Path(__file__).resolve().parents[3]


def test_importing_the_package_reads_no_data_file() -> None:
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import app.refdata as r; "
             "from app.refdata.data import load_json; assert load_json.cache_info().currsize == 0; "
             "r.check_region('440305'); print(load_json.cache_info().currsize)")
    result = subprocess.run([sys.executable, "-c", probe, str(ROOT)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "2"  # regions.json and regions_historical.json, nothing else


def test_reset_caches_reloads_every_dataset() -> None:
    from app.refdata import check_region, check_uscc, search

    assert check_region("440305").valid
    reset_caches()
    assert load_json.cache_info().currsize == 0
    assert check_uscc("91440300708461136T").valid
    assert search("nsq", kinds=["region"])
    assert importlib.import_module("app.refdata.search").clear_cache is not None


def test_pinyin_initials() -> None:
    assert initials("南山区") == "nsq"
    assert initials("重庆市") == "cqs"
    assert initials("三维（3D)打印技术推广服务") == "sw3ddyjstgfw"


def test_ministry_list_parser_reads_html_and_text_tables() -> None:
    html = """<table><tr><td>110000</td><td>北京市</td></tr>
    <tr><td class=xl7>110101</td><td class=xl7>&nbsp;东城区</td></tr>
    <tr><td>652300</td><td>昌吉回族自治州</td></tr></table>
    110102\t西城区
    330100，杭州市"""
    assert parse_mca_text(html) == {"110000": "北京市", "110101": "东城区", "652300": "昌吉回族自治州",
                                    "110102": "西城区", "330100": "杭州市"}


def test_withdrawn_codes_are_detected_for_the_historical_list() -> None:
    old = {"110101": "东城区", "110103": "崇文区"}
    assert withdrawn_since(old, {"110101": "东城区"}) == ["110103"]
    assert region_rows({"110101": "东城区"}) == [["110101", "东城区", "dcq"]]


def test_industry_source_round_trip_matches_the_shipped_json() -> None:
    rows = parse_source((DATA_DIR / "gbt4754_2017.txt").read_text(encoding="utf-8"))
    assert with_parents(rows) == load_json("industries.json")["entries"]

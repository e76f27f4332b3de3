"""Reference-data performance: USCC validation, picker search, lazy data loading.

    .venv/bin/python bench/refdata.py [--quick]

Goals (issue 3): validation < 5 µs per code over 100,000 codes; picker search
< 5 ms at the 95th percentile over 10,000 queries; data load at start-up
< 50 ms.  Each figure is printed with a ratio against a baseline measured in
the same run on the same machine, never as a timed test assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.refdata import check_uscc, search  # noqa: E402
from app.refdata.regions import regions  # noqa: E402
from app.refdata.uscc import ALPHABET, check_character, org_check_character  # noqa: E402
from app.refdata.uscc_tables import ENTITY_TYPES  # noqa: E402


def make_codes(count: int, rng: random.Random) -> list[str]:
    region_codes = sorted(regions())
    kinds = [(a, t) for a, types in ENTITY_TYPES.items() for t in types]
    codes = []
    for index in range(count):
        authority, entity = rng.choice(kinds)
        body = "".join(rng.choice(ALPHABET) for _ in range(8))
        first17 = authority + entity + rng.choice(region_codes) + body + org_check_character(body)
        code = first17 + check_character(first17)
        if index % 10 == 0:  # one in ten mistyped, one in ten typed in lowercase with spaces
            code = code[:17] + ("0" if code[17] != "0" else "1")
        elif index % 10 == 1:
            code = code[:8].lower() + " " + code[8:]
        codes.append(code)
    return codes


def bench_uscc(count: int) -> None:
    codes = make_codes(count, random.Random(7))
    start = time.perf_counter()
    for code in codes:
        check_character(code[:17]) if len(code) == 18 and code[:17].isalnum() else None
    baseline = time.perf_counter() - start
    passes = []
    for _ in range(5):  # the first pass also fills the caches of decoded positions 1-8
        start = time.perf_counter()
        valid = sum(check_uscc(code).valid for code in codes)
        passes.append(time.perf_counter() - start)
    full = statistics.median(passes)
    per_code = full / count * 1e6
    print(f"USCC: {count:,} validations ({valid:,} valid, 10% mistyped, 10% lower-case with spaces), "
          f"median of 5 passes {per_code:.2f} µs each, best {min(passes) / count * 1e6:.2f} µs, "
          f"first pass {passes[0] / count * 1e6:.2f} µs "
          f"(goal < 5 µs: {'met' if per_code < 5 else 'NOT met'}); "
          f"{full / baseline:.1f}x the bare mod-31 check character ({baseline / count * 1e6:.2f} µs)")
    # Per kind of input (same order as make_codes): the clean 18 characters take the fast path.
    kinds = {"clean valid": [c for i, c in enumerate(codes) if i % 10 > 1],
             "wrong check character": codes[0::10], "lower-case with a space": codes[1::10]}
    figures = []
    for name, subset in kinds.items():
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            for code in subset:
                check_uscc(code)
            timings.append(time.perf_counter() - start)
        figures.append(f"{name} {statistics.median(timings) / len(subset) * 1e6:.2f} µs")
    print("  by kind (median of 3): " + ", ".join(figures))


def queries(count: int, rng: random.Random) -> list[str]:
    from app.refdata.industries import industries

    names = [r.name for r in regions().values()] + [i.name for i in industries().values()]
    initials = [r.initials for r in regions().values()]
    pool: list[str] = []
    for _ in range(count):
        kind = rng.randrange(5)
        if kind == 0:
            name = rng.choice(names)
            pool.append(name[: rng.randint(1, len(name))])
        elif kind == 1:
            pool.append(rng.choice(initials)[: rng.randint(1, 3)])
        elif kind == 2:
            pool.append(rng.choice(sorted(regions()))[: rng.randint(2, 6)])
        elif kind == 3:
            pool.append(rng.choice(["quality", "environment", "management review", "emergency", "design",
                                    "information tech", "audit", "competence", "control of"]))
        else:
            pool.append(rng.choice(["C36", "3611", "7.1.5", "8.5", "I65", "28", "19"]))
    return pool


def bench_search(count: int) -> None:
    search("warm-up")
    pool = queries(count, random.Random(11))
    names = [r.name for r in regions().values()]
    start = time.perf_counter()
    for query in pool[: min(count, 2000)]:
        [name for name in names if query in name][:20]
    naive = (time.perf_counter() - start) / min(count, 2000)
    timings = []
    for query in pool:
        start = time.perf_counter()
        search(query)
        timings.append(time.perf_counter() - start)
    timings.sort()
    p50 = statistics.median(timings) * 1e3
    p95 = timings[int(len(timings) * 0.95)] * 1e3
    worst = timings[-1] * 1e3
    print(f"Search: {count:,} picker queries over every kind, p50 {p50:.3f} ms, p95 {p95:.3f} ms, "
          f"max {worst:.2f} ms (goal p95 < 5 ms: {'met' if p95 < 5 else 'NOT met'}); "
          f"p95 is {p95 / (naive * 1e3):.1f}x a naive substring scan of region names only "
          f"({naive * 1e3:.3f} ms)")


LOAD_PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
t0 = time.perf_counter()
import app.refdata as refdata
t1 = time.perf_counter()
with open(sys.argv[1] + "/resources/refdata/regions.json", encoding="utf-8") as handle:
    json.load(handle)
t2 = time.perf_counter()
refdata.check_region("440305")
t3 = time.perf_counter()
refdata.check_industry("C3611")
t4 = time.perf_counter()
refdata.check_uscc("91440300708461136T")
refdata.check_iaf("28")
refdata.clause_title("ISO 9001:2015", "7.2")
t5 = time.perf_counter()
refdata.instantiate_checklist(["ISO 9001:2015", "ISO 14001:2015"])
t6 = time.perf_counter()
refdata.search("nsq")
t7 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "raw_json": t2 - t1, "regions": t3 - t2, "industries": t4 - t3,
                  "rest": t5 - t4, "checklist": t6 - t5, "search_index": t7 - t6}))
"""


def bench_load(runs: int) -> None:
    samples = []
    for _ in range(runs):
        result = subprocess.run([sys.executable, "-c", LOAD_PROBE, str(ROOT)], capture_output=True, text=True,
                                check=True)
        samples.append(json.loads(result.stdout))
    median = {key: statistics.median(sample[key] for sample in samples) * 1e3 for key in samples[0]}
    data = median["regions"] + median["industries"] + median["rest"]
    print(f"Load (fresh process, median of {runs}): importing app.refdata reads no data file "
          f"({median['import']:.1f} ms, mostly app.i18n); first use loads regions {median['regions']:.1f} ms, "
          f"industries {median['industries']:.1f} ms, scope codes + a clause catalogue {median['rest']:.1f} ms "
          f"= {data:.1f} ms (goal < 50 ms: {'met' if data < 50 else 'NOT met'}); "
          f"{data / median['raw_json']:.1f}x a bare json.load of regions.json ({median['raw_json']:.1f} ms). "
          f"Later, on demand: checklist 9001+14001 {median['checklist']:.1f} ms, "
          f"search index {median['search_index']:.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller counts (CI smoke run)")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (other work slows every figure)")
    bench_uscc(10_000 if args.quick else 100_000)
    bench_search(1_000 if args.quick else 10_000)
    bench_load(3 if args.quick else 7)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

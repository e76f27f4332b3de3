"""Write path and reads on SQLCipher versus the same schema on stdlib sqlite3, in one run.

    .venv/bin/python -m bench.store [--answers 10000]

Goals (issue 2): write path (row + journal + outbox) <= 1.5x the plain-sqlite raw insert of the same rows;
10,000 reads by id; unlock with a cached data key < 50 ms; unlock with a passphrase < 1 s.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from app.domain import ChecklistItem
from app.services.session import create_profile, open_profile
from app.store.migrations import all_migrations
from bench.common import best_of, report, report_absolute
from tests.factories import make_audit, make_item

ANSWERS = ["conforming", "minor_nc", "observation", "not_applicable"]


def plain_schema(path: Path, synchronous: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    # The same durability as the app's connection: a baseline that skips fsyncs would compare nothing.
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    for migration in all_migrations():
        conn.executescript(migration.sql)
    return conn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--block", type=int, default=500, help="writes per alternating block")
    args = parser.parse_args()
    n = args.answers
    work = Path(tempfile.mkdtemp(prefix="bench-store-"))
    session = create_profile(work / "profile", "bench passphrase", remember=False)
    audit = make_audit()
    items = [make_item(audit.id, clause=f"{i % 10 + 1}.{i}") for i in range(n)]
    with session.store.unit_of_work("bench") as uow:
        uow.create(audit)
        for item in items:
            uow.create(item)
    answers = [(item.id, random.choice(ANSWERS)) for item in items]
    sync_level = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}[
        int(session.store.query("PRAGMA synchronous")[0][0])]

    conn = plain_schema(work / "plain.db", sync_level)
    rows = [(item.id, audit.id, item.model_dump_json()) for item in items]
    conn.executemany("INSERT INTO records (entity, id, audit_id, data, updated_at) VALUES "
                     "('checklist_item', ?, ?, ?, 'now')", rows)
    conn.execute("INSERT INTO meta VALUES ('device_seq', '0'), ('hlc', '0-0')")
    # The same rows the write path produces, precomputed, inserted with plain SQL.
    plain_rows = []
    for seq, (item_id, _audit, data) in enumerate(rows, start=1):
        answer = random.choice(ANSWERS)
        new = json.dumps({**json.loads(data), "answer": answer, "notes": f"note {answer}"})
        patch = json.dumps({"answer": answer, "notes": f"note {answer}"})
        plain_rows.append((new, item_id, seq, patch, "f" * 64))

    def app_writes(block: list[tuple[str, str]]) -> None:
        for item_id, answer in block:
            with session.store.unit_of_work("bench") as uow:
                uow.update(ChecklistItem, item_id, {"answer": answer, "notes": f"note {answer}"})

    def plain_writes(block: list[tuple[str, str, int, str, str]]) -> None:
        for data, item_id, seq, patch, digest in block:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE records SET data = ?, updated_at = 'now' WHERE entity = 'checklist_item' AND id = ?",
                         (data, item_id))
            conn.execute("INSERT INTO journal (seq, entry_id, at, actor, device_id, entity, entity_id, audit_id, op,"
                         " origin, before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (seq, item_id, "now", "bench", "dev", "checklist_item", item_id, audit.id, "patch",
                          "local", patch, patch, digest, digest))
            conn.execute("UPDATE meta SET value = ? WHERE key = 'hlc'", (f"{seq}-0",))
            conn.execute("UPDATE meta SET value = ? WHERE key = 'device_seq'", (str(seq),))
            conn.execute("INSERT INTO outbox (mutation_id, device_seq, audit_id, entity, entity_id, op, base_rev,"
                         " fields, hlc, schema_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         (f"{item_id}-{seq}", seq, audit.id, "checklist_item", item_id, "patch", 0, patch,
                          f"{seq}-0", 1, "now"))
            conn.execute("COMMIT")

    def plain_row_only(block: list[tuple[str, str, int, str, str]]) -> None:
        for data, item_id, *_rest in block:
            conn.execute("BEGIN IMMEDIATE")
            # A different text than plain_writes stored: SQLite skips writing a page whose bytes do not change.
            conn.execute("UPDATE records SET data = ? WHERE entity = 'checklist_item' AND id = ?",
                         (data + " ", item_id))
            conn.execute("COMMIT")

    # The machine is shared: alternate blocks so that both sides see the same background load.
    app_seconds = plain_seconds = row_only_seconds = 0.0
    for first in range(0, n, args.block):
        block = slice(first, first + args.block)
        app_seconds += best_of(1, functools.partial(app_writes, answers[block]))
        plain_seconds += best_of(1, functools.partial(plain_writes, plain_rows[block]))
        row_only_seconds += best_of(1, functools.partial(plain_row_only, plain_rows[block]))
    print(f"{n} checklist answers, one transaction each (synchronous={sync_level}, WAL), "
          f"alternating blocks of {args.block}")
    report("write path vs same rows raw on plain sqlite3", app_seconds, plain_seconds, 1.5)
    print(f"  per write: app {app_seconds / n * 1e6:.0f} µs, plain {plain_seconds / n * 1e6:.0f} µs; "
          f"for information, vs the record row alone {app_seconds / row_only_seconds:.2f}x")

    ids = [item.id for item in items]
    random.shuffle(ids)
    app_reads = best_of(3, lambda: [session.store.checklist.get(i) for i in ids])
    plain_reads = best_of(3, lambda: [ChecklistItem.model_validate_json(
        conn.execute("SELECT data FROM records WHERE entity='checklist_item' AND id=?", (i,)).fetchone()[0])
        for i in ids])
    report(f"{n} reads by id (validated models)", app_reads, plain_reads, 1.5)

    profile = session.paths.root
    key = bytes(session.data_key)
    session.close()
    from app.store import Store

    start = time.perf_counter()
    Store.open(profile / "store.db", key).close()
    report_absolute("unlock with a cached data key (open + key + read)", time.perf_counter() - start, 0.050)
    start = time.perf_counter()
    open_profile(profile, passphrase="bench passphrase").close()
    report_absolute("unlock with the passphrase (scrypt + open)", time.perf_counter() - start, 1.0)


if __name__ == "__main__":
    main()

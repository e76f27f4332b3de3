"""Counters every write needs: the journal head, the clock and the device sequence.

They are read once and then kept in memory: only one process may open a profile
(the profile lock) and writes are serialised by the store's lock, so the memory
copy is the truth between writes.  A rolled-back transaction discards it and the
next write reads it again from the database.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.store import hlc
from app.store.connection import Connection
from app.store.journal import GENESIS


@dataclass
class WriterState:
    journal_seq: int
    journal_hash: str
    hlc_wall: int
    hlc_counter: int
    device_seq: int

    @classmethod
    def load(cls, conn: Connection) -> WriterState:
        head = conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
        clock = conn.execute("SELECT value FROM meta WHERE key = 'clock'").fetchone()
        saved = json.loads(clock[0]) if clock else {}
        return cls(
            journal_seq=int(head[0]) if head else 0,
            journal_hash=str(head[1]) if head else GENESIS,
            hlc_wall=int(saved.get("wall", 0)),
            hlc_counter=int(saved.get("counter", 0)),
            device_seq=int(saved.get("device_seq", 0)),
        )

    def save_clock(self, conn: Connection) -> None:
        value = json.dumps({"wall": self.hlc_wall, "counter": self.hlc_counter, "device_seq": self.device_seq})
        conn.execute("INSERT INTO meta (key, value) VALUES ('clock', ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (value,))

    def tick(self, device: str, physical: int | None = None) -> hlc.Timestamp:
        self.hlc_wall, self.hlc_counter = hlc.send(self.hlc_wall, self.hlc_counter,
                                                   hlc.now_ms() if physical is None else physical)
        return hlc.Timestamp(self.hlc_wall, self.hlc_counter, device)

    def observe(self, remote: str, physical: int | None = None) -> None:
        self.hlc_wall, self.hlc_counter = hlc.receive(self.hlc_wall, self.hlc_counter, hlc.Timestamp.parse(remote),
                                                      hlc.now_ms() if physical is None else physical)

    def next_device_seq(self) -> int:
        self.device_seq += 1
        return self.device_seq

"""The platform's own hybrid logical clock: advances with server time, never trusts a client's wall."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from central.db.tables import server_state
from sync.protocol import ServerClock, format_hlc, parse_hlc

SERVER_DEVICE = "central"
# A client timestamp further ahead than this is not folded into the server clock, so one device
# with a wrong clock cannot drag the platform's timestamps into the future.
MAX_AHEAD_MS = 5 * 60 * 1000
MAX_COUNTER = 99_999


class ServerHlc:
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._wall = 0
        self._counter = 0

    def load(self, conn: Connection) -> None:
        value = conn.execute(sa.select(server_state.c.value).where(server_state.c.key == "hlc")).scalar()
        if value:
            wall, counter = str(value).split("-")
            with self._lock:
                self._wall, self._counter = max((self._wall, self._counter), (int(wall), int(counter)))

    def save(self, conn: Connection) -> None:
        with self._lock:
            text = f"{self._wall}-{self._counter}"
        updated = conn.execute(server_state.update().where(server_state.c.key == "hlc").values(value=text))
        if updated.rowcount == 0:
            conn.execute(server_state.insert().values(key="hlc", value=text))

    def _physical(self) -> int:
        return int(self._now() * 1000)

    def tick(self) -> str:
        with self._lock:
            physical = self._physical()
            if physical > self._wall:
                self._wall, self._counter = physical, 0
            else:
                self._counter += 1
            if self._counter > MAX_COUNTER:
                # The text format has five counter digits: borrow the next millisecond instead.
                self._wall, self._counter = self._wall + 1, 0
            return format_hlc(self._wall, self._counter, SERVER_DEVICE)

    def observe(self, remote: str) -> None:
        wall, counter, _device = parse_hlc(remote)
        with self._lock:
            physical = self._physical()
            if wall > physical + MAX_AHEAD_MS:
                return
            if (wall, counter) > (self._wall, self._counter):
                self._wall, self._counter = wall, counter

    def admit(self, remote: str) -> str:
        """The timestamp a mutation is merged with: its own, unless its device's clock runs ahead.

        A device whose clock is more than :data:`MAX_AHEAD_MS` fast would otherwise win every
        last-writer-wins merge for as long as its clock stays wrong; such a stamp is pulled back to the
        platform's time of receipt (keeping the device id), so the skew costs it the tie-break and
        nothing else.  The client warns its user from the server time in every response.
        """
        wall, _counter, device = parse_hlc(remote)
        if wall <= self._physical() + MAX_AHEAD_MS:
            self.observe(remote)
            return remote
        now_wall, now_counter, _ = parse_hlc(self.tick())
        return format_hlc(now_wall, now_counter, device)

    def stamp(self) -> ServerClock:
        """Server time and a fresh HLC for a response."""
        return ServerClock(server_time=datetime.fromtimestamp(self._now(), UTC), server_hlc=self.tick())

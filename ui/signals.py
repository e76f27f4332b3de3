"""Emitting Qt signals from Python without the PySide6 6.12.0 reference leak.

PySide6 6.12.0 on CPython 3.11 returns ``True`` from ``SignalInstance.emit`` without
taking a reference to it, so every emit from Python drops one reference to ``True``;
after enough emits the interpreter aborts ("bool_dealloc: deallocating True").  Signals
emitted by Qt itself are not affected.  Every Python-side emit in ``ui/`` goes through
:func:`emit`, which measures the leak once and gives the reference back when it exists,
so a fixed PySide6 needs no change here.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance


class _Probe(QObject):
    ping = Signal()


def _emit_drops_true() -> bool:
    probe = _Probe()
    rounds = 16
    before = sys.getrefcount(True)
    for _ in range(rounds):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(0, lost)):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return lost >= rounds


LEAKS_TRUE = _emit_drops_true()


def emit(signal: SignalInstance, *args: Any) -> None:
    signal.emit(*args)
    if LEAKS_TRUE:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))

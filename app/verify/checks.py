"""Signature checks over plain records (dicts), shared by ``fieldaudit verify`` and the standalone verifier.

Each problem is a code with parameters; :mod:`app.verify.messages` says it in plain words.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from app.verify import suites

CLOCK_TOLERANCE = timedelta(minutes=5)
MAX_SKEW_MS = 5 * 60 * 1000
Record = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    warning: bool = False


def when(value: Any) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed


def unpack(record: Record) -> dict[str, Any] | None:
    try:
        value = json.loads(str(record.get("signature", "")))
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("v") == 1 else None


def _who(record: Record) -> dict[str, Any]:
    return {"signature": record.get("id"), "signer": record.get("signer"), "time": record.get("signed_at")}


class _Checker:
    def __init__(self, signatures: list[Record], findings: dict[str, Record], platform_keys: set[str] | None,
                 check_files: bool, key_devices: dict[str, str]) -> None:
        self.signatures = {str(s.get("id")): s for s in signatures}
        self.findings = findings
        self.platform_keys = platform_keys
        self.check_files = check_files
        self.problems: list[Problem] = []
        self.key_devices: dict[str, set[str]] = defaultdict(set)
        for public_key, device in key_devices.items():
            self.key_devices[public_key].add(device)
        self.countersigned: dict[str, Record] = {}
        self.stamp_pending: set[str] = set()  # the authority failed and no later countersignature has a stamp
        self.stamped: set[str] = set()

    def add(self, code: str, record: Record, warning: bool = False, **params: Any) -> None:
        self.problems.append(Problem(code, {**_who(record), **params}, warning))

    def run(self) -> list[Problem]:
        ordered = sorted(self.signatures.values(), key=lambda s: str(s.get("signed_at")))
        for record in ordered:
            if record.get("method") == "platform_countersign":
                self._countersign(record)
        for record in ordered:
            method = record.get("method")
            if method == "device_key":
                self._device(record)
            elif method == "handwritten":
                self._handwritten(record)
        for public_key, devices in sorted(self.key_devices.items()):
            if len(devices) > 1:
                self.problems.append(Problem("key_copied", {"key": suites.key_id(public_key),
                                                            "devices": ", ".join(sorted(devices))}))
        self._coverage(ordered)
        return self.problems

    def _envelope(self, record: Record) -> tuple[dict[str, Any], dict[str, Any]] | None:
        packed = unpack(record)
        envelope = packed.get("env") if packed else None
        if not isinstance(envelope, dict) or envelope.get("suite") not in suites.SUITES:
            self.add("unreadable", record)
            return None
        assert packed is not None
        if suites.hash_value(envelope["suite"], envelope) != record.get("signed_hash"):
            self.add("envelope_mismatch", record)
            return None
        same_time = when(envelope.get("signed_at")) == when(record.get("signed_at"))
        if (envelope.get("audit_id"), envelope.get("signer"), envelope.get("role")) != (
                record.get("audit_id"), record.get("signer"), record.get("role")) or not same_time:
            self.add("record_mismatch", record)
            return None
        skew = envelope.get("clock_skew_ms")
        if isinstance(skew, int) and abs(skew) > MAX_SKEW_MS:
            self.add("clock_skewed", record, minutes=round(skew / 60000))
        return packed, envelope

    def _device(self, record: Record) -> None:
        found = self._envelope(record)
        if found is None:
            return
        packed, envelope = found
        suite, public_key = envelope["suite"], str(record.get("public_key", ""))
        if (envelope.get("public_key") != public_key or record.get("algorithm") != suites.ALGORITHMS[suite]
                or envelope.get("key_id") != _safe_key_id(public_key)):
            self.add("record_mismatch", record)
            return
        if not suites.verify(suite, public_key, str(record["signed_hash"]), str(packed.get("sig", ""))):
            self.add("bad_signature", record)
            return
        self.key_devices[public_key].add(str(envelope.get("device_id")))
        for ref in envelope.get("handwritten") or []:
            drawn = self.signatures.get(str(ref.get("id")))
            if drawn is None or drawn.get("signed_hash") != ref.get("signed_hash"):
                self.add("handwritten_missing", record, handwritten=ref.get("id"))
        token = self.countersigned.get(str(record.get("id")))
        if token is None:
            self.add("not_countersigned", record, warning=True)
        elif record.get("id") in self.stamp_pending - self.stamped:
            self.add("timestamp_pending", record, warning=True)
        else:
            self._against_platform(record, envelope, token)
        report = envelope.get("report")
        if self.check_files and isinstance(report, dict):
            path = Path(str(report.get("path", "")))
            if path.is_file() and suites.digest_hex(suite, path.read_bytes()) != report.get("digest"):
                self.add("report_changed", record, path=str(path))

    def _against_platform(self, record: Record, envelope: dict[str, Any], token: Record) -> None:
        if token.get("public_key") != record.get("public_key") or token.get("signed_hash") != record.get(
                "signed_hash"):
            self.add("countersign_orphan", record, target=record.get("id"))
            return
        self.key_devices[str(record.get("public_key"))].add(str(token.get("device_id")))
        signed, stamped = when(envelope.get("signed_at")), when(token.get("time"))
        if signed and stamped and signed > stamped + CLOCK_TOLERANCE:
            self.add("clock_ahead", record, platform_time=token.get("time"))

    def _handwritten(self, record: Record) -> None:
        found = self._envelope(record)
        if found is None:
            return
        packed, envelope = found
        strokes = str(packed.get("strokes", ""))
        if suites.digest_hex(envelope["suite"], strokes.encode("ascii", "replace")) != envelope.get("strokes_hash"):
            self.add("strokes_changed", record)
        bound = any(ref.get("id") == record.get("id") for other in self.signatures.values()
                    for ref in ((unpack(other) or {}).get("env") or {}).get("handwritten") or [])
        if not bound:
            self.add("handwritten_unbound", record, warning=True)

    def _countersign(self, record: Record) -> None:
        packed = unpack(record) or {}
        token = packed.get("token")
        if not isinstance(token, dict):
            self.add("unreadable", record)
            return
        digest = hashlib.sha256(suites.canonical_json(token)).hexdigest()
        public_key = str(record.get("public_key", ""))
        if digest != record.get("signed_hash") or not suites.verify(suites.INTERNATIONAL, public_key, digest,
                                                                     str(packed.get("sig", ""))):
            self.add("countersign_invalid", record)
            return
        if self.platform_keys is not None and public_key not in self.platform_keys:
            self.add("platform_key_unknown", record, key=_safe_key_id(public_key))
            return
        target = self.signatures.get(str(token.get("signature_id")))
        if target is None or target.get("signed_hash") != token.get("signed_hash"):
            self.add("countersign_orphan", record, target=token.get("signature_id"))
            return
        self.countersigned[str(token.get("signature_id"))] = token
        if token.get("tsa_sha256") is not None and packed.get("tsa") is None:
            # The platform countersigned a time-stamp that is no longer kept with it.
            self.add("timestamp_invalid", record, detail="removed")
        elif packed.get("tsa") is not None:
            self._timestamp(record, packed, token, target)
        elif packed.get("tsa_status") == "failed":
            self.stamp_pending.add(str(token.get("signature_id")))

    def _timestamp(self, record: Record, packed: dict[str, Any], token: Record, target: Record) -> None:
        """The RFC 3161 token kept with a countersignature dates exactly the target's signed content."""
        try:  # asn1crypto is needed only for packages that carry RFC 3161 time-stamps
            from app.verify import timestamp
        except ImportError:
            self.add("timestamp_invalid", record, detail="pip install asn1crypto to check it")
            return
        envelope = (unpack(target) or {}).get("env")
        platform_time = when(token.get("time"))
        try:
            if not isinstance(envelope, dict) or platform_time is None or platform_time.tzinfo is None:
                raise timestamp.TimestampInvalid("signature unreadable")
            der = timestamp.decode(str(packed.get("tsa")))
            if token.get("tsa_sha256") not in (None, hashlib.sha256(der).hexdigest()):
                raise timestamp.TimestampInvalid("not the token the platform countersigned")
            stamp = timestamp.check_token(der, timestamp.content_imprint(envelope))
        except timestamp.TimestampInvalid as error:
            self.add("timestamp_invalid", record, detail=str(error))
            return
        if stamp.nonce is None or abs(stamp.time - platform_time) > CLOCK_TOLERANCE:
            self.add("timestamp_time", record, tsa_time=stamp.time.isoformat(), platform_time=token.get("time"))
            return
        self.stamped.add(str(token.get("signature_id")))

    def _coverage(self, ordered: list[Record]) -> None:
        latest: dict[tuple[str, str], tuple[Record, dict[str, Any]]] = {}
        for record in ordered:
            envelope = (unpack(record) or {}).get("env")
            if record.get("method") in ("device_key", "handwritten") and isinstance(envelope, dict):
                for finding_id in envelope.get("findings") or {}:
                    latest[(str(finding_id), str(record.get("method")))] = (record, envelope)
        for (finding_id, _method), (record, envelope) in sorted(latest.items()):
            current = self.findings.get(finding_id)
            if current is None:
                self.add("finding_missing", record, finding=finding_id)
                continue
            fields = envelope.get("finding_fields") or list(suites.SIGNED_FINDING_FIELDS)
            if suites.finding_hash(envelope["suite"], current, fields) != envelope["findings"][finding_id]:
                self.add("finding_changed", record, finding=finding_id)


def _safe_key_id(public_key: str) -> str:
    try:
        return suites.key_id(public_key)
    except ValueError:
        return "?"


def check_signatures(signatures: list[Record], findings: dict[str, Record], *, platform_keys: set[str] | None = None,
                     check_files: bool = True, key_devices: dict[str, str] | None = None) -> list[Problem]:
    """Every problem found (errors and warnings), in a stable order.

    ``key_devices`` maps a public key to the device it was registered for (a key seen with any other
    device was copied there).
    """
    return _Checker(signatures, findings, platform_keys, check_files, key_devices or {}).run()

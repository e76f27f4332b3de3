"""Checking a trail package: its parts, its manifest, the journal slice and every signature.

Order of trust: the manifest's own hash and its signature; each part against the manifest; each
journal entry against its hash and its predecessor; each finding against what the journal recorded;
then every signature (:mod:`app.verify.checks`), with the keys the package lists.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.verify import suites
from app.verify.checks import Problem, check_signatures

TRAIL_FORMAT = "fieldaudit/trail/1"
MANIFEST = "manifest.json"
JOURNAL_COLUMNS = ("seq", "entry_id", "at", "actor", "device_id", "entity", "entity_id", "audit_id", "op",
                   "origin", "before", "after", "prev_hash", "hash")
_HASHED = JOURNAL_COLUMNS[:-2]
_FULL_RECORD_OPS = frozenset({"create", "sign", "pull", "snapshot", "push-result"})


def package_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """The one byte layout of a package: stored (not deflated), fixed dates and attributes, in order.

    Deterministic on purpose: the verifier rebuilds the container from its members and compares, so a
    changed byte anywhere in the file (headers, directory, padding) is caught, not only in the content.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


def manifest_digest(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k not in ("manifest_hash", "manifest_signature")}
    return suites.hash_value(str(manifest.get("suite")), body)


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    audit_id: str = ""
    journal_entries: int = 0
    signatures: int = 0
    countersigned: int = 0

    @property
    def ok(self) -> bool:
        return not any(not p.warning for p in self.problems)


def _load_json(archive: zipfile.ZipFile, name: str) -> Any:
    return json.loads(archive.read(name).decode("utf-8"))


def verify_package(path: Path) -> Outcome:
    outcome = Outcome()
    try:
        raw = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            _verify_open(archive, outcome)
            if outcome.ok:
                rebuilt = package_bytes([(info.filename, archive.read(info.filename)) for info in archive.infolist()])
                if rebuilt != raw:
                    outcome.problems.append(Problem("zip_damaged", {"detail": "container bytes"}))
    except Exception as error:  # a damaged zip makes zipfile raise almost anything (RuntimeError, NotImplemented...)
        outcome.problems.append(Problem("zip_damaged", {"detail": type(error).__name__ + ": " + str(error)[:120]}))
    return outcome


def _verify_open(archive: zipfile.ZipFile, outcome: Outcome) -> None:
    manifest = _load_json(archive, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != TRAIL_FORMAT:
        outcome.problems.append(Problem("zip_damaged", {"detail": "manifest format"}))
        return
    suite = str(manifest.get("suite"))
    outcome.audit_id = str(manifest.get("audit_id", ""))
    if suite not in suites.SUITES or manifest_digest(manifest) != manifest.get("manifest_hash"):
        outcome.problems.append(Problem("manifest_changed"))
        return
    signer = manifest.get("signer") or {}
    if not suites.verify(suite, str(signer.get("public_key", "")), str(manifest["manifest_hash"]),
                         str(manifest.get("manifest_signature", ""))):
        outcome.problems.append(Problem("manifest_signature", {"device": manifest.get("device_id")}))
        return
    parts: dict[str, Any] = manifest.get("parts") or {}
    contents: dict[str, bytes] = {}
    for name in sorted(set(archive.namelist()) - set(parts) - {MANIFEST}):
        outcome.problems.append(Problem("part_extra", {"part": name}))
    for name, expected in sorted(parts.items()):
        try:
            data = archive.read(name)
        except KeyError:
            outcome.problems.append(Problem("part_missing", {"part": name}))
            continue
        except Exception:  # damaged member: bad CRC, bad flags, truncated data
            outcome.problems.append(Problem("part_changed", {"part": name}))
            continue
        if suites.digest_hex(suite, data) != expected.get("digest") or len(data) != expected.get("size"):
            outcome.problems.append(Problem("part_changed", {"part": name}))
            continue
        contents[name] = data
    if outcome.problems:
        return  # nothing inside a changed package can be trusted enough to judge further
    entries = [json.loads(line) for line in contents["journal.jsonl"].decode("utf-8").splitlines() if line]
    outcome.journal_entries = len(entries)
    _check_journal(entries, outcome)
    findings = {str(f["id"]): f for f in json.loads(contents["records/findings.json"])}
    _check_replay(entries, findings, outcome)
    listed = {str(e.get("sha256")) for e in json.loads(contents["records/evidence.json"])}
    for name, data in sorted(contents.items()):
        digest = name.removeprefix("checkins/").removesuffix(".json")
        if name.startswith("checkins/") and (hashlib.sha256(data).hexdigest() != digest or digest not in listed):
            outcome.problems.append(Problem("checkin_unlisted", {"part": name}))
    signatures = json.loads(contents["records/signatures.json"])
    keys = json.loads(contents["keys.json"])
    outcome.signatures = len(signatures)
    outcome.countersigned = sum(1 for s in signatures if s.get("method") == "platform_countersign")
    registered = {str(k["public_key"]): str(k["device_id"]) for k in keys.get("devices", [])}
    platform = set(keys.get("platform") or []) or None
    outcome.problems += check_signatures(signatures, findings, platform_keys=platform, check_files=False,
                                         key_devices=registered)
    attested = {str(token.get("public_key")) for token in _tokens(signatures)}
    if str(signer.get("public_key")) not in attested:
        # Anyone can sign a manifest; only a key the platform has seen ties the export to a known device.
        outcome.problems.append(Problem("manifest_key_unattested", {"device": manifest.get("device_id")},
                                        warning=True))


def _tokens(signatures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for record in signatures:
        if record.get("method") != "platform_countersign":
            continue
        try:
            token = json.loads(str(record.get("signature")))["token"]
        except (ValueError, KeyError, TypeError):
            continue
        if isinstance(token, dict):
            found.append(token)
    return found


def _check_journal(entries: list[dict[str, Any]], outcome: Outcome) -> None:
    previous: dict[str, Any] | None = None
    for entry in entries:
        fields = {name: entry.get(name) for name in _HASHED}
        digest = hashlib.sha256(str(entry.get("prev_hash")).encode("ascii") + suites.canonical_json(fields))
        if digest.hexdigest() != entry.get("hash"):
            outcome.problems.append(Problem("journal_changed", {"seq": entry.get("seq")}))
            return
        # The slice skips other audits' entries; where seq is consecutive the link must hold.
        if previous is not None and (int(entry["seq"]) <= int(previous["seq"]) or (
                int(entry["seq"]) == int(previous["seq"]) + 1 and entry.get("prev_hash") != previous.get("hash"))):
            outcome.problems.append(Problem("journal_link", {"seq": entry.get("seq"), "previous": previous["seq"]}))
            return
        previous = entry


def _check_replay(entries: list[dict[str, Any]], findings: dict[str, Any], outcome: Outcome) -> None:
    """Each finding must be exactly what its journal entries add up to."""
    state: dict[str, dict[str, Any] | None] = {}
    for entry in entries:
        if entry.get("entity") != "finding":
            continue
        ident = str(entry.get("entity_id"))
        after = json.loads(entry["after"]) if entry.get("after") else None
        op = str(entry.get("op"))
        if op in _FULL_RECORD_OPS:
            state[ident] = after
        elif op in ("patch", "resolve") and state.get(ident) is not None:
            state[ident] = {**(state[ident] or {}), **(after or {})}
        elif op in ("delete", "snapshot-drop"):
            state[ident] = None
    for ident, current in sorted(findings.items()):
        if state.get(ident) != current:
            outcome.problems.append(Problem("not_journalled", {"finding": ident}))

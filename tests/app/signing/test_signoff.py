"""Sign-off in both suites; every later change to what was signed is detected and named."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.domain import SignatureMethod
from app.findings import service
from app.services.verification import verify_profile
from app.signing import keys
from app.signing.errors import BadStrokes, ClockSkewed, IdentityMissing, KeyFromAnotherDevice, NotAnswered
from app.signing.signoff import Representative, mask_id, sign_findings, sign_off, sign_report
from app.signing.status import finding_states, signature_problems
from app.signing.strokes import decode, parse_strokes, to_svg
from app.store.canonical import canonical_json
from app.verify import suites
from tests.app.signing.helpers import REP, audit_with_findings, drawn_signature
from tests.factories import make_finding

SUITES = ["international", "national"]


def _signature_check(session: Any) -> Any:
    return next(r for r in verify_profile(session) if r.name == "signatures")


@pytest.mark.parametrize("suite", SUITES)
def test_sign_off_is_valid_and_bound_together(session: Any, suite: str) -> None:
    store = session.store
    audit_id, finding_ids = audit_with_findings(store)
    drawn, auditor = sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id,
                              representative=REP, strokes=drawn_signature(), suite=suite)
    assert drawn.method is SignatureMethod.HANDWRITTEN and auditor.method is SignatureMethod.DEVICE_KEY
    assert auditor.algorithm == suites.ALGORITHMS[suite] and drawn.signer == "陈经理"
    assert "110***********1234" in drawn.signature and "110101199003071234" not in drawn.signature
    assert all(result.ok for result in verify_profile(session)), verify_profile(session)
    # Only the "not countersigned yet" warning: the device has not synced.
    assert [(p.code, p.warning) for p in signature_problems(store)] == [("not_countersigned", True)]
    states = finding_states(store, audit_id)
    assert all(state.signed and state.covers_current for state in states.values())
    # The stored strokes are exactly what was drawn (well within the record's size limit).
    packed = json.loads(drawn.signature)
    assert decode(packed["strokes"]).strokes == drawn_signature().strokes
    assert to_svg(decode(packed["strokes"])).startswith("<svg")
    assert set(packed["env"]["findings"]) == set(finding_ids)


@pytest.mark.parametrize("suite", SUITES)
def test_finding_edited_after_signature_is_named(session: Any, suite: str) -> None:
    store = session.store
    audit_id, finding_ids = audit_with_findings(store)
    sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
             strokes=drawn_signature(), suite=suite)
    service.move(store, "u-lead", "lead", finding_ids[0], "reopen", {"verification_note": "补充证据"})
    service.edit(store, "u-lead", "lead", finding_ids[0], {"statement": "第1项：三台量具超期。"})
    check = _signature_check(session)
    assert not check.ok and finding_ids[0] in check.message() and "不再覆盖" in check.message()
    states = finding_states(store, audit_id)
    assert not states[finding_ids[0]].covers_current and states[finding_ids[1]].covers_current
    # Lifecycle progress on a signed finding is not a change of what was signed.
    service.move(store, "rep", "auditee", finding_ids[1], "submit_action",
                 {"root_cause": "a", "correction": "b", "corrective_action": "c", "action_owner": "d",
                  "action_due": "2027-01-10"})
    assert finding_states(store, audit_id)[finding_ids[1]].covers_current
    # Nothing is re-signed silently: a new explicit sign-off covers the new content again.
    service.move(store, "rep", "auditee", finding_ids[0], "acknowledge")
    sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
             strokes=drawn_signature(), suite=suite)
    assert _signature_check(session).ok


@pytest.mark.parametrize("suite", SUITES)
def test_records_altered_outside_the_write_path(session: Any, suite: str) -> None:
    store = session.store
    audit_id, finding_ids = audit_with_findings(store)
    drawn, auditor = sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id,
                              representative=REP, strokes=drawn_signature(), suite=suite)
    conn = store._writer_connection()

    def rewrite(entity: str, ident: str, change: dict[str, Any]) -> dict[str, Any]:
        row = conn.execute("SELECT data FROM records WHERE entity = ? AND id = ?", (entity, ident)).fetchone()
        original: dict[str, Any] = json.loads(row[0])
        conn.execute("UPDATE records SET data = ? WHERE entity = ? AND id = ?",
                     (json.dumps({**original, **change}, ensure_ascii=False), entity, ident))
        return original

    cases = [
        ("finding", finding_ids[1], {"statement": "被悄悄改写"}, "finding_changed"),
        ("signature", auditor.id, {"signer": "someone-else"}, "record_mismatch"),
        ("signature", auditor.id, {"signed_at": "2026-01-01T00:00:00Z"}, "record_mismatch"),
        ("signature", auditor.id,
         {"signature": auditor.signature.replace('"clock_skew_ms":null', '"clock_skew_ms":0', 1)}, "envelope_mismatch"),
        ("signature", drawn.id, {"signature": drawn.signature.replace('"strokes":"', '"strokes":"A', 1)},
         "strokes_changed"),
    ]
    packed = json.loads(auditor.signature)
    packed["sig"] = ("1" if packed["sig"][0] != "1" else "2") + packed["sig"][1:]
    cases.append(("signature", auditor.id, {"signature": json.dumps(packed, ensure_ascii=False)}, "bad_signature"))
    for entity, ident, change, code in cases:
        original = rewrite(entity, ident, change)
        codes = {p.code for p in signature_problems(store) if not p.warning}
        assert code in codes, (change, codes)
        assert not _signature_check(session).ok
        rewrite(entity, ident, original)
        assert _signature_check(session).ok


def test_refusals(session: Any) -> None:
    store = session.store
    audit_id, finding_ids = audit_with_findings(store)
    raised = service.raise_finding(store, "u-lead", "lead", make_finding(audit_id))
    with pytest.raises(NotAnswered):
        sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
                 strokes=drawn_signature(), suite="international")
    with pytest.raises(IdentityMissing):
        sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id,
                 representative=Representative(name=" "), strokes=drawn_signature(), suite="international",
                 finding_ids=finding_ids)
    with pytest.raises(BadStrokes):
        parse_strokes({"width": 600, "height": 200, "started_at": "2026-12-03T09:30:00Z",
                       "strokes": [[(10, 10, 0)] * 20]})  # no timing: pasted, not drawn
    with pytest.raises(BadStrokes):
        parse_strokes({"width": 600, "height": 200, "started_at": "2026-12-03T09:30:00Z",
                       "strokes": [[(10, 10, 0), (11, 11, 500)]]})  # a dot is not a signature
    with store.unit_of_work("sync", origin="sync") as uow:
        uow.connection.execute("INSERT INTO meta (key, value) VALUES ('sync.clock_skew_ms', '-900000')"
                               " ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    with pytest.raises(ClockSkewed) as caught:
        sign_findings(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id,
                      suite="national", finding_ids=finding_ids)
    assert "15" in str(caught.value)
    assert store.signatures.count() == 0 and raised.id


def test_key_copied_from_another_device(session: Any, tmp_path: Any) -> None:
    from app.services.session import create_profile
    from tests.conftest import FAST_COST, PASSPHRASE

    store = session.store
    key = keys.device_key(store, session.data_key, "international")
    assert keys.device_key(store, session.data_key, "international") == key  # one key per device and suite
    row = store.query("SELECT key_id, suite, device_id, public_key, wrapped_private, created_at FROM signing_keys")[0]
    with create_profile(tmp_path / "other", PASSPHRASE, cost=FAST_COST) as other:
        with other.store.unit_of_work("x") as uow:
            uow.connection.execute("INSERT INTO signing_keys (key_id, suite, device_id, public_key,"
                                   " wrapped_private, created_at) VALUES (?,?,?,?,?,?)", row)
        copied = keys.find_key(other.store, key.key_id)
        assert copied is not None
        with pytest.raises(KeyFromAnotherDevice):
            keys.sign_digest(other.store, other.data_key, copied, "00" * 32)
        check = _signature_check(other)
        assert not check.ok and "复制" in check.message()
        # Relabelled as this device's key, it still cannot be unwrapped here.
        with other.store.unit_of_work("x") as uow:
            uow.connection.execute("UPDATE signing_keys SET device_id = ?", (other.store.device_id,))
        relabelled = keys.find_key(other.store, key.key_id)
        assert relabelled is not None
        from app.signing.errors import KeyUnreadable

        with pytest.raises(KeyUnreadable):
            keys.sign_digest(other.store, other.data_key, relabelled, "00" * 32)


def test_report_file_signature(session: Any, tmp_path: Any) -> None:
    store = session.store
    audit_id, _ids = audit_with_findings(store)
    report = tmp_path / "report.pdf"
    report.write_bytes(b"%PDF-1.7 signed report")
    signature = sign_report(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, path=report,
                            suite="national")
    assert signature.subject == "report" and _signature_check(session).ok
    report.write_bytes(b"%PDF-1.7 signed report, edited")
    check = _signature_check(session)
    assert not check.ok and "report.pdf" in check.message()
    report.unlink()  # a file that is not on this computer is not judged
    assert _signature_check(session).ok


def test_helpers() -> None:
    assert mask_id("110101199003071234") == "110***********1234"
    assert mask_id("E1234567") == "E***4567" and mask_id("123") == "***"
    from app.verify.suites import canonical_json as standalone

    value = {"b": [1, "二"], "a": {"z": None, "é": 1.5}}
    assert standalone(value) == canonical_json(value)


def test_app_and_standalone_verifier_say_the_same() -> None:
    from app.signing.messages import SIGNATURE_MESSAGES
    from app.verify.messages import MESSAGES, say

    for code, english in SIGNATURE_MESSAGES.items():
        assert MESSAGES[code][0] == english
    params = {"signature": "s", "signer": "x", "time": "t", "finding": "f", "handwritten": "h", "target": "g",
              "key": "k", "devices": "d", "platform_time": "p", "minutes": 6, "path": "p", "part": "p",
              "detail": "d", "device": "v", "seq": 1, "previous": 0, "tsa_time": "q"}
    for code, (english, chinese) in MESSAGES.items():
        assert "{" not in say(code, params, "en") and "{" not in say(code, params, "zh"), code
        assert english != chinese


def test_large_audits_are_signed_in_groups(session: Any) -> None:
    from app.signing.errors import TooManyFindings

    store = session.store
    audit_id, ids = audit_with_findings(store, count=45)
    with pytest.raises(TooManyFindings) as caught:
        sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
                 strokes=drawn_signature(180), suite="national")
    assert "45" in str(caught.value) and store.signatures.count() == 0
    for start in range(0, len(ids), 15):
        sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
                 strokes=drawn_signature(180), suite="national", finding_ids=ids[start:start + 15])
    assert store.signatures.count() == 6 and _signature_check(session).ok
    assert all(state.covers_current for state in finding_states(store, audit_id).values())


def test_report_data(session: Any) -> None:
    from app.signing.report_data import signature_blocks, verification_manifest

    store = session.store
    audit_id, ids = audit_with_findings(store)
    sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
             strokes=drawn_signature(), suite="international")
    blocks = signature_blocks(store, audit_id)
    assert sorted(b.method for b in blocks) == ["device_key", "handwritten"]
    drawn = next(b for b in blocks if b.method == "handwritten")
    assert drawn.svg is not None and drawn.svg.startswith("<svg") and drawn.representative is not None
    assert drawn.representative["id_number"] == "110***********1234"
    assert all(b.valid and b.covers_current and b.countersigned_at is None for b in blocks)
    service.move(store, "u-lead", "lead", ids[0], "reopen", {"verification_note": "x"})
    service.edit(store, "u-lead", "lead", ids[0], {"statement": "改"})
    assert all(b.valid and not b.covers_current for b in signature_blocks(store, audit_id))
    manifest = verification_manifest(store, audit_id, report_digest="ab" * 32)
    assert len(manifest["signatures"]) == 2 and manifest["device_keys"][0]["suite"] == "international"

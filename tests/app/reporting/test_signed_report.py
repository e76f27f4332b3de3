"""A report before sign-off is marked as a draft; after sign-off it embeds the signatures and their proof.

Real profile, real signing keys (app.signing), real writers; the manifest is read back with poppler's
pdfdetach (PDF) and from the OFD's signature part, and compared with the store's signature records.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from app.domain import SignatureMethod
from app.findings import service as findings
from app.reporting.ofd import NS
from app.reporting.report_verification import MANIFEST_NAME
from app.services import documents
from app.signing.signoff import sign_off
from tests.app.documents.conftest import CONCLUSIONS, Demo, populate
from tests.app.reporting.test_marks_and_attachments import _poppler
from tests.app.signing.helpers import REP, drawn_signature

N = {"ofd": NS}
LEAD = "u-wangfang"


def pages(path: Path) -> list[str]:
    text = subprocess.run([_poppler("pdftotext"), str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return ["".join(page.split()) for page in text.split("\f") if page.strip()]


def pdf_manifest(path: Path, tmp_path: Path) -> dict[str, Any]:
    binary = _poppler("pdfdetach")
    listing = subprocess.run([binary, "-list", str(path)], check=True, capture_output=True, text=True).stdout
    [number] = [line.split(":")[0] for line in listing.splitlines() if line.endswith(f": {MANIFEST_NAME}")]
    saved = tmp_path / f"{path.stem}-manifest.json"
    subprocess.run([binary, "-save", number, "-o", str(saved), str(path)], check=True, capture_output=True)
    return dict(json.loads(saved.read_text("utf-8")))


def ofd_signature_part(path: Path) -> tuple[list[etree._Element], dict[str, Any]]:
    with zipfile.ZipFile(path) as package:
        location = etree.fromstring(package.read("OFD.xml")).findtext("ofd:DocBody/ofd:Signatures", namespaces=N)
        assert location
        listed = etree.fromstring(package.read(location)).findall("ofd:Signature", N)
        parts = [etree.fromstring(package.read(f"Doc_0/Signs/{entry.get('BaseLoc')}")) for entry in listed]
        reference = parts[0].find("ofd:SignedInfo/ofd:References/ofd:Reference", N)
        assert reference is not None
        manifest = json.loads(package.read(str(reference.get("FileRef")).lstrip("/")))
    return parts, manifest


@pytest.fixture()
def signed_demo(session: Any) -> Demo:
    demo = populate(session, "qms")
    documents.save_conclusions(session.store, LEAD, demo.audit.id, CONCLUSIONS)
    return demo


def _sign(demo: Demo) -> None:
    store = demo.session.store
    for finding in demo.findings:
        findings.move(store, "rep", "auditee", finding.id, "acknowledge", {"auditee_comment": "已阅"})
    sign_off(store, demo.session.data_key, actor=LEAD, role="lead", audit_id=demo.audit.id, representative=REP,
             strokes=drawn_signature(), suite="international")


def test_before_sign_off_every_page_is_marked(signed_demo: Demo, tmp_path: Path) -> None:
    out = tmp_path / "unsigned.pdf"
    produced = documents.produce_report(signed_demo.session, signed_demo.audit.id, fmt="pdf", out=out)
    assert produced.summary()["signed_off"] is False and produced.summary()["draft"] is False
    text = pages(out)
    assert len(text) > 1 and all("草稿" in page for page in text)
    assert "草稿：受审核方代表尚未签字确认，不得发放" in text[0]
    [record] = documents.produced_documents(signed_demo.session.store, signed_demo.audit.id)
    assert record["inputs"]["signed_off"] is False and record["draft"] is False


def test_signed_report_carries_the_signatures_of_the_store(signed_demo: Demo, tmp_path: Path) -> None:
    _sign(signed_demo)
    session, audit_id = signed_demo.session, signed_demo.audit.id
    pdf, ofd = tmp_path / "signed.pdf", tmp_path / "signed.ofd"
    for fmt, out in (("pdf", pdf), ("ofd", ofd)):
        produced = documents.produce_report(session, audit_id, fmt=fmt, out=out, language="en")
        assert produced.signed_off and not produced.draft
    text = pages(pdf)
    assert not any("DRAFT" in page for page in text)
    whole = "".join(text)
    assert "Signatureverification" in whole and MANIFEST_NAME in whole and "陈经理" in whole

    store_records = sorted(session.store.signatures.list(audit_id), key=lambda s: s.signed_at)
    manifest = pdf_manifest(pdf, tmp_path)
    assert manifest["audit_id"] == audit_id
    assert manifest["signatures"] == [record.model_dump(mode="json") for record in store_records]
    by_id = {record.id: record for record in store_records}
    summary = {entry["id"]: entry for entry in manifest["summary"]}
    assert set(summary) == {r.id for r in store_records if r.method is not SignatureMethod.PLATFORM_COUNTERSIGN}
    for ident, entry in summary.items():
        record = by_id[ident]
        assert (entry["signer"], entry["role"], entry["signed_hash"]) == (record.signer, record.role,
                                                                          record.signed_hash)
        assert entry["signed_at"] == record.signed_at.isoformat() and entry["countersigned_at"] is None
        expected = hashlib.sha256(record.public_key.encode()).hexdigest() if record.public_key else ""
        assert entry["key_fingerprint"] == expected
        # The key the manifest lists for the device signature is the one that signed.
        if record.method is SignatureMethod.DEVICE_KEY:
            assert record.public_key in {key["public_key"] for key in manifest["device_keys"]}
            assert entry["valid"] is True and entry["covers_current"] is True
            assert entry["signed_hash"][:16] in whole or entry["signed_hash"] in whole
    # The fixture's hand-made record has no envelope: it is listed, and shown as not verifying.
    fake = next(e for e in summary.values() if e["signed_hash"] == "ab" * 32)
    assert fake["valid"] is False and "doesnotverify" in whole

    parts, ofd_manifest = ofd_signature_part(ofd)
    assert ofd_manifest == manifest
    assert len(parts) == len(summary)
    methods = [part.findtext("ofd:SignedInfo/ofd:SignatureMethod", namespaces=N) for part in parts]
    assert "ed25519" in methods


def test_a_finding_changed_after_sign_off_marks_the_report_again(signed_demo: Demo, tmp_path: Path) -> None:
    _sign(signed_demo)
    store, first = signed_demo.session.store, signed_demo.findings[0]
    findings.move(store, LEAD, "lead", first.id, "reopen", {"verification_note": "补充证据"})
    findings.edit(store, LEAD, "lead", first.id, {"statement": "三台量具超期使用。"})
    out = tmp_path / "changed.pdf"
    produced = documents.produce_report(signed_demo.session, signed_demo.audit.id, fmt="pdf", out=out)
    assert not produced.signed_off
    text = pages(out)
    assert all("草稿" in page for page in text)
    assert "已不覆盖当前的审核发现（签署后有改动）" in "".join(text)
    manifest = pdf_manifest(out, tmp_path)
    assert all(entry["covers_current"] is False for entry in manifest["summary"] if entry["valid"])

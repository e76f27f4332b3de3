"""The demo-like audits' reports in every format and both languages, read back by independent tools.

docx: LibreOffice converts it (own profile per run) and pdftotext reads the result; PDF:
pdftotext; OFD: the independent reader ofdkit.  Every file's SHA-256 is in the journal.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import docx
import pytest

from app.reporting.ofd import verify_content_hash
from app.services import documents
from app.services.verification import check_journal
from tests.app.documents.conftest import populate
from tests.app.reporting.conftest import pdf_text, soffice_to_pdf

# Short phrases (table cells wrap long ones); whitespace is removed before comparing.
WORDS = {
    ("qms", "zh_CN"): ["审核报告", "上海申联电缆有限公司", "华信认证中心有限公司", "第二阶段", "一般不符合",
                       "测量溯源", "部分监视和测量设备未按规定周期校准。", "推荐认证注册", "王芳", "签字确认",
                       "E1外径测量仪校准标签", "第1页，共"],
    ("qms", "en"): ["Audit report", "上海申联电缆有限公司", "Certification body", "Stage 2", "Minor nonconformity",
                    "Measurement traceability", "Recommend granting", "Sign-offs", "Page 1 of"],
    ("integrated", "zh_CN"): ["审核报告", "深圳市南山塑胶制品有限公司", "监督审核", "严重不符合", "合规义务", "观察项",
                              "推荐保持认证注册", "以往不符合项纠正措施的验证", "ISO14001:20156.1.3"],
    ("integrated", "en"): ["Audit report", "Surveillance", "Major nonconformity", "Compliance obligations",
                           "Observation", "Recommend maintaining", "ISO14001:20156.1.3"],
    ("ohs", "zh_CN"): ["审核报告", "苏州吴中建设工程有限公司", "再认证审核", "一般不符合", "应急准备和响应",
                       "推荐再认证注册", "吴中区人才公寓项目部", "李强"],
    ("ohs", "en"): ["Audit report", "Recertification", "Minor nonconformity", "Emergency preparedness",
                    "Recommend renewing", "李强"],
}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
@pytest.mark.parametrize("key", ["qms", "integrated", "ohs"])
def test_report_in_every_format_and_language(session: object, key: str, tmp_path: Path) -> None:
    demo = populate(session, key)  # type: ignore[arg-type]
    for language in ("zh_CN", "en"):
        words = [squeeze(w) for w in WORDS[(key, language)]]
        produced = {}
        for fmt in ("docx", "pdf", "ofd"):
            out = tmp_path / f"{key}-{language}.{fmt}"
            produced[fmt] = documents.produce_report(demo.session, demo.audit.id, fmt=fmt, out=out,
                                                     language=language, conclusions=demo.conclusions)
            assert produced[fmt].result.sha256 == hashlib.sha256(out.read_bytes()).hexdigest()
        pdf = squeeze(pdf_text(tmp_path / f"{key}-{language}.pdf"))
        assert [w for w in words if w not in pdf] == []
        ofdkit = pytest.importorskip("ofdkit")
        ofd_path = tmp_path / f"{key}-{language}.ofd"
        with ofdkit.open(str(ofd_path)) as opened:
            assert not opened.warnings
            text = squeeze(opened.text())
            assert opened.info.custom_data["audit_id"] == demo.audit.id
        assert [w for w in words if w not in text] == []
        recorded, recomputed = verify_content_hash(ofd_path.read_bytes())
        assert recorded == recomputed
        docx_path = tmp_path / f"{key}-{language}.docx"
        word = docx.Document(io.BytesIO(docx_path.read_bytes()))
        assert len(word.inline_shapes) == 2  # two thumbnails; the sensitive photo is not reproduced
        converted = squeeze(pdf_text(soffice_to_pdf(docx_path, tmp_path)))
        assert [w for w in words if w not in converted and not w.startswith(("第1页", "Page1"))] == []
    records = documents.produced_documents(demo.session.store, demo.audit.id)
    assert [(r["format"], r["language"]) for r in records] == [
        (fmt, language) for language in ("zh_CN", "en") for fmt in ("docx", "pdf", "ofd")]
    for record in records:
        path = tmp_path / record["file_name"]
        assert record["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert record["size"] == path.stat().st_size and record["kind"] == "report" and not record["draft"]
        assert record["actor"] == "local" and record["at"]
    # Recording the outputs keeps the journal chain intact.
    journal = check_journal(demo.session)
    assert journal.ok and journal.checked > len(records), journal

"""Shared documents for the writer tests: one model, rendered by every writer."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage

from app.reporting.model import (
    Document,
    Image,
    ImageRow,
    KeyValues,
    PageBreak,
    Paragraph,
    Section,
    SignatureBlock,
    Signer,
    Table,
)


def picture(color: tuple[int, int, int], size: tuple[int, int] = (64, 48), fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


CONTEXT: dict[str, Any] = {
    "cb": {"name": "华信认证中心"},
    "client": {"name": "福州某机械有限公司", "address": "福建省福州市", "representative": "王经理"},
    "audit": {"type": "第二阶段审核", "dates": "2026-03-02 至 2026-03-04",
              "standards": ["ISO 9001:2015", "ISO 14001:2015"]},
    "team": [{"name": "张三", "role": "审核组长", "codes": "17.12"}, {"name": "李四", "role": "审核员", "codes": ""}],
}


def sample_document(language: str = "zh_CN", findings: int = 3, thumbnails: int = 2) -> Document:
    rows = [[f"{n + 1}", "ISO 9001:2015 8.5.1", "轻微不符合", f"现场抽查第{n + 1}号作业指导书未受控。"]
            for n in range(findings)]
    images = [Image.from_bytes(picture((20 * n % 255, 90, 160)), width_mm=40, caption=f"证据照片 {n + 1}")
              for n in range(thumbnails)]
    return Document(
        title="管理体系审核报告" if language == "zh_CN" else "Management system audit report",
        subtitle="福州某机械有限公司",
        language=language,
        author="张三",
        metadata={"audit_id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"},
        context=CONTEXT,
        blocks=[
            Section("一、审核概况", [
                KeyValues([("受审核组织", "福州某机械有限公司"), ("审核准则", "ISO 9001:2015; ISO 14001:2015")],
                          title="基本信息"),
                Paragraph("本次审核依据 ISO 9001:2015 标准实施，审核组按计划完成了全部审核活动。Audit in English too."),
            ]),
            Section("二、审核发现", [
                Table(["序号", "条款", "等级", "描述"], rows, widths=[0.08, 0.22, 0.15, 0.55], caption="不符合项"),
                ImageRow(images, per_row=3),
            ]),
            PageBreak(),
            Section("三、结论", [
                Paragraph("审核组推荐通过认证。", bold=True),
                SignatureBlock([Signer("审核组长", "张三", "2026-03-04", "已签署"),
                                Signer("受审核方代表", "王经理", "2026-03-04")], title="签字"),
            ]),
        ],
    )


@pytest.fixture
def document() -> Document:
    return sample_document()


def soffice_to_pdf(source: Path, tmp_path: Path) -> Path:
    """Convert with LibreOffice using a profile of its own (concurrent runs otherwise produce nothing)."""
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        pytest.skip("LibreOffice (libreoffice-writer-nogui) is not installed")
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    out = tmp_path / "lo-out"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run([binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180, env=env)
    result = out / (source.stem + ".pdf")
    assert result.is_file(), "LibreOffice produced nothing"
    return result


def pdf_text(path: Path) -> str:
    binary = shutil.which("pdftotext")
    if binary is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    return subprocess.run([binary, "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout

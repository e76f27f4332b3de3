"""Report writers on a large report: 200 findings and 300 evidence thumbnails.

Each writer (docx from the shipped template, PDF through Qt, OFD) is timed against a bare
python-docx document holding the same text and images, measured in the same run.  Every
measurement runs in a fresh child process so its peak memory (max RSS) is its own.

    .venv/bin/python bench/reports.py            # all formats, prints ratios
    .venv/bin/python bench/reports.py --repeat 3 # best of 3 per format

Goals (issue 7): each format < 5 s, ≤ 2x the bare python-docx baseline, < 500 MB.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from app.reporting.model import Document

FINDINGS = 200
THUMBNAILS = 300
FORMATS = ("baseline", "docx", "pdf", "ofd")


def thumbnails() -> list[bytes]:
    from PIL import Image

    result = []
    for number in range(THUMBNAILS):
        noise = Image.effect_noise((320, 240), 40 + number % 50).convert("RGB")
        tint = Image.new("RGB", (320, 240), (number * 7 % 255, 120, 200 - number % 100))
        buffer = io.BytesIO()
        Image.blend(noise, tint, 0.5).save(buffer, format="JPEG", quality=80)
        result.append(buffer.getvalue())
    return result


def report_document() -> Document:
    from app.reporting.model import (
        Document,
        EmbeddedSignature,
        Image,
        ImageRow,
        KeyValues,
        Paragraph,
        Section,
        Table,
    )

    grades = ["严重不符合", "轻微不符合", "观察项", "改进机会"]
    rows, details = [], []
    for number in range(1, FINDINGS + 1):
        clause = f"ISO 9001:2015 {4 + number % 7}.{1 + number % 5}"
        statement = f"第{number}项：现场抽查生产部作业指导书 WI-{number:03d}，发现版本未受控，与文件清单不一致。"
        evidence = (f"抽查记录 R-{number:04d}；访谈班组长；查看 ERP 截图。The operator could not show the "
                    f"current revision of instruction WI-{number:03d} at workstation {number % 12}.")
        rows.append([str(number), clause, grades[number % 4], statement])
        details.append(Section(f"发现 {number}", [
            KeyValues([("条款", clause), ("等级", grades[number % 4]), ("客观证据", evidence)]),
            Paragraph(statement)]))
    images = [Image.from_bytes(data, width_mm=50, caption=f"证据 E{n + 1:03d} 生产现场照片")
              for n, data in enumerate(thumbnails())]
    blocks = [Section("审核发现汇总", [Table(["序号", "条款", "等级", "描述"], rows, widths=[0.08, 0.22, 0.14, 0.56])]),
              Section("审核发现详情", details), Section("证据照片", [ImageRow(images, per_row=3)])]
    context = {"cb": {"name": "华信认证中心"}, "client": {"name": "福州某机械有限公司"},
               "audit": {"type": "第二阶段审核", "dates": "2026-03-02 至 2026-03-04", "standards": ["ISO 9001:2015"]},
               "team": [{"name": "张三", "role": "审核组长", "codes": "17.12"}]}
    # A signed report also carries its signatures' verification manifest (PDF embedded file, OFD attachment
    # and signature part); its size is that of a sign-off with two signatures and one device key.
    signatures = [EmbeddedSignature(f"sig-{n}", "王芳", "lead", "device_key", "2026-03-04T16:30:00+08:00",
                                    "ed25519", f"{n:064x}", "x" * 4000) for n in range(2)]
    manifest = json.dumps({"signatures": [vars(s) for s in signatures]}, ensure_ascii=False).encode()
    return Document("管理体系审核报告", blocks, subtitle="福州某机械有限公司", context=context,
                    attachments={"fieldaudit-signatures.json": manifest}, signatures=signatures)


def bare_docx(document: Document) -> bytes:
    """The same text and images with python-docx and nothing else (the baseline)."""
    import docx
    from docx.shared import Mm

    from app.reporting.model import Image, ImageRow, block_text

    word = docx.Document()
    word.add_heading(document.title, 0)
    for block in document.flat():
        if isinstance(block, ImageRow):
            for image in block.images:
                word.add_picture(io.BytesIO(image.data), width=Mm(50))
                word.add_paragraph(image.caption)
        elif isinstance(block, Image):
            word.add_picture(io.BytesIO(block.data), width=Mm(50))
        else:
            for line in block_text(block):
                word.add_paragraph(line)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def measure(kind: str) -> dict[str, float]:
    document = report_document()
    if kind == "pdf":
        from app.reporting.pdf import ensure_gui_application

        ensure_gui_application()  # application start-up is not part of writing a report
    start = time.perf_counter()
    if kind == "baseline":
        size = len(bare_docx(document))
    elif kind == "docx":
        from app.reporting.docx_writer import write_docx

        size = write_docx(document).size
    elif kind == "pdf":
        from app.reporting.pdf import write_pdf

        size = write_pdf(document).size
    else:
        from app.reporting.ofd import write_ofd

        size = write_ofd(document).size
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"seconds": seconds, "peak_mb": peak, "size_mb": size / 1e6}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    results: dict[str, dict[str, float]] = {}
    for kind in FORMATS:
        runs = []
        for _ in range(max(1, args.repeat)):
            output = subprocess.run([sys.executable, __file__, "--one", kind], capture_output=True, text=True,
                                    check=True).stdout
            runs.append(json.loads(output.strip().splitlines()[-1]))
        results[kind] = min(runs, key=lambda run: run["seconds"])
    base = results["baseline"]["seconds"]
    print(f"{FINDINGS} findings, {THUMBNAILS} thumbnails; baseline = bare python-docx, same text and images")
    print(f"{'format':<9}{'seconds':>9}{'x base':>8}{'peak MB':>9}{'size MB':>9}")
    for kind, run in results.items():
        print(f"{kind:<9}{run['seconds']:>9.2f}{run['seconds'] / base:>8.2f}{run['peak_mb']:>9.0f}"
              f"{run['size_mb']:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

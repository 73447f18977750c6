"""Every kind of document, converted to PDF by LibreOffice and measured against GB/T 9704-2012.
Not a test and not in CI: run it by hand after a layout change. It prints what it measured.

    apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk
    pip install -e '.[pdfcheck]'
    python bench/documents_pdf.py [--out /tmp/anjian-pdf]

It builds a fresh test world (tests/conftest.py) in a SQLite database in a temporary data folder
and one document of each kind from it (the five inspection documents of the inspection in
tests/web/test_inspection_documents.py, a 行政检查通知书 of a task with 15 items and 4 officers,
a 请示 with 签发人 and 附注, the 抄告 of tests/domain/test_notice_docx.py), converts them with
`soffice --headless --convert-to pdf` and reads the PDFs with pdfminer.six: pages, 三号 lines
per page and characters per line, and for a 公文 where the 版记's last rule lands (the last
page, on the last line of the 版心: 262 mm from the top of the page).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4
TEXT_BOTTOM_MM = 37 + 225  # the foot of the 版心, from the top of the page
BODY_PT = 16.0


@dataclass
class Measure:
    name: str
    pages: int = 0
    lines: list[int] = field(default_factory=list)  # 三号 lines per page
    widest: float = 0.0  # most characters on a 三号 line of Chinese only
    colophon: str = ""  # where the 版记's last rule is
    problems: list[str] = field(default_factory=list)


def _setup(data_dir: Path) -> None:
    os.environ["ANJIAN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    call_command("migrate", verbosity=0, interactive=False)
    from tests.conftest import build_world
    from tests.web.test_inspection_documents import _inspect

    _inspect(build_world())


def _inspection_documents() -> Iterator[tuple[str, bytes]]:
    from anjian.inspections.codes import entry_code
    from anjian.inspections.documents import document_docx
    from anjian.inspections.models import InspectionDocument

    for kind, _label in InspectionDocument.Kind.choices:
        document = InspectionDocument.objects.filter(kind=kind).order_by("pk").first()
        if document is None:
            continue
        url = f"https://anjian.example.gov.cn/inspections/verify/{entry_code(document.task)}/"
        name, content = document_docx(document, url)
        yield name, content


def _heavy_notice() -> Iterator[tuple[str, bytes]]:
    """A notice of a task with 15 items and 4 officers, rolled back after it is built."""
    from django.db import transaction

    from anjian.inspections.codes import entry_code
    from anjian.inspections.documents import document_docx
    from anjian.inspections.models import InspectionDocument
    from anjian.policy.selectors import items_for_enterprise
    from anjian.registry.models import Officer

    notice = InspectionDocument.objects.filter(kind="notice").order_by("pk").first()
    if notice is None:
        return
    with transaction.atomic():
        task = notice.task
        task.items.add(*list(items_for_enterprise(task.enterprise))[:15])
        task.officers.add(*Officer.objects.filter(body=task.body).order_by("pk")[:4])
        url = f"https://anjian.example.gov.cn/inspections/verify/{entry_code(task)}/"
        _name, content = document_docx(notice, url)
        transaction.set_rollback(True)
    yield "行政检查通知书（15项4人）.docx", content


def _official_documents() -> Iterator[tuple[str, bytes]]:
    """The 抄告 of the tests, and a 请示 with its table, 签发人 and 附注."""
    from dataclasses import replace
    from datetime import date

    from anjian.policy.documents import quiet_exception_notice_docx
    from anjian.ui.gongwen import OfficialDocument, document_filename, official_document_docx
    from tests.domain.test_notice_docx import NOTICE

    notice = replace(NOTICE, copy_to="县纪委监委派驻第三纪检监察组")
    yield document_filename(notice.document_number, "抄告"), quiet_exception_notice_docx(notice)
    months = ["月份", *[f"{m}月" for m in range(1, 13)]]
    request = OfficialDocument(
        issuing_body="文水县应急管理局",
        document_number="文应急请〔2026〕1号",
        title="关于报请审批2027年度监督检查计划的请示",
        recipient="文水县人民政府",
        paragraphs=["根据我局年度工作方案的要求，我局编制了2027年度监督检查计划。" * 3] * 4,
        issued_on=date(2026, 12, 10),
        table=(months, [["检查次数", *["12"] * 12]]),
        table_caption="2027年度监督检查计划月度分布",
        attachments=("2027年度监督检查计划企业名单（Excel）",),
        closing=["妥否，请批示。"],
        signer="李国强",
        note="联系人：张敏　联系电话：0358-3022110",
    )
    yield document_filename(request.document_number, request.title), official_document_docx(request)


SOURCES: list[Callable[[], Iterator[tuple[str, bytes]]]] = [
    _inspection_documents,
    _heavy_notice,
    _official_documents,
]


def _convert(folder: Path) -> None:
    files = sorted(str(p) for p in folder.glob("*.docx"))
    command = ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), *files]
    subprocess.run(command, check=True, capture_output=True, timeout=600)


def _text_lines(page) -> Iterator[tuple[float, float, int, str]]:  # type: ignore[no-untyped-def]
    """(top in mm, font size, characters, text) of every text line on the page."""
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLine

    for element in page:
        if not isinstance(element, LTTextContainer):
            continue
        for line in element:
            if isinstance(line, LTTextLine):
                chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
                if chars:
                    size = max(round(c.size, 1) for c in chars)
                    top = (page.height - line.y1) / MM
                    yield top, size, len(chars), line.get_text().strip()


def _rules(page) -> list[float]:  # type: ignore[no-untyped-def]
    """Tops in mm of the horizontal rules on the page."""
    from pdfminer.layout import LTCurve

    return [
        (page.height - e.y1) / MM
        for e in page
        if isinstance(e, LTCurve) and abs(e.y1 - e.y0) < 2 and e.width > 100 * MM
    ]


def _width(text: str) -> float:
    return sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in text.replace(" ", ""))


def _cjk_only(text: str) -> bool:
    return all(ord(c) > 0x2E7F for c in text.replace(" ", ""))


def measure(pdf: Path) -> Measure:
    from pdfminer.high_level import extract_pages

    result = Measure(pdf.stem)
    pages = list(extract_pages(str(pdf)))
    result.pages = len(pages)
    for number, page in enumerate(pages, start=1):
        lines = [line for line in _text_lines(page) if abs(line[1] - BODY_PT) < 0.5]
        result.lines.append(len({round(top) for top, *_ in lines}))
        # Lines of Chinese only: Latin letters and digits have widths of their own.
        widest = max((_width(text) for *_, text in lines if _cjk_only(text)), default=0.0)
        result.widest = max(result.widest, widest)
        printed = [top for top, _, _, text in _text_lines(page) if text.endswith("印发")]
        if printed:
            bottom = max(_rules(page), default=0.0)
            result.colophon = f"p{number}, last rule {bottom:.1f} mm"
            if number != len(pages) or abs(bottom - TEXT_BOTTOM_MM) > 2:
                result.problems.append("版记 not at the foot of the last page")
    if max(result.lines, default=0) > 22:
        result.problems.append("more than 22 lines on a page")
    if result.widest > 28:
        result.problems.append("more than 28 characters on a line")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder for the .docx and .pdf")
    parser.add_argument("--today", default="2026-11-16 09:30", help="the clock the demo runs on")
    args = parser.parse_args()
    import time_machine

    with time_machine.travel(f"{args.today} +0800", tick=False):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    out = args.out or Path(tempfile.mkdtemp(prefix="anjian-pdf-"))
    out.mkdir(parents=True, exist_ok=True)
    _setup(Path(tempfile.mkdtemp(prefix="anjian-pdf-data-")))
    for source in SOURCES:
        for name, content in source():
            (out / name).write_bytes(content)
    _convert(out)
    print(f"{'document':<44} pages  lines/page       widest  版记")
    failed = 0
    for pdf in sorted(out.glob("*.pdf")):
        m = measure(pdf)
        lines = ",".join(str(n) for n in m.lines)
        print(f"{m.name:<44} {m.pages:>5}  {lines:<16} {m.widest:>6.1f}  {m.colophon}")
        for problem in m.problems:
            print(f"    ! {problem}")
        failed += bool(m.problems)
    print(f"\n{out}: {failed} with problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

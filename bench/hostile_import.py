"""Hostile Excel uploads (issue 16, defect 4). Not a test: it prints what it measured.

Builds in memory a ~200 KB .xlsx whose sheet holds 1,000,000 rows (the file that once ran for 13
minutes at 3.4 GB; `rows`), the same number of identical rows that pack ~1000x (`ratio`) and three
times as many, past the unpacked-size limit (`bomb`), and for comparison a file of 20,000 such
rows, at the default limit, read to the end (`limit`). It times how long
`anjian.ui.sheets.read_upload` takes to refuse each, with the peak memory of the process
(`ru_maxrss`) before and after. Each case runs in its own process, so that one case's peak does
not hide another's.

    python bench/hostile_import.py            # default limits (20,000 rows, 50 MB unpacked)
    python bench/hostile_import.py --rows 1000000 --case rows
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import time
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="企业" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<dimension ref="A1:B2"/><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"


def hostile_xlsx(rows: int, *, varied: bool) -> bytes:
    """An .xlsx of `rows` rows streamed into the zip; its dimension claims two rows (a lie)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            block = []
            for n in range(1, rows + 1):
                if varied:  # a number repeating every 997 rows: packs ~130x
                    block.append(f"<row><c><v>{n * 7919 % 997}</v></c></row>")
                else:
                    block.append('<row><c t="inlineStr"><is><t>=1+1</t></is></c></row>')
                if len(block) >= 20000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write("".join(block).encode() + SHEET_TAIL)
    return buffer.getvalue()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run_case(case: str, rows: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anjian.config.settings")
    import django

    django.setup()
    from anjian.ui.sheets import WorkbookRefused, read_upload

    data = hostile_xlsx(rows, varied=case in ("limit", "rows"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(m.file_size for m in archive.infolist())
    before = peak_mb()
    started = time.perf_counter()
    outcome, seen = "read to the end (not refused)", 0
    try:
        for _ in read_upload(data):
            seen += 1
    except WorkbookRefused as refused:
        outcome = f"refused: {refused}"
    elapsed = time.perf_counter() - started
    print(
        f"{case}: {rows:,} rows, file {len(data) / 1024:,.0f} KB,"
        f" unpacked {unpacked / 2**20:,.1f} MB"
        f" | {outcome} | rows yielded {seen:,} | {elapsed:.2f} s"
        f" | peak RSS {before:,.0f} MB before, {peak_mb():,.0f} MB after"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--case", choices=("limit", "rows", "ratio", "bomb"))
    args = parser.parse_args()
    if args.case:
        run_case(args.case, args.rows)
        return
    for case in ("limit", "rows", "ratio", "bomb"):
        rows = {"limit": 20_000, "bomb": args.rows * 3}.get(case, args.rows)
        subprocess.run([sys.executable, __file__, "--case", case, "--rows", str(rows)], check=True)


if __name__ == "__main__":
    main()

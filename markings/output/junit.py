"""JUnit XML: one ``<testsuite>`` per file, one failing ``<testcase>`` per finding."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from markings.findings import Finding
from markings.output import OutputContext, printable


def render(findings: Sequence[Finding], ctx: OutputContext) -> str:
    """Render JUnit XML; a file without findings gets one passing test case."""
    by_path: dict[str, list[Finding]] = {p: [] for p in ctx.files}
    for f in findings:
        by_path.setdefault(f.path, []).append(f)
    root = ET.Element("testsuites", name="markings", tests=str(max(len(findings), 0)),
                      failures=str(len(findings)), errors="0")
    total = 0
    for raw_path, fs in by_path.items():
        path = printable(raw_path)  # XML 1.0 cannot hold control characters, even escaped
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(max(1, len(fs))),
                              failures=str(len(fs)), errors="0", skipped="0")
        if not fs:
            ET.SubElement(suite, "testcase", name="markings", classname=path, file=path)
            total += 1
        for f in fs:
            case = ET.SubElement(suite, "testcase", name=f"markings.{f.code}", classname=path,
                                 file=path, line=str(f.line), column=str(f.column))
            message = printable(f.message)
            fail = ET.SubElement(case, "failure", message=message, type=f.severity.value)
            fail.text = f"{path}:{f.line}:{f.column}: {f.code} [{f.name}] {message}"
            total += 1
    root.set("tests", str(total))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

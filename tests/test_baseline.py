"""Baseline: identity is path + code + fingerprint, counted, never line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from markings.baseline import BaselineError, filter_new, load_baseline, write_baseline
from markings.findings import Finding, Severity, fingerprint


def _f(line: int, key: str = "(S)", code: str = "MK901", path: str = "a.md") -> Finding:
    return Finding(code=code, name="x", severity=Severity.ERROR, message="m", path=path,
                   line=line, fingerprint=fingerprint(path, code, key))


def test_roundtrip_and_moved_lines(tmp_path: Path) -> None:
    b = tmp_path / "base.json"
    assert write_baseline(b, [_f(3), _f(10, key="(C)")]) == 2
    data = json.loads(b.read_text())
    assert data["version"] == 1 and len(data["findings"]) == 2
    assert "line" not in data["findings"][0]
    known = load_baseline(b)
    # Same findings moved to other lines: still known.
    assert filter_new([_f(30), _f(1, key="(C)")], known) == []


@pytest.mark.parametrize("current,new_count", [
    ([_f(3)], 0),
    ([_f(3), _f(4)], 1),  # a second identical finding is new
    ([_f(3, key="(TS)")], 1),  # another marking
    ([_f(3, code="MK902")], 1),  # another rule
    ([_f(3, path="b.md")], 1),  # another file
])
def test_filter_new(tmp_path: Path, current: list[Finding], new_count: int) -> None:
    b = tmp_path / "base.json"
    write_baseline(b, [_f(3)])
    assert len(filter_new(current, load_baseline(b))) == new_count


@pytest.mark.parametrize("content,needle", [
    (None, "not found"),
    ("{not json", "cannot read"),
    ('{"version": 99, "findings": []}', "unknown baseline version"),
    ('{"version": 1, "findings": [{"path": "a"}]}', "malformed"),
])
def test_bad_baselines(tmp_path: Path, content: str | None, needle: str) -> None:
    b = tmp_path / "base.json"
    if content is not None:
        b.write_text(content)
    with pytest.raises(BaselineError, match=needle):
        load_baseline(b)


def test_internal_errors_are_never_written_nor_absorbed(tmp_path: Path) -> None:
    b = tmp_path / "base.json"
    crash = _f(1, key="MK101", code="MK009")
    assert write_baseline(b, [_f(3), crash]) == 1
    assert [e["code"] for e in json.loads(b.read_text())["findings"]] == ["MK901"]
    # A hand-edited (or old) baseline holding an MK009 entry still does not absorb it.
    data = json.loads(b.read_text())
    data["findings"].append({"path": "a.md", "code": "MK009", "name": "internal-error",
                             "fingerprint": crash.fingerprint})
    b.write_text(json.dumps(data))
    assert filter_new([_f(3), crash], load_baseline(b)) == [crash]

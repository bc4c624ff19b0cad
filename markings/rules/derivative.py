"""Rule family derivative (MK740): classified text reproduced in a lower-marked document."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from markings.config import RuleOptions
from markings.findings import Severity
from markings.model import Level
from markings.registry import MARKING_PROFILES, REDACTION_PROFILES, Context, Hit, rule

if TYPE_CHECKING:
    from markings.document import Document
    from markings.index import SourceRef


class DerivativeOptions(RuleOptions):
    """Options of MK740 classified-text-reproduced."""

    min_words: int = Field(8, description="Shortest reproduced run, in words, that counts.")
    max_df: int = Field(25, description="Shingles found in more indexed documents than this "
                                        "are common phrases and never match.")


@rule("MK740", "classified-text-reproduced", "error",
      profiles=MARKING_PROFILES + REDACTION_PROFILES, options=DerivativeOptions,
      needs=("setting:against",))
def classified_text_reproduced(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A passage reproduces a classified portion of an indexed document above its own marking.

    ## What it checks
    With `markings check --against INDEX` (an index made by `markings index build PATHS
    --db INDEX`), every passage of the document that repeats at least 8 consecutive words
    (normalised: case, punctuation and inline markup ignored) of an indexed portion whose
    marking is above the passage's own: its portion marking (for a bullet, the mark of the
    block heading or paragraph it sits under), else the document's marking, else
    UNCLASSIFIED. "Above" means a higher classification, a `NOFORN` source quoted in a
    passage without `NOFORN`, or a `REL TO` source whose country list does not cover the
    passage's `REL TO` list. Words that the source document itself carries in an
    UNCLASSIFIED portion do not count (public text); runs made mostly of capitalised
    words (a name with its title, an office's name) do not count, and phrases shared by
    many indexed documents, or marked differently in three or more of them (formulaic text
    written at whatever level its paragraph has), never match. Cable transmission lines
    (routing indicators, FM/TO/INFO) and classification lines are not compared. When the passage's text is classified in one
    indexed document but marked `(U)` in another, the finding is a warning naming both,
    so a reviewer checks which marking is wrong. Without `--against` the rule does
    nothing; a missing or invalid index is a usage error (exit 2).

    ## Why
    Quoting a classified paragraph in an unclassified article, e-mail or report is a
    derivative use: the new text must carry the source's classification and controls
    (32 CFR 2001.22), or the quotation is a spill. NOFORN text in a document releasable
    to foreign partners is a spill at the same level.

    ## Example
    An unmarked article quoting a sentence of paragraph 2 of a `SECRET` cable; a
    `SECRET//REL TO USA, GBR` memo quoting an `(S//NF)` paragraph.

    ## Fix
    Mark the passage (and the document) at least as the message says, or remove the
    quotation. The message names the source document, paragraph and marking; it does not
    quote the text.
    """
    db = ctx.settings.get("against")
    if not db:
        return
    from markings.index import check_against

    opts = ctx.opts("classified-text-reproduced") or DerivativeOptions()
    matches = check_against(doc, db, min_words=opts.min_words, max_df=opts.max_df)
    groups: dict[tuple[int, int, str], list] = defaultdict(list)
    for m in matches:
        groups[(m.start, m.end, m.source.path)].append(m)
    for (start, end, path), ms in sorted(groups.items()):
        top = max(ms, key=lambda m: (not m.conflicts, m.source.level, len(m.reasons)))
        paras = ", ".join(dict.fromkeys(_where(m.source) for m in ms))
        own = ("the passage is unmarked (so treated as UNCLASSIFIED)" if top.own_marking is None
               else f"the passage is marked {top.own_marking}")
        src_level = Level(top.source.level).title
        controls = [r for r in top.reasons if r != "level"]
        what = f"{src_level} text" + (f" ({', '.join(controls)})" if controls else "")
        why = ""
        if "NOFORN" in controls:
            why = ": NOFORN text may not appear in a passage without NOFORN"
        elif "REL TO" in controls:
            why = ": the passage is releasable to countries the source is not"
        need = top.required or f"({Level(top.source.level).name})"
        digest = hashlib.sha256(
            " ".join(doc.text[start:end].split()).casefold().encode()).hexdigest()[:12]
        shown = top.source.shown or path
        if top.conflicts:
            public = "; ".join(f"{c.shown or c.path}, {_where(c)}" for c in top.conflicts)
            yield Hit(doc.span(start, end),
                      f"Passage of {top.words} words reproduces text marked {src_level} in "
                      f"{shown}, {paras}, but marked UNCLASSIFIED in {public}; {own}. The "
                      "sources' markings conflict: review both; if the text is classified, "
                      f"mark the passage at least `{need}`, or remove the quotation.",
                      key=f"derivative-conflict {shown} {top.source.number} {digest}",
                      severity=Severity.WARNING)
            continue
        yield Hit(doc.span(start, end),
                  f"Passage of {top.words} words reproduces {what} of {shown}, {paras}, but "
                  f"{own}{why}. Mark the passage at least `{need}` (and the document), or "
                  "remove the quotation.",
                  key=f"derivative {shown} {top.source.number} {digest}")


def _where(src: SourceRef) -> str:
    return ((f"paragraph {src.number}" if src.number else "unnumbered portion")
            + f" (line {src.line}, {src.marking})")

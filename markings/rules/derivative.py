"""Rule family derivative (MK740): classified text reproduced in a lower-marked document."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pydantic import Field

from markings.config import RuleOptions
from markings.model import Level
from markings.registry import MARKING_PROFILES, REDACTION_PROFILES, Context, Hit, rule

if TYPE_CHECKING:
    from markings.document import Document


class DerivativeOptions(RuleOptions):
    """Options of MK740 classified-text-reproduced."""

    min_words: int = Field(8, description="Shortest reproduced run, in words, that counts.")
    max_df: int = Field(25, description="Shingles found in more indexed documents than this "
                                        "are common phrases and never match.")


@rule("MK740", "classified-text-reproduced", "error",
      profiles=MARKING_PROFILES + REDACTION_PROFILES, options=DerivativeOptions)
def classified_text_reproduced(doc: Document, ctx: Context) -> Iterator[Hit]:
    """A passage reproduces a classified portion of an indexed document above its own marking.

    ## What it checks
    With `markings check --against INDEX` (an index made by `markings index build PATHS
    --db INDEX`), every passage of the document that repeats at least 8 consecutive words
    (normalised: case, punctuation and inline markup ignored) of an indexed portion whose
    classification is higher than the passage's own portion marking (or its enclosing
    paragraph's, for a bullet), or the document's marking when the passage is unmarked.
    Words that also occur in UNCLASSIFIED portions of other indexed documents do not
    count (they are public text), runs made mostly of capitalised words (a name with its
    title, an office's name) do not count, and phrases shared by many indexed documents
    never match. An unmarked bullet of an indexed document is reported with the number and
    mark of its paragraph. Without `--against` the rule does nothing; a missing or invalid
    index is a usage error (exit 2).

    ## Why
    Quoting a classified paragraph in an unclassified article, e-mail or report is a
    derivative use: the new text must carry the source's classification (32 CFR 2001.22), or
    the quotation is a spill.

    ## Example
    An unmarked article quoting a sentence of paragraph 2 of a `SECRET` cable.

    ## Fix
    Mark the passage (and the document) at the source's level, or remove the quotation.
    The message names the source document, paragraph and marking; it does not quote the text.
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
        top = max(ms, key=lambda m: m.source.level)
        paras = ", ".join(dict.fromkeys(
            (f"paragraph {m.source.number}" if m.source.number else "unnumbered portion")
            + f" (line {m.source.line}, {m.source.marking})" for m in ms))
        own = ("is unmarked (so treated as UNCLASSIFIED)" if doc.style == "unmarked"
               else f"is marked {Level(top.level).title}")
        src_level = Level(top.source.level).title
        digest = hashlib.sha256(
            " ".join(doc.text[start:end].split()).casefold().encode()).hexdigest()[:12]
        shown = top.source.shown or path
        yield Hit(doc.span(start, end),
                  f"Passage of {top.words} words reproduces {src_level} text of {shown}, "
                  f"{paras}, but {own}. Mark it {src_level} (and the document), or "
                  "remove the quotation.",
                  key=f"derivative {shown} {top.source.number} {digest}")

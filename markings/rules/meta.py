"""MK9xx: meta rules about inline suppressions.

The checks live in :mod:`markings.suppress`, which sees every finding of a document; the
functions registered here only document the codes (they yield nothing themselves).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from markings.registry import NEVER, Context, Hit, rule

if TYPE_CHECKING:
    from markings.document import Document


@rule("MK901", "unused-suppression", "warning",
      needs=(NEVER,))
def unused_suppression(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A suppression comment names a rule that reported nothing where it applies.

    ## What it checks
    Each code in a `disable-next-line`, `disable-line` or `disable` directive must
    suppress at least one finding of a selected rule. Codes of rules that are not selected
    for the document are not reported.

    ## Why
    Stale suppressions hide future problems: once the marking is fixed, the comment would
    silently excuse the next mistake on that line.

    ## Example
    ```markdown
    <!-- markings: disable-next-line MK101 -- banner approved by the OCA -->
    SECRET
    ```
    when the banner is in fact correct.

    ## Fix
    Remove the directive, or the code that no longer applies.
    """
    return ()


@rule("MK902", "invalid-suppression", "error",
      needs=(NEVER,))
def invalid_suppression(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A suppression comment is malformed, names no rule, or names an unknown rule.

    ## What it checks
    Directives must be one of `disable-next-line`, `disable-line`, `disable` and
    `enable`, followed by one or more rule codes or names. There is no blanket form. An
    `enable` must close an earlier `disable` of the same code.

    ## Why
    A directive that does not say what it suppresses cannot be reviewed, and a typo in a
    code would silently suppress nothing.

    ## Example
    ```markdown
    <!-- markings: disable-next-line -- all of them -->
    <!-- markings: disable-next-line MK1O1 -->
    ```

    ## Fix
    Name the rules explicitly, e.g. `<!-- markings: disable-next-line MK101 -- reason -->`
    (see `markings rules`).
    """
    return ()


@rule("MK903", "unclosed-suppression", "warning",
      needs=(NEVER,))
def unclosed_suppression(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A `disable` range is never closed by a matching `enable`.

    ## What it checks
    Every `<!-- markings: disable CODE -->` should be followed by
    `<!-- markings: enable CODE -->`. An unclosed range runs to the end of the file.

    ## Why
    An open range suppresses far more than the author probably meant, including text
    added later.

    ## Example
    ```markdown
    <!-- markings: disable MK301 -- legacy annex -->
    ... (no enable follows)
    ```

    ## Fix
    Add `<!-- markings: enable MK301 -->` where the exception ends.
    """
    return ()


@rule("MK904", "suppression-without-reason", "info",
      needs=(NEVER,))
def suppression_without_reason(doc: Document, ctx: Context) -> Iterable[Hit]:
    """A suppression comment gives no reason.

    ## What it checks
    A directive should end with ` -- ` and a short reason.

    ## Why
    Reviewers need to know why a marking problem is accepted. Keep the reason free of
    sensitive detail: it is part of the document.

    ## Example
    `<!-- markings: disable-next-line MK101 -->`

    ## Fix
    `<!-- markings: disable-next-line MK101 -- approved exception, ticket 123 -->`
    """
    return ()

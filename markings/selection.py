"""Which rules run: ``select``, ``extend-select`` and ``ignore``, resolved as ruff does.

The selection is built in *layers*, lowest priority first: the configuration file, then the
command line. The starting set is the profile's rules (``profile``, plus
``redaction-profile``). Each layer then:

* with ``select``: replaces the set with what that layer selects (``select`` plus
  ``extend-select``, minus ``ignore``), discarding every lower layer;
* without ``select``: adds its ``extend-select`` and removes its ``ignore`` from the set.

Within one layer the most specific selector decides a rule: ``ALL`` < ``MK`` < ``MK1`` <
``MK10`` < a full code or rule name. At equal specificity ``ignore`` wins. So
``select = ["MK1"]`` with ``ignore = ["MK101"]`` runs MK1 except MK101, and
``select = ["MK101"]`` with ``ignore = ["MK1"]`` runs MK101 alone. A command-line
``--ignore`` therefore adds to the file's ``ignore`` (ruff has no separate
``--extend-ignore`` any more), while ``--select`` starts afresh.

Input problems (``MK0xx``: unreadable, binary, empty files) are in every starting set and
stay unless a layer ignores them. ``per-file-ignores`` apply last and always win.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markings.registry import Rule

# (select or None when the layer sets none, extend-select, ignore)
Layer = tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]]

RULE_LEVEL = 10  # specificity of a full code or a rule name


def specificity(selector: str) -> int:
    """How specific ``selector`` is: 0 for ``ALL``, the prefix length for codes, else a rule."""
    s = selector.strip().upper()
    if s == "ALL":
        return 0
    if s.startswith("MK") and s[2:].isdigit() and len(s) < 5:
        return len(s)
    return RULE_LEVEL


def matches(rule: Rule, selector: str) -> bool:
    """Whether ``selector`` (``ALL``, a code, a code prefix or a rule name) picks ``rule``."""
    s = selector.strip()
    if not s:
        return False
    return s.upper() == "ALL" or rule.code.startswith(s.upper()) or rule.name == s.lower()


def matches_any(rule: Rule, selectors: Iterable[str]) -> bool:
    """Whether one of ``selectors`` picks ``rule``."""
    return any(matches(rule, s) for s in selectors)


def is_input_rule(rule: Rule) -> bool:
    """``MK0xx``: problems reading the input, on unless ignored."""
    return rule.code < "MK100"


def _updates(rules: Sequence[Rule], layer: Layer) -> dict[str, bool]:
    """Rule code -> enabled, for the rules this layer mentions (most specific selector wins)."""
    select, extend, ignore = layer
    ordered = sorted([(specificity(s), 0, s) for s in (*(select or ()), *extend)]
                     + [(specificity(s), 1, s) for s in ignore])
    out: dict[str, bool] = {}
    for _, is_ignore, sel in ordered:
        for r in rules:
            if matches(r, sel):
                out[r.code] = not is_ignore
    return out


def resolve(rules: Sequence[Rule], layers: Iterable[Layer], base: Callable[[Rule], bool],
            extra_ignores: Iterable[str] = ()) -> list[Rule]:
    """The rules to run, in registry order.

    ``base`` says whether a rule is in the starting set (the profile's); ``layers`` come
    lowest priority first; ``extra_ignores`` (per-file ignores) are removed at the end.
    """
    enabled = {r.code for r in rules if base(r) or is_input_rule(r)}
    for layer in layers:
        updates = _updates(rules, layer)
        if layer[0] is not None:  # `select` starts afresh
            enabled = {c for c, on in updates.items() if on}
            enabled |= {r.code for r in rules if is_input_rule(r) and updates.get(r.code, True)}
        else:
            for code, on in updates.items():
                if on:
                    enabled.add(code)
                else:
                    enabled.discard(code)
    extra = [s for s in extra_ignores if s.strip()]
    return [r for r in rules if r.code in enabled and not matches_any(r, extra)]

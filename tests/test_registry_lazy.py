"""Lazy rule-module imports and the engine's selection caches give the same rules."""

from __future__ import annotations

from markings.config import Config
from markings.engine import selected_rules
from markings.registry import all_rules
from markings.rules import MODULE_PROFILES, MODULES
from markings.selection import resolve


def _reference(cfg: Config, profile: str) -> list[str]:
    """The selection computed over every registered rule (nothing lazy, nothing cached)."""
    def base(r: object) -> bool:
        return profile in r.profiles or (  # type: ignore[attr-defined]
            cfg.redaction_profile is not None
            and cfg.redaction_profile in r.profiles)  # type: ignore[attr-defined]

    return [r.code for r in resolve(all_rules(), cfg.selection_layers(), base)]


def test_declared_module_profiles_hold() -> None:
    rules = all_rules()
    assert set(MODULE_PROFILES) <= set(MODULES)
    for r in rules:
        declared = MODULE_PROFILES.get(r.check.__module__)
        if declared is not None:
            assert r.profiles <= declared, r.code


def test_selection_matches_reference_and_cache() -> None:
    cfgs = [Config(), Config(redaction_profile="foia"), Config(select=["MK1"]),
            Config(extend_select=["MK701"], ignore=["MK101"]), Config(profile="isoo"),
            Config(select=["MK101"], ignore=["MK1"])]
    for cfg in cfgs:
        for profile in ("capco", "state-cable", "isoo"):
            want = _reference(cfg, profile)
            assert [r.code for r in selected_rules(cfg, profile)] == want
            assert [r.code for r in selected_rules(cfg, profile)] == want  # cached


def test_per_file_ignores_still_apply() -> None:
    cfg = Config(per_file_ignores={"*.txt": ["MK1"]})
    codes = [r.code for r in selected_rules(cfg, "capco", "docs/a.txt")]
    assert codes and not any(c.startswith("MK1") for c in codes)
    assert any(c.startswith("MK1") for c in (r.code for r in selected_rules(cfg, "capco", "a.md")))

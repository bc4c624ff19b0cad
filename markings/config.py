"""Configuration: ``[tool.markings]`` in ``pyproject.toml`` or ``.markings.toml``.

Validated by pydantic; unknown keys are errors that name the key. Keys are kebab-case in
files (``per-file-ignores``) and snake_case in Python.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class RuleOptions(BaseModel):
    """Base class of every rule's options model (``[tool.markings.rules.RULE-NAME]``).

    Keys are kebab-case in configuration files (``fixed-length``), snake_case in Python;
    unknown keys are errors that name the key, as for the top-level configuration.
    """

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True,
                              frozen=True)


class Settings(BaseModel):
    """Outside facts for checks that need them (``[tool.markings.settings]``).

    Keys are kebab-case like the rest of the file (``analytic-product``); the snake_case
    spelling of earlier versions (``analytic_product``) is accepted too. Unknown keys are
    errors. Rules read them as a dict with snake_case keys (``ctx.settings``); relative
    paths are relative to the working directory.
    """

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    compilation: bool = Field(False, description="The document is classified by "
                              "compilation: its banner may be higher than its portions "
                              "(roll-up rules such as MK102).")
    analytic_product: bool = Field(False, description="The document is an IC disseminated "
                                   "analytic product: the `auto` profile picks `capco`, and "
                                   "MK314 requires FD&R markings.")
    source_declass: list[str] = Field(
        default_factory=list, description="Declassify-On values of the sources of a "
        "Multiple Sources document, e.g. `[\"20301231\", \"50X1-HUM\"]` (MK418).")
    deny_list: str | None = Field(None, description="Hashed deny list of protected terms "
                                  "(MK730); see docs/redaction.md.")
    against: str | None = Field(None, description="Index of classified portions made by "
                                "`markings index build` (MK740; same as `--against`).")
    release: bool | None = Field(None, description="Force the document to be (true) or not to "
                                 "be (false) a release copy, whatever its banners say "
                                 "(MK710-MK712).")

    @field_validator("source_declass", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        if isinstance(v, (str, int)):
            v = [v]
        if isinstance(v, (list, tuple)):
            return [str(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in v]
        return v

    def get(self, key: str, default: Any = None) -> Any:
        """Dict-style access by snake_case name (as rules read ``ctx.settings``)."""
        return getattr(self, key, default) if key in type(self).model_fields else default


class Config(BaseModel):
    """The merged configuration of one run (defaults < config file < command line)."""

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    select: list[str] = Field(default_factory=list,
                              description="Rule codes, code prefixes or names to run "
                                          "(empty: every rule of the profile).")
    extend_select: list[str] = Field(default_factory=list,
                                     description="Rules to add to the selection.")
    ignore: list[str] = Field(default_factory=list, description="Rules never to run.")
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, description="Glob -> rules to ignore in matching files (globs "
                                          "relative to this configuration file).")
    include: list[str] = Field(
        default_factory=lambda: ["*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.rst",
                                 "*.adoc", "*.docx", "*.pdf"],
        description="File globs checked when a directory is given.")
    exclude: list[str] = Field(
        default_factory=lambda: [".git", ".hg", ".svn", ".venv", "venv", "node_modules",
                                 "__pycache__", ".tox", "build", "dist"],
        description="Globs of paths never checked when found in a directory (gitignore "
                    "style, relative to this configuration file; `**` spans directories).")
    extend_exclude: list[str] = Field(default_factory=list,
                                      description="Globs added to `exclude`.")
    force_exclude: bool = Field(False, description="Apply `exclude` also to paths given "
                                                   "explicitly (as pre-commit does).")
    profile: str = Field("auto", description="Marking profile: auto, capco, state-cable, isoo.")
    redaction_profile: str | None = Field(
        None, description="Redaction profile (cables, foia, declass, archival); none: off.")
    fail_on: Literal["error", "warning", "info"] = Field(
        "error", description="Lowest severity that makes the exit code 1.")
    output_format: str = Field("full", description="Default output format.")
    max_file_size: int = Field(20_000_000, description="Files larger than this (bytes) "
                                                        "are reported, not read.")
    today: _dt.date | None = Field(None, description="Evaluation date for date checks "
                                                     "(default: the system date).")
    baseline: str | None = Field(None, description="Baseline file (relative to this "
                                                   "configuration file); only new findings "
                                                   "fail.")
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Per-rule options, keyed by rule name.")
    docs_url: str | None = Field(
        None, description="Base URL of the rule pages (`docs/rules/` of this project as "
                          "published), e.g. `https://example.org/markings/rules/`: SARIF "
                          "rules then get `helpUri` = base + `MK101.md` (or the URL with "
                          "`{code}` replaced, when it has one). Unset: no `helpUri`.")
    settings: Settings = Field(
        default_factory=Settings, description="Outside facts for checks that need them: "
                                              "see [Settings](#settings).")

    # Directory that relative globs in `exclude` / `per-file-ignores` are resolved against
    # (the directory of the config file that set them; None: the working directory).
    _root: str | None = PrivateAttr(default=None)
    # The command line's select / extend-select / ignore: a second selection layer above
    # the file's (see markings.selection); None when the command line selects nothing.
    _cli_selection: tuple[tuple[str, ...] | None, tuple[str, ...], tuple[str, ...]] | None = \
        PrivateAttr(default=None)

    def selection_layers(self) -> list[tuple[tuple[str, ...] | None, tuple[str, ...],
                                             tuple[str, ...]]]:
        """Rule-selection layers, lowest priority first: this configuration's own
        ``select``/``extend-select``/``ignore``, then the command line's (if any)."""
        layers = [(tuple(self.select) or None, tuple(self.extend_select), tuple(self.ignore))]
        if self._cli_selection is not None:
            layers.append(self._cli_selection)
        return layers

    def selects_explicitly(self) -> bool:
        """Whether a ``select``/``extend-select`` may pick rules outside the profiles."""
        return any(layer[0] or layer[1] for layer in self.selection_layers())

"""Configuration: ``[tool.markings]`` in ``pyproject.toml`` or ``.markings.toml``.

Validated by pydantic; unknown keys are errors that name the key. Keys are kebab-case in
files (``per-file-ignores``) and snake_case in Python.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class RuleOptions(BaseModel):
    """Base class of every rule's options model (``[tool.markings.rules.RULE-NAME]``).

    Keys are kebab-case in configuration files (``fixed-length``), snake_case in Python;
    unknown keys are errors that name the key, as for the top-level configuration.
    """

    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True,
                              frozen=True)


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
    settings: dict[str, Any] = Field(
        default_factory=dict, description="Outside facts for checks that need them "
                                          "(e.g. `compilation = true`).")

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

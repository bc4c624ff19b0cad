"""Find, load and merge configuration files (``[tool.markings]`` or ``.markings.toml``).

Resolution: an explicit ``--config FILE`` wins; otherwise the nearest ``.markings.toml`` or
``pyproject.toml`` with a ``[tool.markings]`` table, walking up from the first path checked
(or the working directory). Settings are not merged across files (as in ruff): the nearest
file applies, then command-line options override it, and defaults fill the rest.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from markings.config import Config

CONFIG_NAMES = (".markings.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration file or option is invalid; the message names the file and the key."""


def _load_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}.") from exc


def table_of(path: Path) -> dict[str, Any] | None:
    """The markings table of a config file (None for a ``pyproject.toml`` without one)."""
    data = _load_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("markings") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return data


def find_config_file(start: str | Path | None = None) -> Path | None:
    """Nearest ``.markings.toml`` or ``pyproject.toml`` with ``[tool.markings]`` above ``start``."""
    here = Path(start or os.getcwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for d in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = d / name
            if candidate.is_file():
                if name == "pyproject.toml":
                    try:
                        if table_of(candidate) is None:
                            continue
                    except ConfigError:
                        raise
                return candidate
    return None


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc)


def _did_you_mean(loc: tuple[Any, ...]) -> str:
    """`` (did you mean `compilation`?)`` for a misspelt key, from the keys valid at its
    level (kebab-case, as written in files)."""
    import difflib

    from pydantic import BaseModel

    model: Any = Config
    for part in loc[:-1]:
        field = model.model_fields.get(str(part).replace("-", "_"))
        ann = getattr(field, "annotation", None)
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            return ""
        model = ann
    keys = [f.alias or n.replace("_", "-") for n, f in model.model_fields.items()]
    wrong = str(loc[-1]).replace("_", "-")
    close = difflib.get_close_matches(wrong, keys, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def validate_table(table: Mapping[str, Any], source: str) -> Config:
    """Validate a raw table (kebab-case keys) into a :class:`Config`; errors name the key."""
    from pydantic import ValidationError

    try:
        cfg = Config.model_validate(dict(table))
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            key = _where(err["loc"])
            if err["type"] == "extra_forbidden":
                lines.append(f"unknown key `{key}`{_did_you_mean(err['loc'])}")
            else:
                lines.append(f"`{key}`: {err['msg']}")
        raise ConfigError(f"{source}: invalid configuration: " + "; ".join(lines) + ".") from None
    _check_values(cfg, source)
    return cfg


def _check_values(cfg: Config, source: str) -> None:
    from markings.registry import MARKING_PROFILES, REDACTION_PROFILES

    if cfg.profile not in ("auto", *MARKING_PROFILES):
        raise ConfigError(f"{source}: `profile` must be one of auto, "
                          f"{', '.join(MARKING_PROFILES)}; got `{cfg.profile}`.")
    if cfg.redaction_profile is not None and cfg.redaction_profile not in REDACTION_PROFILES:
        raise ConfigError(f"{source}: `redaction-profile` must be one of "
                          f"{', '.join(REDACTION_PROFILES)}; got `{cfg.redaction_profile}`.")
    if cfg.docs_url is not None and not cfg.docs_url.startswith(("https://", "http://")):
        raise ConfigError(f"{source}: `docs-url` must be an http(s) URL; got "
                          f"`{cfg.docs_url}`.")
    from markings.output import FORMATS

    if cfg.output_format not in FORMATS:
        raise ConfigError(f"{source}: `output-format` must be one of {', '.join(FORMATS)}; "
                          f"got `{cfg.output_format}`.")


def validate_rules(cfg: Config, source: str) -> None:
    """Check rule selectors and per-rule option tables against the registry."""
    from pydantic import ValidationError

    from markings.registry import all_rules

    rules = all_rules()
    names = {r.name: r for r in rules}
    codes = [r.code for r in rules]
    checks: list[tuple[str, str, Iterable[str]]] = [
        (source, "select", cfg.select), (source, "extend-select", cfg.extend_select),
        (source, "ignore", cfg.ignore),
        *((source, f"per-file-ignores.{k}", v) for k, v in cfg.per_file_ignores.items())]
    if cfg._cli_selection is not None:
        cli_select, cli_extend, cli_ignore = cfg._cli_selection
        checks += [("command line", "--select", cli_select or ()),
                   ("command line", "--extend-select", cli_extend),
                   ("command line", "--ignore", cli_ignore)]
    for where, key, sels in checks:
        for sel in sels:
            s = sel.strip()
            if s.upper() == "ALL" or s.lower() in names:
                continue
            if s.upper().startswith("MK") and any(c.startswith(s.upper()) for c in codes):
                continue
            raise ConfigError(f"{where}: `{key}`: unknown rule selector `{s}` "
                              "(see `markings rules`).")
    for name, opts in cfg.rules.items():
        r = names.get(name)
        if r is None:
            raise ConfigError(f"{source}: unknown rule `rules.{name}` (use the rule's name, "
                              "see `markings rules`).")
        if r.options is None:
            if opts:
                raise ConfigError(f"{source}: rule `{name}` takes no options.")
            continue
        if not isinstance(opts, Mapping):
            raise ConfigError(f"{source}: `rules.{name}` must be a table of options.")
        try:
            r.options.model_validate(dict(opts))
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                key = f"rules.{name}.{_where(err['loc'])}"
                problems.append(f"unknown key `{key}`" if err["type"] == "extra_forbidden"
                                else f"`{key}`: {err['msg']}")
            raise ConfigError(f"{source}: invalid rule options: " + "; ".join(problems)
                              + ".") from None


def load_config(*, config_file: str | Path | None = None, paths: Iterable[str] = (),
                overrides: Mapping[str, Any] | None = None,
                isolated: bool = False) -> tuple[Config, Path | None]:
    """Merged configuration: ``overrides`` (command line) > file > defaults.

    ``overrides`` uses snake_case field names and replaces the file's values, except
    ``select``, ``extend_select`` and ``ignore``: those form a second selection layer above
    the file's, resolved as ruff does (:mod:`markings.selection`). A relative ``baseline``
    in the file is relative to the file's directory (one from ``overrides``: to the working
    directory). Returns the config and the file it came from (None when defaults only).
    """
    path: Path | None
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found.")
    elif isolated:
        path = None
    else:
        first = next((p for p in paths if p != "-"), None)
        path = find_config_file(first)
    table: dict[str, Any] = {}
    if path is not None:
        t = table_of(path)
        if t is None:
            raise ConfigError(f"{path}: no [tool.markings] table.")
        table = t
    base = validate_table(table, str(path) if path else "defaults")
    root = path.resolve().parent if path is not None else None
    if root is not None and base.baseline and not os.path.isabs(base.baseline):
        # Paths in a configuration file are relative to that file, not to the working
        # directory (as in ruff), so a run from a subdirectory finds the same baseline.
        base.baseline = str(root / base.baseline)
    data = base.model_dump(exclude_unset=True)
    selection: dict[str, list[str]] = {}
    for k, v in (overrides or {}).items():
        if v is None:
            continue
        if k in _SELECTION_KEYS:  # a layer above the file's, not a replacement
            selection[k] = list(v)
        else:
            data[k] = v
    cfg = validate_table(data, "command line")
    cfg._root = str(root) if root is not None else None
    if selection:
        cfg._cli_selection = (tuple(selection.get("select", ())) or None,
                              tuple(selection.get("extend_select", ())),
                              tuple(selection.get("ignore", ())))
    return cfg, path


_SELECTION_KEYS = ("select", "extend_select", "ignore")

"""Configuration files: discovery, validation (unknown keys name the key), merging."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from markings.configfile import ConfigError, find_config_file, load_config, validate_rules


def _write(p: Path, text: str) -> Path:
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def test_pyproject_table_is_found_walking_up(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.markings]\nignore = ["MK904"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    cfg, path = load_config(paths=[str(sub)])
    assert path == tmp_path / "pyproject.toml"
    assert cfg.ignore == ["MK904"]
    assert cfg._root == str(tmp_path.resolve())


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.markings]\nprofile = "isoo"\n')
    _write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_file(tmp_path / "inner") == tmp_path / "pyproject.toml"


def test_markings_toml_wins_in_same_directory(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", '[tool.markings]\nprofile = "isoo"\n')
    _write(tmp_path / ".markings.toml", 'profile = "capco"\n')
    cfg, path = load_config(paths=[str(tmp_path)])
    assert path is not None and path.name == ".markings.toml"
    assert cfg.profile == "capco"


@pytest.mark.parametrize("toml,needle", [
    ("selct = []\n", "unknown key `selct`"),
    ("fail-on = \"fatal\"\n", "`fail-on`"),
    ("profile = \"nato\"\n", "`profile` must be one of"),
    ("redaction-profile = \"all\"\n", "`redaction-profile` must be one of"),
    ("output-format = \"xml\"\n", "`output-format` must be one of"),
    ("today = \"yesterday\"\n", "`today`"),
    ("select = [\n", "invalid TOML"),
])
def test_invalid_config_names_the_key(tmp_path: Path, toml: str, needle: str) -> None:
    _write(tmp_path / ".markings.toml", toml)
    with pytest.raises(ConfigError) as exc:
        load_config(paths=[str(tmp_path)])
    assert needle in str(exc.value)
    assert ".markings.toml" in str(exc.value)


def test_cli_overrides_file_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    _write(tmp_path / ".markings.toml",
           'select = ["MK9"]\nfail-on = "warning"\ntoday = 2020-01-02\n')
    cfg, _ = load_config(paths=[str(tmp_path)], overrides={"select": ["MK001"]})
    assert cfg.selection_layers() == [(("MK9",), (), ()), (("MK001",), (), ())]
    from markings.engine import selected_rules

    # command line wins: its `select` starts afresh (input rules MK0xx are always on)
    assert {r.code[:3] for r in selected_rules(cfg, "capco")} == {"MK0"}
    assert cfg.fail_on == "warning"  # from the file
    assert cfg.today == dt.date(2020, 1, 2)
    assert cfg.output_format == "full"  # default


def test_explicit_config_and_isolated(tmp_path: Path) -> None:
    other = _write(tmp_path / "elsewhere.toml", 'ignore = ["MK901"]\n')
    _write(tmp_path / ".markings.toml", 'ignore = ["MK902"]\n')
    assert load_config(config_file=other)[0].ignore == ["MK901"]
    assert load_config(paths=[str(tmp_path)], isolated=True)[0].ignore == []
    with pytest.raises(ConfigError, match="not found"):
        load_config(config_file=tmp_path / "missing.toml")


@pytest.mark.parametrize("table,needle", [
    ({"select": ["MK999"]}, "unknown rule selector `MK999`"),
    ({"ignore": ["no-such-rule"]}, "unknown rule selector `no-such-rule`"),
    ({"rules": {"no-such-rule": {"x": 1}}}, "unknown rule `rules.no-such-rule`"),
    ({"rules": {"unused-suppression": {"x": 1}}}, "takes no options"),
])
def test_rule_references_are_validated(table: dict[str, object], needle: str) -> None:
    from markings.config import Config

    with pytest.raises(ConfigError, match=needle.replace("`", ".").replace(".", ".")):
        validate_rules(Config.model_validate(table), "test")


@pytest.mark.parametrize("sel", [["ALL"], ["MK9"], ["MK901"], ["unused-suppression"]])
def test_valid_selectors_pass(sel: list[str]) -> None:
    from markings.config import Config

    validate_rules(Config(select=sel), "test")


# --- per-rule options -----------------------------------------------------------------------

def _option_rules() -> list[object]:
    from markings.registry import all_rules

    return [r for r in all_rules() if r.options is not None]


def test_every_options_model_forbids_unknown_keys_and_takes_kebab_keys() -> None:
    from markings.config import RuleOptions

    rules = _option_rules()
    assert rules, "no rule has options: this test would check nothing"
    for r in rules:
        opts = r.options  # type: ignore[attr-defined]
        assert issubclass(opts, RuleOptions), r
        assert opts.model_config.get("extra") == "forbid", r
        for name, field in opts.model_fields.items():
            assert field.alias == name.replace("_", "-"), (r, name)


@pytest.mark.parametrize("toml,needle", [
    ("[rules.marker-length-leak]\nbogus-opt = 1\n",
     "unknown key `rules.marker-length-leak.bogus-opt`"),
    ("[rules.marker-length-leak]\nfixed-length = \"wide\"\n",
     "`rules.marker-length-leak.fixed-length`"),
    ("[rules.identifier-near-redaction]\nreport_distant = true\nwindo = 3\n",
     "unknown key `rules.identifier-near-redaction.windo`"),
    ("[rules]\nmarker-length-leak = 3\n", "`rules.marker-length-leak`"),
])
def test_invalid_rule_options_name_the_key(tmp_path: Path, toml: str, needle: str) -> None:
    _write(tmp_path / ".markings.toml", toml)
    with pytest.raises(ConfigError) as exc:
        cfg, path = load_config(paths=[str(tmp_path)])
        validate_rules(cfg, str(path))
    assert needle in str(exc.value)
    assert ".markings.toml" in str(exc.value)


@pytest.mark.parametrize("key", ["fixed-length", "fixed_length"])
def test_documented_kebab_option_keys_take_effect(tmp_path: Path, key: str) -> None:
    from markings.engine import make_context

    _write(tmp_path / ".markings.toml", f"[rules.marker-length-leak]\n{key} = 5\n")
    cfg, path = load_config(paths=[str(tmp_path)])
    validate_rules(cfg, str(path))
    ctx = make_context(cfg, "cables")
    assert ctx.opts("marker-length-leak").fixed_length == 5


def test_cli_rejects_unknown_rule_option_with_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from markings.cli import main

    _write(tmp_path / ".markings.toml", "[rules.marker-length-leak]\nbogus-opt = 1\n")
    _write(tmp_path / "a.txt", "UNCLASSIFIED\n\nText.\n\nUNCLASSIFIED\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "a.txt"]) == 2
    err = capsys.readouterr().err
    assert "unknown key `rules.marker-length-leak.bogus-opt`" in err
    assert "Traceback" not in err


def test_configuration_reference_lists_rule_options_in_kebab_case() -> None:
    from markings.docgen import configuration_page

    page = configuration_page()
    for r in _option_rules():
        for name in r.options.model_fields:  # type: ignore[attr-defined]
            kebab = name.replace("_", "-")
            assert f"| `rules.{r.name}` " in page  # type: ignore[attr-defined]
            assert f"| `{kebab}` |" in page
            if "_" in name:
                assert f"`{name}`" not in page


# --- rule selection layers (ruff's semantics) ------------------------------------------------

# (file table, command-line overrides, rules that must run, rules that must not)
SELECTION_CASES = [
    # command-line --ignore adds to the file's ignore (it does not replace it)
    ({"ignore": ["MK101"]}, {"ignore": ["MK102"]}, ["MK103"], ["MK101", "MK102"]),
    # command-line --select starts afresh: the file's select and ignore are dropped
    ({"select": ["MK1"], "ignore": ["MK101"]}, {"select": ["MK101", "MK201"]},
     ["MK101", "MK201"], ["MK102"]),
    # command-line --extend-select re-enables a rule the file ignores (a higher layer)
    ({"ignore": ["MK101"]}, {"extend_select": ["MK101"]}, ["MK101", "MK102"], []),
    # ... and keeps the file's other ignores
    ({"ignore": ["MK101", "MK102"]}, {"extend_select": ["MK101"]}, ["MK101"], ["MK102"]),
    # within one layer the more specific selector wins, whichever list it is in
    ({"select": ["MK101"], "ignore": ["MK1"]}, {}, ["MK101"], ["MK102"]),
    ({"select": ["MK1"], "ignore": ["MK101"]}, {}, ["MK102"], ["MK101", "MK201"]),
    # ... and at equal specificity ignore wins
    ({"select": ["MK101"], "ignore": ["MK101"]}, {}, [], ["MK101"]),
    ({}, {"extend_select": ["MK1"], "ignore": ["MK10"]}, ["MK111"], ["MK101"]),
    # command-line --ignore of a prefix beats the file's more specific extend-select
    ({"extend_select": ["MK701"]}, {"ignore": ["MK7"]}, ["MK101"], ["MK701"]),
    # rule names work like codes
    ({"select": ["ALL"], "ignore": ["unused-suppression"]}, {}, ["MK902"], ["MK901"]),
]


@pytest.mark.parametrize("table,cli,on,off", SELECTION_CASES)
def test_selection_layers_follow_ruff(tmp_path: Path, table: dict[str, list[str]],
                                      cli: dict[str, list[str]], on: list[str],
                                      off: list[str]) -> None:
    from markings.engine import selected_rules

    lines = [f"{k.replace('_', '-')} = {v!r}".replace("'", '"') for k, v in table.items()]
    _write(tmp_path / ".markings.toml", "\n".join(lines) + "\n")
    cfg, path = load_config(paths=[str(tmp_path)], overrides=cli)
    validate_rules(cfg, str(path))
    codes = {r.code for r in selected_rules(cfg, "capco")}
    assert set(on) <= codes, sorted(set(on) - codes)
    assert not set(off) & codes, sorted(set(off) & codes)


def test_unknown_command_line_selector_names_the_option(tmp_path: Path) -> None:
    _write(tmp_path / ".markings.toml", 'ignore = ["MK101"]\n')
    cfg, path = load_config(paths=[str(tmp_path)], overrides={"ignore": ["MK1x"]})
    with pytest.raises(ConfigError, match="command line: `--ignore`: unknown rule selector"):
        validate_rules(cfg, str(path))


# --- [settings] ------------------------------------------------------------------------------

@pytest.mark.parametrize("toml,needle", [
    ("[settings]\ncompilaton = true\n",
     "unknown key `settings.compilaton` (did you mean `compilation`?)"),
    ("[settings]\nanalytic-prodcut = true\n",
     "unknown key `settings.analytic-prodcut` (did you mean `analytic-product`?)"),
    ("[settings]\ndeny_lst = \"d.txt\"\n",
     "unknown key `settings.deny_lst` (did you mean `deny-list`?)"),
    ("[settings]\nzzz = 1\n", "unknown key `settings.zzz`."),
    ("[settings]\nrelease = \"yes please\"\n", "`settings.release`"),
    ("selct = []\n", "unknown key `selct` (did you mean `select`?)"),
    ("docs-url = \"docs/rules\"\n", "`docs-url` must be an http(s) URL"),
])
def test_settings_are_validated_and_name_the_key(tmp_path: Path, toml: str,
                                                 needle: str) -> None:
    _write(tmp_path / ".markings.toml", toml)
    with pytest.raises(ConfigError) as exc:
        load_config(paths=[str(tmp_path)])
    assert needle in str(exc.value)


@pytest.mark.parametrize("table", [
    # kebab-case, as every other key of the file
    "[settings]\ncompilation = true\nanalytic-product = true\n"
    "source-declass = [\"20301231\", \"50X1-HUM\"]\ndeny-list = \"d.txt\"\n"
    "against = \"i.db\"\nrelease = false\n",
    # snake_case, as documented before: still accepted
    "[settings]\ncompilation = true\nanalytic_product = true\n"
    "source_declass = [\"20301231\", \"50X1-HUM\"]\ndeny_list = \"d.txt\"\n"
    "against = \"i.db\"\nrelease = false\n",
])
def test_settings_keys_kebab_or_snake_reach_the_rules(tmp_path: Path, table: str) -> None:
    from markings.engine import make_context

    _write(tmp_path / ".markings.toml", table)
    cfg, _ = load_config(paths=[str(tmp_path)])
    ctx = make_context(cfg, "capco")
    assert {k: ctx.settings[k] for k in ("compilation", "analytic_product", "source_declass",
                                         "deny_list", "against", "release")} == {
        "compilation": True, "analytic_product": True,
        "source_declass": ["20301231", "50X1-HUM"], "deny_list": "d.txt",
        "against": "i.db", "release": False}


def test_every_settings_key_read_by_the_code_is_a_settings_field() -> None:
    """Each `ctx.settings.get("x")` / `settings.get("x")` in the package names a field of
    :class:`markings.config.Settings` (or the engine's own `redaction_profile`)."""
    import re

    from markings.config import Settings

    pkg = Path(__file__).resolve().parent.parent / "markings"
    read = set()
    for f in pkg.rglob("*.py"):
        read |= set(re.findall(r"settings\.get\(\s*[\"']([a-z_-]+)[\"']", f.read_text()))
    assert read, "the pattern no longer finds the settings reads"
    assert read - {"redaction_profile"} <= set(Settings.model_fields), read


def test_configuration_reference_lists_the_settings() -> None:
    from markings.config import Settings
    from markings.docgen import configuration_page

    page = configuration_page()
    assert "## Settings" in page
    for name, field in Settings.model_fields.items():
        assert f"| `{name.replace('_', '-')}` |" in page
        assert field.description and field.description in page

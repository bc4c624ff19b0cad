"""Token tables of the marking language (CAPCO Register, catalogue section 1.3).

Every control is known under three spellings: its Register *title*, its *banner
abbreviation* and its *portion* form. The canonical identifier stored in
:class:`markings.model.Marking` is the banner abbreviation. Tables are in Register order,
which is also the order required inside a category.

Country and organisation codes, country names and digraphs are *not* enumerated here: they
are looked up in the shipped data files (``markings.codes``, ``markings/data/*.csv``).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from markings.model import Level


class Token(NamedTuple):
    """One control: canonical id, Register title, banner abbreviation, portion form."""

    id: str
    title: str
    banner: str
    portion: str


# --- classification ----------------------------------------------------------------------

LEVEL_WORDS: dict[str, Level] = {
    "TOP SECRET": Level.TS, "SECRET": Level.S, "CONFIDENTIAL": Level.C,
    "UNCLASSIFIED": Level.U, "RESTRICTED": Level.R,
}
LEVEL_ABBREV: dict[str, Level] = {"TS": Level.TS, "S": Level.S, "C": Level.C, "U": Level.U,
                                  "R": Level.R}
LEVEL_PORTION: dict[Level, str] = {v: k for k, v in LEVEL_ABBREV.items()}

# NATO levels: banner title / portion abbreviation.
NATO_LEVELS: dict[Level, tuple[str, str]] = {
    Level.TS: ("COSMIC TOP SECRET", "CTS"), Level.S: ("NATO SECRET", "NS"),
    Level.C: ("NATO CONFIDENTIAL", "NC"), Level.R: ("NATO RESTRICTED", "NR"),
    Level.U: ("NATO UNCLASSIFIED", "NU"),
}
NATO_LEVEL_LOOKUP: dict[str, Level] = {
    **{t: lv for lv, (t, _) in NATO_LEVELS.items()},
    **{p: lv for lv, (_, p) in NATO_LEVELS.items()},
}
NATO_CONTROLS: tuple[str, ...] = ("ATOMAL", "BALK", "BOHEMIA")

# Words that may never qualify a classification level (32 CFR 2001.23(a)).
PROHIBITED_QUALIFIERS: frozenset[str] = frozenset(
    {"SENSITIVE", "AGENCY", "ADMINISTRATIVELY", "CONTROLLED", "LIMITED", "OFFICIAL"})

# --- dissemination controls --------------------------------------------------------------

DISSEM: tuple[Token, ...] = (
    Token("RSEN", "RISK SENSITIVE", "RSEN", "RS"),
    Token("FOUO", "FOR OFFICIAL USE ONLY", "FOUO", "FOUO"),
    Token("ORCON", "ORIGINATOR CONTROLLED", "ORCON", "OC"),
    Token("ORCON-USGOV", "ORIGINATOR CONTROLLED-USGOV", "ORCON-USGOV", "OC-USGOV"),
    Token("IMCON", "CONTROLLED IMAGERY", "IMCON", "IMC"),
    Token("NOFORN", "NOT RELEASABLE TO FOREIGN NATIONALS", "NOFORN", "NF"),
    Token("PROPIN", "CAUTION-PROPRIETARY INFORMATION INVOLVED", "PROPIN", "PR"),
    Token("REL TO", "AUTHORIZED FOR RELEASE TO", "REL TO", "REL TO"),
    Token("RELIDO", "RELEASABLE BY INFORMATION DISCLOSURE OFFICIAL", "RELIDO", "RELIDO"),
    Token("EYES ONLY", "EYES ONLY", "EYES ONLY", "EYES ONLY"),
    Token("DSEN", "DEA SENSITIVE", "DSEN", "DSEN"),
    Token("RAWFISA", "RAW FOREIGN INTELLIGENCE SURVEILLANCE ACT", "RAWFISA", "RAWFISA"),
    Token("FISA", "FOREIGN INTELLIGENCE SURVEILLANCE ACT", "FISA", "FISA"),
    Token("DISPLAY ONLY", "DISPLAY ONLY", "DISPLAY ONLY", "DISPLAY ONLY"),
)

NONIC: tuple[Token, ...] = (
    Token("LIMDIS", "LIMITED DISTRIBUTION", "LIMDIS", "DS"),
    Token("EXDIS", "EXCLUSIVE DISTRIBUTION", "EXDIS", "XD"),
    Token("NODIS", "NO DISTRIBUTION", "NODIS", "ND"),
    Token("SBU", "SENSITIVE BUT UNCLASSIFIED", "SBU", "SBU"),
    Token("SBU NOFORN", "SENSITIVE BUT UNCLASSIFIED NOFORN", "SBU NOFORN", "SBU-NF"),
    Token("LES", "LAW ENFORCEMENT SENSITIVE", "LES", "LES"),
    Token("LES NOFORN", "LAW ENFORCEMENT SENSITIVE NOFORN", "LES NOFORN", "LES-NF"),
    Token("SSI", "SENSITIVE SECURITY INFORMATION", "SSI", "SSI"),
    # Older State administrative control (predecessor of SBU); kept last.
    Token("LIMITED OFFICIAL USE", "LIMITED OFFICIAL USE", "LIMITED OFFICIAL USE", "LOU"),
)

AEA: tuple[Token, ...] = (
    Token("RD", "RESTRICTED DATA", "RD", "RD"),
    Token("CNWDI", "CRITICAL NUCLEAR WEAPON DESIGN INFORMATION", "CNWDI", "CNWDI"),
    Token("FRD", "FORMERLY RESTRICTED DATA", "FRD", "FRD"),
    Token("DOD UCNI", "DOD UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION", "DOD UCNI", "DCNI"),
    Token("DOE UCNI", "DOE UNCLASSIFIED CONTROLLED NUCLEAR INFORMATION", "DOE UCNI", "UCNI"),
    Token("TFNI", "TRANSCLASSIFIED FOREIGN NUCLEAR INFORMATION", "TFNI", "TFNI"),
)
SIGMA_WORDS = ("SIGMA", "SG")  # banner / portion spelling of SIGMA n

# Known SCI control systems (unpublished systems are allowed too).
SCI_SYSTEMS: dict[str, str] = {
    "HCS": "HCS", "RSV": "RSV", "RESERVE": "RSV", "SI": "SI", "TK": "TK",
    "TALENT KEYHOLE": "TK", "KDK": "KDK", "KLONDIKE": "KDK", "EL": "EL", "ENDSEAL": "EL",
    "BUR": "BUR", "KLM": "KLM", "KLAMATH": "KLM", "MVL": "MVL", "MARVEL": "MVL",
}
SCI_NEEDS_COMPARTMENT: frozenset[str] = frozenset({"HCS", "RSV"})
# Compartments that users sometimes write without their system (B17): compartment -> system.
SCI_ORPHAN_COMPARTMENTS: dict[str, str] = {
    "G": "SI", "GAMMA": "SI", "ECRU": "SI", "EU": "SI", "NONBOOK": "SI", "NK": "SI",
    "BLFH": "TK", "IDIT": "TK", "KAND": "TK", "BLUEFISH": "TK", "IDITAROD": "TK",
    "KANDIK": "TK",
}

# Declassification values once appended to banners (pre-Feb-2008).
LEGACY_DECLASS_WORDS: frozenset[str] = frozenset(
    {"MR", "OADR"} | {f"X{i}" for i in range(1, 9)} | {f"25X{i}" for i in range(1, 10)}
    | {"50X1-HUM", "50X2-WMD"})

# --- country and organisation codes (the data lives in markings/data, see markings.codes) -

# Deprecated tetragraphs and the date after which they are flagged (catalogue 1.4, B20).
DEPRECATED_CODES: dict[str, str] = {"ISAF": "2016-03-17", "EFOR": "2016-03-17",
                                    "SFOR": "2016-03-17"}


@cache
def code_kind(code: str) -> str:
    """``"tetragraph"``, ``"trigraph"``, ``"name"`` (country name, digraph or other alias in
    ``markings/data/aliases.csv``) or ``"unknown"``; all by lookup in the shipped data."""
    from markings import codes

    if codes.is_tetragraph(code):
        return "tetragraph"
    if codes.is_trigraph(code):
        return "trigraph"
    if codes.country_code_for(code) is not None:
        return "name"
    return "unknown"


@cache
def name_code(name: str) -> str | None:
    """The code a country name, digraph or alias stands for (``LIBYA`` -> ``LBY``)."""
    from markings import codes

    return codes.country_code_for(name)


@cache
def code_sort_key(code: str, usa_first: bool = True) -> tuple[int, str]:
    """Sort key for REL TO / FGI / JOINT lists: [USA], trigraphs, then tetragraphs."""
    if usa_first and code == "USA":
        return (0, "")
    return (2 if code_kind(code) == "tetragraph" else 1, code)


# --- known tokens outside the vocabulary checked here (catalogue 1.3) ------------------------
#
# ISM 2022 lists machine-only and non-IC dissemination values (EXEMPT_FROM_ICD501_DISCOVERY,
# WAIVED for DoD) and the CUI limited-dissemination controls (AC, AWP, DL_ONLY, FED_ONLY,
# FEDCON, NOCON ...); LACONIC (portion LAC) appears in the ISM V10 renderer only. The
# catalogue treats all of them as known-but-out-of-scope: they are read (into the dissem
# category, under their ISM spelling), never guessed as SCI systems or typos, and recorded
# as a ``syntax-unknown-token`` deviation that says why they are not checked.
OUT_OF_SCOPE: dict[str, tuple[str, str]] = {
    "EXEMPT_FROM_ICD501_DISCOVERY": ("EXEMPT_FROM_ICD501_DISCOVERY",
                                     "ISM machine-only value"),
    "WAIVED": ("WAIVED", "DoD value outside the CAPCO Register"),
    "LACONIC": ("LACONIC", "legacy value, ISM V10 only"),
    "LAC": ("LACONIC", "legacy value, ISM V10 only"),
    **{w: (w.replace(" ", "_"), "CUI limited-dissemination control")
       for w in ("AC", "AWP", "DL_ONLY", "DL ONLY", "FED_ONLY", "FED ONLY", "FEDCON",
                 "NOCON")},
}
OUT_OF_SCOPE_IDS: frozenset[str] = frozenset(i for i, _ in OUT_OF_SCOPE.values())


# --- lookup tables built from the above --------------------------------------------------

class Form(NamedTuple):
    """How a written control maps to the model: category, canonical id and spelling used."""

    category: str  # "dissem", "nonic", "aea"
    id: str
    form: str  # "title", "banner", "portion" or "both" (banner == portion spelling)


def _build_controls() -> dict[str, Form]:
    out: dict[str, Form] = {}
    for cat, table in (("dissem", DISSEM), ("nonic", NONIC), ("aea", AEA)):
        for t in table:
            if t.id in ("REL TO", "EYES ONLY", "DISPLAY ONLY"):
                continue
            out.setdefault(t.title, Form(cat, t.id, "title"))
            same = t.banner == t.portion
            out[t.banner] = Form(cat, t.id, "both" if same else "banner")
            if not same:
                out[t.portion] = Form(cat, t.id, "portion")
    return out


CONTROLS: dict[str, Form] = _build_controls()
REGISTER_INDEX: dict[str, int] = {t.id: i for table in (DISSEM, NONIC, AEA)
                                  for i, t in enumerate(table)}
BANNER_OF: dict[str, str] = {t.id: t.banner for t in (*DISSEM, *NONIC, *AEA)}
PORTION_OF: dict[str, str] = {t.id: t.portion for t in (*DISSEM, *NONIC, *AEA)}
PORTION_OF["LACONIC"] = "LAC"


@cache
def vocabulary(kind: str = "banner") -> tuple[str, ...]:
    """Every known marking word for suggestions (``difflib``), preferring ``kind`` spellings."""
    words: list[str] = []
    for t in (*DISSEM, *NONIC, *AEA):
        words.append(t.portion if kind == "portion" else t.banner)
    for t in (*DISSEM, *NONIC, *AEA):
        words.append(t.banner if kind == "portion" else t.portion)
    words += list(LEVEL_WORDS) + list(LEVEL_ABBREV) + list(SCI_SYSTEMS) + list(NATO_CONTROLS)
    words += ["REL", "REL TO", "FGI", "SAR", "JOINT", "EYES", "UNCLAS"]
    seen: dict[str, None] = {}
    for w in words:
        seen.setdefault(w, None)
    return tuple(seen)

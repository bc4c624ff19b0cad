"""Token tables of the marking language (CAPCO Register, catalogue section 1.3).

Every control is known under three spellings: its Register *title*, its *banner
abbreviation* and its *portion* form. The canonical identifier stored in
:class:`markings.model.Marking` is the banner abbreviation. Tables are in Register order,
which is also the order required inside a category.

Country and organisation codes are *not* enumerated here (see ``markings.codes``); only the
small tables the parser needs to normalise legacy forms (country names, digraphs) live here.
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

# --- country names and digraphs (legacy forms only; codes live in markings.codes) -------

COUNTRY_NAMES: dict[str, str] = {
    "UNITED STATES": "USA", "US": "USA", "RUSSIA": "RUS", "UNITED KINGDOM": "GBR", "UK": "GBR",
    "BRITAIN": "GBR", "GREAT BRITAIN": "GBR", "AUSTRALIA": "AUS", "CANADA": "CAN",
    "NEW ZEALAND": "NZL", "GERMANY": "DEU", "FRANCE": "FRA", "ITALY": "ITA", "JAPAN": "JPN",
    "UZBEKISTAN": "UZB", "AFGHANISTAN": "AFG", "IRAQ": "IRQ", "PAKISTAN": "PAK",
    "TURKEY": "TUR", "SPAIN": "ESP", "NETHERLANDS": "NLD", "POLAND": "POL", "ISRAEL": "ISR",
    "KOREA": "KOR", "SOUTH KOREA": "KOR", "NORWAY": "NOR", "DENMARK": "DNK", "BELGIUM": "BEL",
    "GEORGIA": "GEO", "UKRAINE": "UKR", "KAZAKHSTAN": "KAZ", "KYRGYZSTAN": "KGZ",
    "TAJIKISTAN": "TJK", "TURKMENISTAN": "TKM", "JORDAN": "JOR", "EGYPT": "EGY",
    "SAUDI ARABIA": "SAU", "INDIA": "IND", "CHINA": "CHN", "MEXICO": "MEX", "COLOMBIA": "COL",
    "ROMANIA": "ROU", "BULGARIA": "BGR", "GREECE": "GRC", "PORTUGAL": "PRT", "SWEDEN": "SWE",
    "FINLAND": "FIN", "CZECH REPUBLIC": "CZE", "HUNGARY": "HUN", "LITHUANIA": "LTU",
    "LATVIA": "LVA", "ESTONIA": "EST", "ALBANIA": "ALB", "CROATIA": "HRV", "SLOVAKIA": "SVK",
    "SLOVENIA": "SVN", "AZERBAIJAN": "AZE", "ARMENIA": "ARM", "UAE": "ARE", "QATAR": "QAT",
    "KUWAIT": "KWT", "BAHRAIN": "BHR", "OMAN": "OMN", "YEMEN": "YEM", "LEBANON": "LBN",
    "SWITZERLAND": "CHE", "AUSTRIA": "AUT", "IRELAND": "IRL", "BRAZIL": "BRA",
    "ARGENTINA": "ARG", "CHILE": "CHL", "PHILIPPINES": "PHL", "INDONESIA": "IDN",
    "SINGAPORE": "SGP", "THAILAND": "THA", "MALAYSIA": "MYS", "TAIWAN": "TWN",
    # common digraphs seen in legacy marks
    "GB": "GBR", "AU": "AUS", "CA": "CAN", "NZ": "NZL", "DE": "DEU", "FR": "FRA", "IT": "ITA",
    "JP": "JPN", "RU": "RUS", "NL": "NLD", "ES": "ESP", "TR": "TUR", "PL": "POL", "KR": "KOR",
    "IL": "ISR", "NO": "NOR", "DK": "DNK", "BE": "BEL",
}

# Tetragraph fallback used until ``markings.codes`` is available.
_TETRAGRAPH_FALLBACK: frozenset[str] = frozenset({
    "FVEY", "ACGU", "TEYE", "NATO", "ISAF", "EFOR", "SFOR", "KFOR", "NACT", "GCTF", "CMFC",
    "CMFP", "CPMT", "FMCC", "MCFI", "MIFH", "MLEC", "NSG", "OSTY", "UNCK", "EU", "AUSTRALIA_GROUP",
    "ECOWAS", "RSMA", "SPAA", "TSPI",
})
# Deprecated tetragraphs and the date after which they are flagged (catalogue 1.4, B20).
DEPRECATED_CODES: dict[str, str] = {"ISAF": "2016-03-17", "EFOR": "2016-03-17",
                                    "SFOR": "2016-03-17"}


def is_tetragraph(code: str) -> bool:
    """True if ``code`` is an organisation/coalition code (table lookup, not length)."""
    try:
        from markings import codes  # type: ignore[attr-defined]
    except ImportError:
        return code in _TETRAGRAPH_FALLBACK or code.startswith("NATO:")
    fn = getattr(codes, "is_tetragraph", None)
    if fn is None:
        return code in _TETRAGRAPH_FALLBACK
    return bool(fn(code))


@cache
def code_kind(code: str) -> str:
    """``"tetragraph"``, ``"trigraph"``, ``"name"`` (country name or digraph) or ``"unknown"``."""
    if is_tetragraph(code):
        return "tetragraph"
    if code in COUNTRY_NAMES and (len(code) != 3 or code == "UAE"):
        return "name"
    if len(code) == 3 and code.isalpha() or code in ("AX2", "AX1"):
        return "trigraph"
    return "unknown"


@cache
def code_sort_key(code: str, usa_first: bool = True) -> tuple[int, str]:
    """Sort key for REL TO / FGI / JOINT lists: [USA], trigraphs, then tetragraphs."""
    if usa_first and code == "USA":
        return (0, "")
    return (2 if code_kind(code) == "tetragraph" else 1, code)


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

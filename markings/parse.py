"""Parse classification markings and authority lines into the typed model.

Three layers, each small:

1. *Pre-normalisation* (``_prenormalise``): strip, uppercase, remove padding inside the
   parentheses and around separators, join spaced letters (``S E C R E T``). Every change
   is recorded as a :class:`~markings.model.Deviation`.
2. *Shape*: the string is split into categories (``//``) and items (``/``, ``,``, ``AND``).
   A precompiled regular expression handles the common simple shapes (``(C)``,
   ``(S//NF)``, ``SECRET//REL TO USA, GBR``); everything else goes through the Lark LALR
   grammar (``grammar/markings.lark``). Both produce the same tuple structure; a property
   test checks that they agree.
3. *Interpretation* (``_interpret``): items are looked up in the Register tables
   (``markings.vocab``) and a :class:`~markings.model.Marking` is built, recording every
   non-canonical form as a deviation named by the catalogue slug that reports it.

All public functions are memoised by the exact input string and raise only
:class:`~markings.model.MarkingSyntaxError`.
"""

from __future__ import annotations

import datetime as _dt
import operator
import re
from functools import cache, lru_cache
from collections.abc import Callable
from typing import Any

from markings import vocab as V
from markings.findings import trusted_model
from markings.model import (
    ERR_DELIMITERS,
    ERR_UNKNOWN_TOKEN,
    AuthorityBlock,
    DeclassValue,
    Deviation,
    Level,
    Marking,
    MarkingKind,
    MarkingSyntaxError,
    Reason,
    SciCompartment,
    SciSystem,
)
from markings.render import render_banner, render_portion

Item = tuple[str, str]  # (separator before the item: "", "/", ",", "AND"; item text)
Shape = tuple[tuple[Item, ...], ...]  # categories of items; () is an empty category

_CACHE_SIZE = 1 << 17
_MISS = object()

# --------------------------------------------------------------------------- shape layer

# The grammar's shape restricted to plain words: an item is words of [A-Z0-9-] each starting
# with a letter or digit (a grammar WORD), items are joined by ", ", "/" or "//"; a leading
# "//" (non-US and JOINT markings) is an empty first category.
_FAST_WORD = r"[A-Z0-9][A-Z0-9_:'.-]*"  # the grammar's WORD
_FAST_ITEM = rf"{_FAST_WORD}(?: {_FAST_WORD})*"
_FAST = re.compile(rf"(?://)?{_FAST_ITEM}(?:(?:, |//?){_FAST_ITEM})*")
# spaces next to a run of slashes (`` *(/+) *`` -> ``\1``; an empty replacement keeps
# re.sub off its slow template path)
_PAD_SEP = re.compile(r" +(?=/)|(?<=/) +")
_SPACED = re.compile(r"^((?:[A-Z] ){2,}[A-Z])(?= |/|$)")
_WS = re.compile(r"\s+")
_AND_WORD = re.compile(r"(?<![A-Z0-9_:'.-])AND(?![A-Z0-9_:'.-])")


def shape_fast(body: str) -> Shape | None:
    """Split a simple, already normalised marking body; None when the fast path does not apply.

    The word ``AND`` is a separator where the grammar's contextual lexer reads it as one:
    after a word (``ORCON AND NOFORN``, ``USA AND GBR``) and right after a comma
    (``GBR, AND DEU``: one separator); at the start of a category, after ``/`` and after
    another ``AND`` it is a word. A trailing ``AND`` is left to :func:`shape_lark` (an error).
    """
    if _FAST.fullmatch(body) is None:
        return None
    has_and = "AND" in body and _AND_WORD.search(body) is not None
    cats: list[tuple[Item, ...]] = []
    for cat in body.split("//"):
        if not cat:  # only the leading one can be empty (see _FAST)
            cats.append(())
            continue
        items: list[Item] = []
        for j, part in enumerate(cat.split("/")):
            for k, piece in enumerate(part.split(", ")):
                sep = "" if j == 0 and k == 0 else ("," if k else "/")
                if not has_and:
                    items.append((sep, piece))
                    continue
                words = piece.split(" ")
                i = 0
                if sep == "," and words[0] == "AND":  # COMMA AND: one separator
                    sep, i = "AND", 1
                    if len(words) == 1:
                        return None
                item = [words[i]]  # a word, even "AND"
                i += 1
                while i < len(words):
                    w = words[i]
                    if w == "AND":
                        if i + 1 == len(words):
                            return None  # nothing after AND: the grammar's error
                        items.append((sep, " ".join(item)))
                        sep, item = "AND", [words[i + 1]]
                        i += 2
                    else:
                        item.append(w)
                        i += 1
                items.append((sep, " ".join(item)))
        cats.append(tuple(items))
    return tuple(cats)


def shape_lark(body: str, kind: str) -> Shape:
    """Split a normalised marking body with the Lark grammar (raises MarkingSyntaxError)."""
    from lark.exceptions import UnexpectedInput

    from markings.grammar import get_parser

    text = f"({body})" if kind == "portion" else body
    try:
        tree = get_parser().parse(text, start=kind)
    except UnexpectedInput as exc:
        pos = getattr(exc, "pos_in_stream", None) or 0
        names = tuple(sorted(getattr(exc, "expected", None) or
                             getattr(exc, "allowed", None) or ()))
        raise MarkingSyntaxError(
            f"Marking cannot be read at column {pos + 1}: expected one of "
            f"{', '.join(_pretty_expected(names)) or 'nothing more'}.",
            text=text, position=pos,
            expected=tuple(_PLAIN_EXPECTED.get(n.lstrip("_"), n) for n in names)) from None
    marking = tree.children[0]
    cats: list[tuple[Item, ...]] = []
    for child in marking.children:
        if not hasattr(child, "children"):
            continue  # a DSEP token
        items: list[Item] = []
        sep = ""
        for node in child.children:
            if node.data == "isep":
                sep = str(node.children[-1])  # ", AND" counts as AND
            else:
                items.append((sep, " ".join(str(t) for t in node.children)))
                sep = ""
        cats.append(tuple(items))
    return tuple(cats)


_PLAIN_EXPECTED = {"DSEP": "//", "SLASH": "/", "COMMA": ",", "AND": "AND",
                   "WORD": "marking token", "RPAR": ")", "LPAR": "(", "$END": "end of marking"}


# What Lark expects where a body opens with a single slash (``/NATO CONFIDENTIAL``,
# ``(/NC)``): the terminals of the state before the first item (after ``(`` in a portion).
# The contextual lexer fails on the slash whatever follows it, so the error is the same for
# every such body (a test compares it with Lark's); ``_parse_body`` raises it without
# running Lark.
_LEAD_SLASH_EXPECTED = {"banner": ("DSEP", "WORD"), "portion": ("DSEP", "WORD", "_RPAR")}


def _lead_slash_error(body: str, kind: str) -> MarkingSyntaxError:
    """The error ``shape_lark(body, kind)`` raises for a body opening with ``/`` and no
    second ``/``."""
    text = f"({body})" if kind == "portion" else body
    pos = 1 if kind == "portion" else 0
    names = _LEAD_SLASH_EXPECTED[kind]
    return MarkingSyntaxError(
        f"Marking cannot be read at column {pos + 1}: expected one of "
        f"{', '.join(_pretty_expected(names)) or 'nothing more'}.",
        text=text, position=pos,
        expected=tuple(_PLAIN_EXPECTED.get(n.lstrip("_"), n) for n in names))


def _pretty_expected(names: tuple[str, ...]) -> list[str]:
    pretty = {"DSEP": "`//`", "SLASH": "`/`", "COMMA": "`,`", "AND": "`AND`",
              "WORD": "a marking token", "RPAR": "`)`", "LPAR": "`(`", "$END": "end"}
    return [pretty.get(n.lstrip("_"), n) for n in names]


# --------------------------------------------------------------------------- pre-normalisation

def _prenormalise(text: str, kind: MarkingKind | None) -> tuple[str, str, list[Deviation], bool]:
    """Return (kind, body, deviations, spaced) for a candidate marking string."""
    devs: list[Deviation] = []
    s = text.strip()
    if not s:
        raise MarkingSyntaxError("Empty marking.", text=text)
    if kind is None or kind == "unknown":
        kind = "portion" if s[0] in "([" or s[-1] in ")]" else "banner"
    if kind == "portion":
        if s[0] != "(" or s[-1] != ")" or s.count("(") != 1 or s.count(")") != 1:
            raise MarkingSyntaxError(
                f"{ERR_DELIMITERS}, e.g. `(S)`.",
                text=text, position=0, expected=("(", ")"))
        inner = s[1:-1]
        if inner != inner.strip() or "  " in inner:
            devs.append(_PADDED_PARENS)
            inner = inner.strip()
        body = inner
    else:
        body = s
    if "\t" in body or "\n" in body or "  " in body:
        body = _WS.sub(" ", body)
    if not body.isupper() and any(map(str.islower, body)):
        devs.append(_LOWERCASE_PORTION if kind == "portion" else _LOWERCASE_BANNER)
        body = body.upper()
    spaced = False
    if kind == "banner" and body[1:2] == " ":  # _SPACED needs a letter then a space
        m = _SPACED.match(body)
        if m:
            spaced = True
            joined = m.group(1).replace(" ", "")
            if joined == "TOPSECRET":  # `T O P S E C R E T`: the word space is lost too
                joined = "TOP SECRET"
            body = joined + body[m.end():]
    if "/ " in body or " /" in body:
        new = _PAD_SEP.sub("", body)
        if new != body:
            devs.append(_PADDED_SEPARATOR)
            body = new
    return kind, body, devs, spaced


# --------------------------------------------------------------------------- interpretation

_RANK = {"nato": 0, "sci": 1, "sap": 2, "aea": 3, "fgi": 4, "dissem": 5, "nonic": 6,
         "declass": 7}
_CABLE_HEADS = {"UNCLAS", "UNCLAS SENSITIVE", "UNCLAS EFTO"}
_LEVEL_RE = re.compile(r"^(TOP SECRET|SECRET|CONFIDENTIAL|UNCLASSIFIED|RESTRICTED|UNCLAS|"
                       r"TS|S|C|U|R)(?: (.*))?$")
_LEGACY_FGI = re.compile(r"^([A-Z]{2,4})-(TS|S|C|R|U)$")
_DATE8 = re.compile(r"^(19|20)\d{6}$")
_SCI_SHAPE = re.compile(r"^[A-Z0-9]{2,6}(?:-[A-Z0-9]+(?: [A-Z0-9]+)*)*$")
_LEGACY_SLUGS = {"syntax-within-category-separator", "syntax-legacy-banner-declass",
                 "dod-legacy-fgi-portion", "syntax-sap", "syntax-category-separator"}


class _B:
    """Mutable builder for one marking (kept private; converted to a frozen Marking)."""

    __slots__ = ("kind", "devs", "level", "owner", "joint", "nato", "sci", "sap", "aea", "fgi",
                 "dissem", "rel", "rel_abbrev", "display", "eyes", "nonic", "declass", "cable",
                 "ranks", "ids", "ctxdep", "keys", "cable_dev")

    def __init__(self, kind: str, devs: list[Deviation]) -> None:
        self.kind = kind
        self.devs = devs
        # (rule, detail, canonical) of every deviation in ``devs``, kept with it: a new
        # deviation is looked up here instead of compared field by field with each one
        # before it (``_has``; ~12 per marking with a list of country names)
        self.keys = {(d.rule, d.detail, d.canonical) for d in devs}
        self.level = Level.U
        self.owner: str | None = None
        self.joint: list[str] = []
        self.nato: list[str] = []
        self.sci: list[SciSystem] = []
        self.sap: list[str] = []
        self.aea: list[str] = []
        self.fgi: list[str] | None = None
        self.dissem: list[str] = []
        self.rel: list[str] = []
        self.rel_abbrev = False
        self.display: list[str] = []
        self.eyes: list[str] = []
        self.nonic: list[str] = []
        self.declass: str | None = None
        self.cable = False
        self.ranks: list[set[int]] = []  # per written category
        self.ids: list[str] = []  # every token id as written, for duplicates
        self.ctxdep = False  # the items read state of earlier categories (not cacheable)
        # the ``cable-rel-country-names`` deviation ``_lists`` adds when the marking is
        # cable style (kept when it is not: see _slash_tail)
        self.cable_dev: Deviation | None = None

    def dev(self, rule: str, detail: str, canonical: str | None = None) -> None:
        """Record a deviation unless an equal one is recorded (``_has``)."""
        key = (rule, detail, canonical)
        if key not in self.keys:
            self.keys.add(key)
            self.devs.append(_dev(rule, detail, canonical))

    def add(self, d: Deviation) -> None:
        """``dev`` for a deviation object."""
        key = (d.rule, d.detail, d.canonical)
        if key not in self.keys:
            self.keys.add(key)
            self.devs.append(d)


# Deviations are frozen and recur across markings ("lowercase letters", "REL TO without
# USA" ...): one shared object per (rule, detail, canonical), no validation per parse.
_DEV_CACHE: dict[tuple[str, str, str | None], Deviation] = {}


def _dev(rule: str, detail: str, canonical: str | None = None) -> Deviation:
    key = (rule, detail, canonical)
    d = _DEV_CACHE.get(key)
    if d is None:
        if len(_DEV_CACHE) >= 1 << 16:
            _DEV_CACHE.clear()
        d = _DEV_CACHE[key] = Deviation(rule=rule, detail=detail, canonical=canonical)
    return d


# pre-normalisation's deviations (``_dev`` of each, looked up once)
_PADDED_PARENS = _dev("syntax-portion-delimiters", "padded parentheses")
_LOWERCASE_PORTION = _dev("syntax-portion-delimiters", "lowercase letters")
_LOWERCASE_BANNER = _dev("syntax-banner-form", "lowercase letters")
_PADDED_SEPARATOR = _dev("syntax-empty-or-padded-category", "space next to a separator")


def _has(devs: list[Deviation] | tuple[Deviation, ...], d: Deviation) -> bool:
    """``d in devs`` by identity or by field values (pydantic's ``__eq__`` is slow)."""
    for x in devs:
        if x is d or (x.rule == d.rule and x.detail == d.detail
                      and x.canonical == d.canonical):
            return True
    return False


def _unknown(token: str, kind: str, text: str,
             expected: tuple[str, ...] = ("marking token",)) -> MarkingSyntaxError:
    """The error for a token in no table: ``expected`` names what may stand there; the
    suggestion is the closest vocabulary word, never the token itself (``SAR`` alone)."""
    sugg = _close(token, kind)
    if sugg == token:
        sugg = None
    hint = f" Did you mean `{sugg}`?" if sugg else ""
    return _found_at(MarkingSyntaxError(f"{ERR_UNKNOWN_TOKEN} `{token}`.{hint}", text=text,
                                        position=_find_token(text, token), expected=expected,
                                        suggestion=sugg, token=token), token)


def _found_at(exc: MarkingSyntaxError, find: str | None) -> MarkingSyntaxError:
    """Note on an interpreter error how its position was found: ``_find_token(exc.text,
    find)``, or 0 when ``find`` is None. Only errors so noted are memoised per body
    (``_BODY_ERRORS``): for another string with the same body the error is the same but for
    its text and that position."""
    exc._find = find  # type: ignore[attr-defined]
    return exc


def _find_token(text: str, token: str) -> int:
    """Offset of ``token`` (upper case, normalised spacing) in ``text`` as written: any case,
    any spacing between its letters (``secret//nofron``, ``S E C R E T``); 0 if not found."""
    chars = [c for c in token if not c.isspace()]
    if not chars:
        return 0
    core = r"\s*".join(re.escape(c) for c in chars)
    for pat in (r"(?<![A-Za-z0-9])" + core + r"(?![A-Za-z0-9])", core):
        m = re.search(pat, text, re.IGNORECASE)
        if m:
            return m.start()
    return 0


_RANK_NAMES = {0: "NATO control", 1: "SCI control system", 2: "SAP (`SAR-`)",
               3: "AEA marking", 4: "FGI", 5: "dissemination control",
               6: "non-IC dissemination control"}


def _expected_at(b: _B, work: list[tuple[int, str, str]], idx: int) -> tuple[str, ...]:
    """What may stand at ``work[idx]``: the values of its category when it continues one,
    else every category that may follow the ones before it (catalogue 1.2 order)."""
    ci = work[idx][0]
    if idx and work[idx - 1][0] == ci and b.ranks[ci]:
        return tuple(_RANK_NAMES[r] for r in sorted(b.ranks[ci]) if r in _RANK_NAMES)
    before = [r for rs in b.ranks[:ci] for r in rs]
    low = max(before) + 1 if before and ci else 0
    return tuple(name for r, name in _RANK_NAMES.items() if r >= low) or ("end of marking",)


@lru_cache(maxsize=4096)
def _close(token: str, kind: str) -> str | None:
    """``difflib.get_close_matches(token, V.vocabulary(kind), n=1, cutoff=0.6)``, or None.

    Same result, computed faster: a packed-integer count of shared characters (difflib's
    ``quick_ratio`` numerator) for every vocabulary word at once discards the words that
    cannot reach the cutoff; difflib's exact ``ratio`` decides among the rest.
    """
    import difflib  # error paths only: kept out of the import of this module

    words, lens, cols = _close_index(kind)
    lt = len(token)
    counts: dict[str, int] = {}
    for c in token:
        counts[c] = counts.get(c, 0) + 1
    packed = 0
    for c, n in counts.items():
        col = cols.get(c)
        if col is not None:
            packed += col[min(n, len(col)) - 1]
    shared = packed.to_bytes(len(words), "little")
    # difflib's quick_ratio test, 2.0*m/(lt+lx) >= 0.6, loosened by one character
    cands = [w for w, m, lx in zip(words, shared, lens, strict=False) if 10 * m >= 3 * (lt + lx) - 1]
    if not cands:
        return None
    sm = difflib.SequenceMatcher()
    sm.set_seq2(token)
    result = []
    for w in cands:
        sm.set_seq1(w)
        # ratio <= quick_ratio <= real_quick_ratio: ratio() alone decides (same floats)
        r = sm.ratio()
        if r >= 0.6:
            result.append((r, w))
    return max(result)[1] if result else None


@cache
def _close_index(kind: str) -> tuple[tuple[str, ...], tuple[int, ...], dict[str, list[int]]]:
    """Vocabulary words, their lengths and, per character c, packed integers whose byte i is
    min(n, count of c in word i) for n = 1, 2, ... (one byte each: words are < 256 chars)."""
    words = V.vocabulary(kind)
    assert all(len(w) < 256 for w in words)
    per_word = []
    for w in words:
        cnt: dict[str, int] = {}
        for c in w:
            cnt[c] = cnt.get(c, 0) + 1
        per_word.append(cnt)
    cols: dict[str, list[int]] = {}
    for c in sorted({c for w in words for c in w}):
        top = max(cnt.get(c, 0) for cnt in per_word)
        cols[c] = [sum(min(n, cnt.get(c, 0)) << (8 * i) for i, cnt in enumerate(per_word))
                   for n in range(1, top + 1)]
    return words, tuple(len(w) for w in words), cols


def _level_of(words: str) -> tuple[Level, str] | None:
    """(level, form) for a level spelling: form "word", "abbrev" or "cable"."""
    if words in V.LEVEL_WORDS:
        return V.LEVEL_WORDS[words], "word"
    if words in V.LEVEL_ABBREV:
        return V.LEVEL_ABBREV[words], "abbrev"
    if words == "UNCLAS":
        return Level.U, "cable"
    return None


def _code(b: _B, code: str, list_rule: str) -> str:
    """Normalise one country/organisation code, recording names, digraphs and unknowns.

    Codes, names and digraphs are looked up in the shipped data (``markings.codes``): a
    name becomes its code (``LIBYA`` -> ``LBY``); a code in no table (``QQQ``) is kept. Both
    are noted as ``_CODE`` items, which ``_lists`` turns into one ``syntax-country-code``
    deviation per marking (catalogue B08).
    """
    kind = V.code_kind(code)
    if kind == "name":
        tri = V.name_code(code)
        b.dev(_CODE, code, tri)
        return tri  # type: ignore[return-value]
    if kind == "unknown":
        b.dev(_CODE, code)
    return code


def _split_codes(words: str) -> list[str]:
    """A space-written list split into entries: multiword names (``SAUDI ARABIA``,
    ``AUSTRALIA GROUP``) are taken whole, longest first; ``AND`` stays an entry of its own
    (a separator, never Andorra)."""
    ws = words.split(" ")
    if len(ws) == 1:
        return ws
    out: list[str] = []
    i, n = 0, len(ws)
    while i < n:
        if ws[i] != "AND":
            for j in range(min(n, i + 5), i + 1, -1):
                phrase = " ".join(ws[i:j])
                if "AND" not in ws[i:j] and V.code_kind(phrase) != "unknown":
                    out.append(phrase)
                    i = j
                    break
            else:
                out.append(ws[i])
                i += 1
        else:
            out.append("AND")
            i += 1
    return out


def _codes_from_words(b: _B, words: str, list_rule: str) -> list[str]:
    """Codes in a space-written list; multiword country names are tried whole first.

    ``AND`` between codes is a separator (recorded under ``list_rule``); in a REL TO or
    DISPLAY ONLY list (``list_rule`` ``_REL`` or ``_DISP``) codes separated by spaces only
    are recorded too (FGI and JOINT lists are space-separated by rule).
    """
    if not words:
        return []
    if " " not in words:
        return [_code(b, words, list_rule)]
    out: list[str] = []
    prev_code = False
    for entry in _split_codes(words):
        if entry == "AND":
            b.dev(list_rule, "AND between codes", None if list_rule in (_REL, _DISP)
                  else " ")
            prev_code = False
            continue
        if prev_code and list_rule in (_REL, _DISP):
            b.dev(list_rule, "codes separated by spaces")
        out.append(_code(b, entry, list_rule))
        prev_code = True
    return out


def _code_list_ok(words: str) -> bool:
    """Every entry of a space-written list reads as a code, name or code-shaped word."""
    return bool(words) and all(e == "AND" or _looks_like_code(e) for e in _split_codes(words))


def _head(b: _B, text: str, lead: bool, raw: str) -> list[str]:
    """Interpret the classification slot; return extra control words written with it."""
    kind = b.kind
    if not lead:  # the common case first: a bare US level
        if text in V.LEVEL_WORDS and text != "RESTRICTED":
            b.level = V.LEVEL_WORDS[text]
            if kind == "portion":
                b.dev("syntax-portion-form", text, V.LEVEL_PORTION[b.level])
            return []
        if text in V.LEVEL_ABBREV and text != "R":
            b.level = V.LEVEL_ABBREV[text]
            if kind == "banner":
                b.dev("syntax-banner-form", text, b.level.title)
            return []
    words = text.split(" ")
    w0 = words[0]
    if w0 == "JOINT" and len(words) > 1:
        lvl = _level_of(" ".join(words[1:3])) if len(words) > 2 else None
        n = 2 if lvl and len(words) > 2 and " ".join(words[1:3]) in V.LEVEL_WORDS else 1
        lvl = _level_of(" ".join(words[1:1 + n]))
        if lvl is None:
            raise _unknown(words[1], kind, raw, ("classification",))
        b.level = lvl[0]
        b.joint = [_code(b, c, "syntax-non-us-prefix") for c in words[1 + n:]]
        if not lead:
            b.dev("syntax-non-us-prefix", "JOINT", "//JOINT")
        return []
    if w0 == "FGI" and lead and len(words) > 1 and _level_of(" ".join(words[1:])):
        b.level = _level_of(" ".join(words[1:]))[0]  # type: ignore[index]
        b.owner = "FGI"
        b.fgi = []
        return []
    for n in (3, 2, 1):
        phrase = " ".join(words[:n])
        if len(words) >= n and phrase in V.NATO_LEVEL_LOOKUP:
            b.level = V.NATO_LEVEL_LOOKUP[phrase]
            b.owner = "NATO"
            if not lead:
                b.dev("syntax-non-us-prefix", phrase, "//" + phrase)
            return words[n:]
    m = _LEGACY_FGI.match(text)
    if m and m.group(1) not in V.LEVEL_ABBREV and m.group(1) not in ("SBU", "LES"):
        owner = m.group(1)
        b.level = V.LEVEL_ABBREV[m.group(2)]
        b.owner = _owner_code(b, owner, legacy=True)
        b.dev("dod-legacy-fgi-portion", text)
        return []
    m = _LEVEL_RE.match(text)
    if m:
        lvl, form = _level_of(m.group(1))  # type: ignore[misc]
        rest = m.group(2) or ""
        if lvl is Level.R:
            raise _found_at(MarkingSyntaxError(
                "`RESTRICTED` exists only as a non-US classification.", text=raw,
                token="RESTRICTED", position=_find_token(raw, m.group(1)),
                expected=("US classification",)), m.group(1))
        b.level = lvl
        if lead:
            b.dev("syntax-non-us-prefix", "//" + m.group(1), m.group(1))
        if form == "cable":
            b.cable = True
            if rest == "SENSITIVE":
                return ["SBU"]
            if rest == "EFTO":
                return []
        elif kind == "banner" and form == "abbrev":
            b.dev("syntax-banner-form", m.group(1), V.LEVEL_ABBREV[m.group(1)].title)
        elif kind == "portion" and form == "word":
            b.dev("syntax-portion-form", m.group(1), V.LEVEL_PORTION[lvl])
        if not rest:
            return []
        second = _level_of(rest)
        if second:
            # two levels: the marking is read at the higher one (under-reading it would let
            # a roll-up come out too low); B15 reports the second level
            b.level = max(b.level, second[0])
            b.dev("syntax-single-classification", f"{m.group(1)} {rest}")
            return []
        if rest.split(" ")[0] in V.PROHIBITED_QUALIFIERS:
            b.dev("syntax-prohibited-qualifier", f"{m.group(1)} {rest}", m.group(1))
            return []
        b.dev("syntax-category-separator", f"{m.group(1)} {rest}")
        b.cable = True
        return [rest]
    if "-" in w0 and len(words) == 1:
        left, _, right = text.partition("-")
        lv = _level_of(left)
        if lv and right in V.CONTROLS:
            b.level = lv[0]
            b.dev("syntax-category-separator", text)
            return [right]
    # Country/organisation owner followed by a level: //DEU S, //GBR SECRET.
    if len(words) >= 2 and _level_of(" ".join(words[1:])) and (
            len(w0) in (3, 4) and w0.isalpha() or len(w0) > 1 and V.code_kind(w0) != "unknown"):
        b.level = _level_of(" ".join(words[1:]))[0]  # type: ignore[index]
        b.owner = _owner_code(b, w0)
        lvl_form = _level_of(" ".join(words[1:]))[1]  # type: ignore[index]
        if kind == "banner" and lvl_form == "abbrev":
            b.dev("syntax-banner-form", " ".join(words[1:]), b.level.title)
        elif kind == "portion" and lvl_form == "word":
            b.dev("syntax-portion-form", " ".join(words[1:]), V.LEVEL_PORTION[b.level])
        if not lead:
            b.dev("syntax-non-us-prefix", text, "//" + text)
        return []
    # Unclassified-control heads used as a marking: SBU, (SBU-N), LIMITED OFFICIAL USE.
    ctl = _control_head(text)
    if ctl is not None:
        b.level = Level.U
        b.cable = text not in ("FOR OFFICIAL USE ONLY", "FOUO", "LES")
        if kind == "portion":
            b.dev("cable-portion-vocabulary", f"({text})")
        return [text]
    if len(words) > 1 and _close(text, kind) in V.LEVEL_WORDS:
        raise _unknown(text, kind, raw, ("classification",))  # `TOP SECRIT`: the whole level
    raise _unknown(w0 if len(words) > 1 and w0 not in V.CONTROLS else text, kind, raw,
                   ("classification",))


def _owner_code(b: _B, code: str, legacy: bool = False) -> str:
    """A non-US owner code: names and digraphs become their code (recorded, except in the
    legacy ``(UK-C)`` form that is reported as a whole), unknown codes are recorded (B08)."""
    if code == "NATO":
        return code
    kind = V.code_kind(code)
    if kind == "name":
        if not legacy:
            b.dev(_CODE, code, V.name_code(code))
        return V.name_code(code)  # type: ignore[return-value]
    if kind == "unknown":
        b.dev(_CODE, code)
    return code


def _control_head(text: str) -> str | None:
    if text in ("SBU", "SBU-N", "SBU-NF", "SBU NOFORN", "LIMITED OFFICIAL USE", "LOU",
                "SENSITIVE BUT UNCLASSIFIED", "FOR OFFICIAL USE ONLY", "FOUO", "LES"):
        return text
    return None


def _sci(b: _B, text: str) -> bool:
    parts = text.split("-")
    sys_name = V.SCI_SYSTEMS.get(parts[0])
    words0 = parts[0].split(" ")
    if sys_name is None and words0[0] in V.SCI_ORPHAN_COMPARTMENTS and (
            len(words0) > 1 or parts[0] in ("G", "GAMMA", "ECRU", "NONBOOK")):
        system = V.SCI_ORPHAN_COMPARTMENTS[words0[0]]
        b.dev("syntax-sci-structure", text, f"{system}-{text}")
        b.sci.append(SciSystem(system=system, compartments=(
            SciCompartment(name=words0[0], subs=tuple(words0[1:])),)))
        return True
    if sys_name is None:
        return False
    comps: list[SciCompartment] = []
    for part in parts[1:]:
        if not part:  # `SI-`, `SI--G`: an empty compartment (B14), read without it
            b.dev("syntax-empty-or-padded-category", "empty compartment")
            continue
        ws = part.split(" ")
        comps.append(SciCompartment(name=ws[0], subs=tuple(ws[1:])))
        if list(ws[1:]) != sorted(ws[1:], key=_alnum_key):
            b.dev("syntax-register-order", part)
    if list(c.name for c in comps) != sorted((c.name for c in comps), key=_alnum_key):
        b.dev("syntax-register-order", text)
    if not comps and sys_name in V.SCI_NEEDS_COMPARTMENT:
        b.dev("syntax-sci-structure", sys_name)
    b.sci.append(SciSystem(system=sys_name, compartments=tuple(comps)))
    return True


def _alnum_key(s: str) -> tuple[int, str]:
    return (0 if s[:1].isdigit() else 1, s)


def _aea(b: _B, text: str) -> bool:
    parts = text.split("-")
    head = V.CONTROLS.get(parts[0])
    if head is None or head.category != "aea":
        if parts[0].split(" ")[0] in V.SIGMA_WORDS:
            head = V.Form("aea", "SIGMA", "both")
            parts = ["", *parts]
        else:
            return False
    else:
        _check_form(b, parts[0], head)
        b.aea.append(head.id)
    for sub in parts[1:]:
        ws = sub.split(" ")
        if ws[0] in V.SIGMA_WORDS and len(ws) > 1:
            if b.kind == "banner" and ws[0] == "SG":
                b.dev("syntax-banner-form", "SG", "SIGMA")
            if b.kind == "portion" and ws[0] == "SIGMA":
                b.dev("syntax-portion-form", "SIGMA", "SG")
            if len(ws) > 2 and ws[1:] != sorted(ws[1:], key=lambda n: (len(n), n)):
                b.dev("syntax-register-order", sub)  # `SIGMA 20 14`: numbers ascending (B03)
            b.aea.extend(f"SIGMA {n}" for n in ws[1:])
        elif sub in V.CONTROLS and V.CONTROLS[sub].category == "aea":
            b.aea.append(V.CONTROLS[sub].id)
        else:
            return False
    return True


def _check_form(b: _B, written: str, f: V.Form) -> None:
    if f.id in ("SBU NOFORN", "LES NOFORN"):
        # the separator (B12), and below the form itself: `(U//SBU NOFORN)` is also a banner
        # form in a portion (B11), `SBU-NF` a portion form in a banner (B10)
        if b.kind == "banner" and f.form == "portion":
            b.dev("syntax-sbu-les-noforn-hyphen", written, f.id)
        elif b.kind == "portion" and f.form == "banner":
            b.dev("syntax-sbu-les-noforn-hyphen", written, V.PORTION_OF[f.id])
    if b.kind == "banner" and f.form == "portion":
        b.dev("syntax-banner-form", written, V.BANNER_OF[f.id])
    elif b.kind == "portion" and f.form in ("banner", "title"):
        b.dev("syntax-portion-form", written, V.PORTION_OF[f.id])


def _add_control(b: _B, f: V.Form, written: str) -> None:
    _check_form(b, written, f)
    (b.dissem if f.category == "dissem" else b.nonic if f.category == "nonic" else b.aea
     ).append(f.id)


def _looks_like_code(text: str) -> bool:
    """A list entry: a code, name or alias in the shipped data, or a 2-4 letter word that is
    no control (kept as a code and reported when it is in no table)."""
    if text in V.CONTROLS or text in V.OUT_OF_SCOPE:
        return False
    if text.isalpha() and 2 <= len(text) <= 4:
        return True
    return V.code_kind(text) != "unknown"


class _PlainCodes(dict):  # type: ignore[type-arg]
    """``_PLAIN_CODES[code]``: a list continuation the general branch would add unchanged.

    True for a registered trigraph/tetragraph (``GBR``, ``AX2``, ``EU``) that is not a
    control word: ``_looks_like_code`` holds, ``_codes_from_words`` returns it alone,
    ``_code`` records nothing.
    """

    def __missing__(self, code: str) -> bool:
        ok = (code != "AND" and " " not in code and _looks_like_code(code)
              and V.code_kind(code) in ("trigraph", "tetragraph"))
        if len(self) < 4096:
            self[code] = ok
        return ok


_PLAIN_CODES = _PlainCodes()


def _interpret(kind: str, raw: str, shape: Shape, devs: list[Deviation],
               spaced: bool, body: str = "") -> Marking:
    return _finish(_interpreted(kind, raw, shape, devs, spaced, body), kind, raw, spaced)


# a comma not followed by exactly one space (or preceded by one) inside a release list: the
# shape does not keep the spacing, so the normalised body is looked at (B07)
_LIST_COMMA = re.compile(r"(?<![A-Z0-9])(REL|RELEASABLE|AUTHORIZED|DISPLAY)(?![A-Z0-9])"
                         r"[^/]*?(?: ,|,(?! ))")


def _interpreted(kind: str, raw: str, shape: Shape, devs: list[Deviation],
                 spaced: bool, body: str = "") -> _B:
    """The builder after reading every item (``_interpret`` without the checks and the
    Marking). ``raw`` is used in error messages only; ``devs`` are only added to; ``body``
    (the normalised text) is looked at for the spacing of list commas only."""
    b = _B(kind, devs)
    cats = list(shape)
    lead = len(cats) > 1 and cats[0] == ()
    if lead:
        cats = cats[1:]
    if not cats or not cats[0]:
        raise _found_at(MarkingSyntaxError("A marking must start with a classification.",
                                           text=raw, expected=("classification",)), None)
    if any(not c for c in cats):
        b.dev("syntax-empty-or-padded-category", "empty category")
        cats = [c for c in cats if c]
    b.cable = spaced
    first = cats[0]
    extra = _head(b, first[0][1], lead, raw)
    # Work list: (category index, separator, text); head extras belong to category 0.
    work: list[tuple[int, str, str]] = [(0, "/", w) for w in extra]
    if len(first) > 1 and (not extra or extra[0] not in ("SBU", "SBU-N", "SBU-NF",
                                                          "SBU NOFORN")):
        b.dev("syntax-category-separator", "/")
        b.cable = True
    work += [(0, sep or "/", t) for sep, t in first[1:]]
    for ci, cat in enumerate(cats[1:], start=1):
        work += [(ci, sep, t) for sep, t in cat]
    b.ranks = [set() for _ in cats]
    pending = _run_items(b, work, extra, kind, raw)
    if pending:
        raise _unknown(pending[0], kind, raw, ("`EYES ONLY` after the codes",))
    if "," in body:
        for m in _LIST_COMMA.finditer(body):
            b.dev(_DISP if m.group(1) == "DISPLAY" else _REL, "comma without one space after it")
    return b


def _run_items(b: _B, work: list[tuple[int, str, str]], extra: list[str], kind: str,
               raw: str) -> list[str]:
    """Interpret the work list into ``b``; return codes still waiting for ``EYES ONLY``."""
    ctx: str | None = None  # current list context: "rel", "display", "fgi", "sap"
    pending: list[str] = []  # codes waiting for "EYES ONLY"
    prev_ctl: str | None = None
    for idx, (ci, sep, text) in enumerate(work):
        rank: int | None = None
        # -- continuation of a list ------------------------------------------------------
        if ctx == "rel" and sep == "," and _PLAIN_CODES[text]:
            b.rel.append(text)  # what the general branch below does for a plain code
            continue
        if ctx in ("rel", "display") and sep in (",", "AND", "/") and (
                _looks_like_code(text) or " " in text and _code_list_ok(text)):
            if sep != ",":
                b.dev(_REL if ctx == "rel" else _DISP, f"{sep} between codes")
            target = b.rel if ctx == "rel" else b.display
            target.extend(_codes_from_words(b, text, _REL if ctx == "rel" else _DISP))
            continue
        if ctx == "fgi" and sep in (",", "AND") and (
                _looks_like_code(text) or " " in text and _code_list_ok(text)):
            b.dev("syntax-fgi-list", "commas between codes" if sep == "," else
                  "AND between codes", " ")
            b.fgi.extend(_codes_from_words(b, text, "syntax-fgi-list"))  # type: ignore[union-attr]
            continue
        if ctx == "sap" and sep == "/" and not text.startswith("SAR-") and text not in V.CONTROLS \
                and re.fullmatch(r"[A-Z0-9][A-Z0-9 -]*", text):
            b.sap.append(text)
            continue
        ctx = None
        if sep in (",", "AND") and prev_ctl is not None:
            prev = work[idx - 1][2] if idx else prev_ctl
            b.dev("syntax-within-category-separator",
                  f"{prev}{' AND' if sep == 'AND' else ','} {text}", f"{prev}/{text}")
        # -- REL TO ----------------------------------------------------------------------
        rel_words: str | None = None
        if text in V.CONTROLS and V.CONTROLS[text].category != "aea":
            pass
        elif text.startswith("REL TO ") or text == "REL TO":
            rel_words = text[7:]
        elif text.startswith("AUTHORIZED FOR RELEASE TO "):
            rel_words = text[26:]
        elif text.startswith("REL ") or text.startswith("RELEASABLE TO "):
            # The State cable release form (catalogue 1.5: `(S/REL to RUSSIA)`), whatever
            # the separator before it: `(S//REL CHINA)`, `SECRET//REL SAU`. Reported as a
            # cable form in a cable-style mark (single slash), else as a malformed list.
            short = text[3] == " "
            words = text[4:] if short else text[14:]
            if _code_list_ok(words):
                rel_words = words
                b.dev(_REL, "REL for REL TO" if short else "RELEASABLE TO for REL TO")
        if text in V.CONTROLS and V.CONTROLS[text].category != "aea":
            f = V.CONTROLS[text]
            if f.id == "SBU" and idx + 1 < len(work) and work[idx + 1][2] in ("N", "NF") \
                    and extra and extra[0] == "SBU" and idx == 0:
                f = V.CONTROLS["SBU NOFORN"]
                b.dev("cable-portion-vocabulary", f"SBU/{work[idx + 1][2]}", "SBU-NF")
                work[idx + 1] = (ci, "/", "")
                b.nonic.append(f.id)
            else:
                _add_control(b, f, text)
            rank, prev_ctl = _RANK[f.category], f.id
        elif rel_words is not None:
            b.dissem.append("REL TO")
            b.rel.extend(_codes_from_words(b, rel_words, _REL))
            ctx, rank, prev_ctl = "rel", _RANK["dissem"], None
        elif text == "REL":
            b.dissem.append("REL TO")
            b.rel_abbrev = True
            rank, prev_ctl = _RANK["dissem"], "REL"
        elif text == "EYES":
            b.dissem.append("EYES ONLY")
            b.rel_abbrev = True
            rank, prev_ctl = _RANK["dissem"], "EYES"
        elif text.endswith(" EYES ONLY") or text == "EYES ONLY":
            codes = pending + text[:-10].split(" ") if text != "EYES ONLY" else pending
            pending = []
            b.dissem.append("EYES ONLY")
            b.eyes = [c for c in codes if c]
            rank, prev_ctl = _RANK["dissem"], "EYES ONLY"
        elif text.startswith("DISPLAY ONLY"):
            b.dissem.append("DISPLAY ONLY")
            b.display.extend(_codes_from_words(b, text[13:], _DISP))
            ctx, rank, prev_ctl = "display", _RANK["dissem"], None
        elif text == "FGI" or text.startswith("FGI ") or text.startswith(
                "FOREIGN GOVERNMENT INFORMATION"):
            rest = text[4:] if text.startswith("FGI") else text[31:]
            codes = _codes_from_words(b, rest.strip(), "syntax-fgi-list")
            b.fgi = (b.fgi or []) + codes
            ctx, rank, prev_ctl = "fgi", _RANK["fgi"], None
        elif text.startswith("SAR-") or text.startswith("SPECIAL ACCESS REQUIRED-"):
            b.ctxdep = True  # reads SAPs of earlier categories
            if b.sap:
                b.dev("syntax-sap", "SAR-", "/")
            program = text.split("-", 1)[1]
            if program:
                b.sap.append(program)
            else:  # `SAR-` with no programme (B14): read without it
                b.dev("syntax-empty-or-padded-category", "empty SAP programme")
            ctx, rank, prev_ctl = "sap", _RANK["sap"], None
        elif text == "":
            continue
        elif text in V.OUT_OF_SCOPE:
            ident, why = V.OUT_OF_SCOPE[text]
            b.dissem.append(ident)
            b.dev("syntax-unknown-token", f"{text}: {why}")
            prev_ctl = ident  # no category rank: its place is not checked either
        elif text in ("SBU-N", "SBU NF", "LES NF"):
            fid = "SBU NOFORN" if text.startswith("SBU") else "LES NOFORN"
            b.nonic.append(fid)
            if text == "SBU-N":
                b.dev("cable-portion-vocabulary", text, "SBU-NF")
            else:
                b.dev("syntax-sbu-les-noforn-hyphen", text,
                      V.PORTION_OF[fid] if kind == "portion" else fid)
            rank, prev_ctl = _RANK["nonic"], fid
        elif text in V.NATO_CONTROLS:
            b.nato.append(text)
            rank, prev_ctl = _RANK["nato"], text
        elif _aea(b, text):
            rank, prev_ctl = _RANK["aea"], text
        elif _DATE8.match(text) or text in V.LEGACY_DECLASS_WORDS:
            b.declass = text
            b.dev("syntax-legacy-banner-declass", "//" + text)
            rank, prev_ctl = _RANK["declass"], None
        elif _level_of(text) or text in V.NATO_LEVEL_LOOKUP:
            # a second level: keep the higher one (`(U//S)` is SECRET, not UNCLASSIFIED)
            b.ctxdep = True  # changes the level read before it: not cacheable per category
            second = _level_of(text)
            lvl = second[0] if second else V.NATO_LEVEL_LOOKUP[text]
            if lvl > b.level:
                b.level = lvl
            b.dev("syntax-single-classification", text)
            continue
        elif _sci(b, text):
            rank, prev_ctl = _RANK["sci"], None
        elif (pending or _eyes_chain(work, idx)) and _looks_like_code(text):
            pending.append(text)
            continue
        else:
            b.ctxdep = True  # reads the ranks of earlier categories
            close = _close(text, kind)
            later = any(r >= _RANK["fgi"] for rs in b.ranks for r in rs)
            if close or b.cable or later or not _SCI_SHAPE.match(text):
                raise _unknown(text, kind, raw, _expected_at(b, work, idx))
            # An unpublished SCI control system (CAPCO allows them; they sort alphanumerically).
            parts = text.split("-")
            b.sci.append(SciSystem(system=parts[0], compartments=tuple(
                SciCompartment(name=p.split(" ")[0], subs=tuple(p.split(" ")[1:]))
                for p in parts[1:])))
            rank, prev_ctl = _RANK["sci"], None
        if rank is not None:
            b.ranks[ci].add(rank)
    return pending


def _eyes_chain(work: list[tuple[int, str, str]], idx: int) -> bool:
    """``work[idx]`` opens ``USA/AUS/CAN EYES ONLY``: codes joined by ``/`` in one category
    up to an item ending in ``EYES ONLY``."""
    ci = work[idx][0]
    for j in range(idx + 1, len(work)):
        wci, sep, text = work[j]
        if wci != ci or sep != "/":
            return False
        if text.endswith("EYES ONLY"):
            return True
        if not _looks_like_code(text):
            return False
    return False


def _finish(b: _B, kind: str, raw: str, spaced: bool) -> Marking:
    _checks(b)
    return _build(b, kind, raw)


def _checks(b: _B) -> None:
    """Order, list and duplicate checks on the whole marking (records deviations)."""
    ranks_all = b.ranks
    if len(ranks_all) > 1:
        _check_categories(b, ranks_all)
    if len(b.dissem) > 1:
        _check_register(b, b.dissem)
    if len(b.nonic) > 1:
        _check_register(b, b.nonic)
    if len(b.aea) > 1:
        aea_idx = [V.REGISTER_INDEX.get(x.split(" ")[0], 1) for x in b.aea
                   if not x.startswith("SIGMA")]
        if aea_idx != sorted(aea_idx):
            b.dev("syntax-register-order", "/".join(b.aea))
    names = [s.system for s in b.sci] if b.sci else []
    if len(names) > 1 and names != sorted(names, key=_alnum_key):
        b.dev("syntax-register-order", "/".join(names), "/".join(sorted(names, key=_alnum_key)))
    if len(b.sap) > 1 and b.sap != sorted(b.sap, key=_alnum_key):
        b.dev("syntax-register-order", "/".join(b.sap))
    for seq_ids in ([*b.dissem, *b.nonic, *b.aea, *names, *b.sap], b.rel, b.display,
                    b.fgi or ()):
        if len(seq_ids) < 2 or len(set(seq_ids)) == len(seq_ids):
            continue
        seen: set[str] = set()
        for x in seq_ids:
            if x in seen:
                b.dev("syntax-duplicate-token", x)
            seen.add(x)
    # lists
    if b.rel:
        if b.rel != sorted(b.rel, key=V.code_sort_key):
            b.dev(_REL, "codes out of order")
        if b.rel[0] != "USA" and "USA" not in b.rel:
            b.dev(_REL, "REL TO without USA")
            b.rel.insert(0, "USA")
    elif "REL TO" in b.dissem and not b.rel_abbrev:
        b.dev("syntax-relto-list", "REL TO without codes", "REL TO USA, <codes>")
    if "DISPLAY ONLY" in b.dissem and not b.display:
        b.dev("syntax-relto-list", "DISPLAY ONLY without codes", "DISPLAY ONLY <codes>")
    if "EYES ONLY" in b.dissem and not b.eyes and not b.rel_abbrev:
        b.dev("syntax-relto-list", "EYES ONLY without codes", "USA/<codes> EYES ONLY")
    if b.rel_abbrev and b.kind == "banner":
        # `REL` / `EYES` are portion abbreviations: a banner writes its list (B10).
        if "REL TO" in b.dissem and not b.rel:
            b.dev("syntax-banner-form", "REL", "REL TO USA, <codes>")
        if "EYES ONLY" in b.dissem and not b.eyes:
            b.dev("syntax-banner-form", "EYES", "USA/<codes> EYES ONLY")
    if b.rel == ["USA"]:
        b.dev("syntax-relto-list", "REL TO USA", "REL TO USA, <codes>")
    if b.display and b.display != sorted(b.display, key=lambda c: V.code_sort_key(c, False)):
        b.dev(_DISP, "codes out of order")
    if b.fgi:
        if "USA" in b.fgi:
            # FGI is foreign government information: USA is never a source (B09). The
            # marking is read without it (a list of USA alone is no FGI at all).
            b.dev("syntax-fgi-list", "USA in FGI list")
            rest = [c for c in b.fgi if c != "USA"]
            b.fgi = rest or None
    if b.fgi:
        if b.fgi != sorted(b.fgi, key=lambda c: V.code_sort_key(c, False)):
            b.dev("syntax-fgi-list", "FGI " + " ".join(b.fgi),
                  "FGI " + " ".join(sorted(b.fgi, key=lambda c: V.code_sort_key(c, False))))
    if b.joint and b.joint != sorted(b.joint, key=lambda c: V.code_sort_key(c, False)):
        b.dev("syntax-relto-list", "JOINT " + " ".join(b.joint))
    if b.devs and any(d.rule in _LIST_ITEMS for d in b.devs):
        _lists(b)


# What the reading notes about lists, merged by ``_lists`` into one deviation per list and
# one per marking for its codes (a fix that is the whole list, not one finding per defect).
_REL = "_rel"  # a REL TO list defect (detail: what)
_DISP = "_disp"  # a DISPLAY ONLY list defect
_CODE = "_code"  # a country name, digraph or unknown code (detail: as written; canonical:
#                  the code it stands for, None when unknown)
_LIST_ITEMS = frozenset({_REL, _DISP, _CODE})
# REL TO defects a State cable makes (catalogue 1.5, `(S/REL to RUSSIA)`): reported by
# `cable-rel-country-names` in a cable-style mark
_CABLE_REL = frozenset({"REL for REL TO", "RELEASABLE TO for REL TO", "REL TO without USA"})


def _lists(b: _B) -> None:
    """Replace the list notes by: one ``syntax-relto-list`` deviation per REL TO or DISPLAY
    ONLY list, whose canonical form is the whole corrected list; one ``syntax-country-code``
    deviation per marking naming every non-standard code; and, in a cable-style mark
    (single slash, spaced banner) with names or a cable release form, one
    ``cable-rel-country-names`` deviation naming them (the cable rule reports it; the
    syntax rules leave such marks to it in cables)."""
    notes = [d for d in b.devs if d.rule in _LIST_ITEMS]
    out = [d for d in b.devs if d.rule not in _LIST_ITEMS]
    rel = [d.detail for d in notes if d.rule == _REL]
    if rel and b.rel:
        out.append(_dev("syntax-relto-list", "; ".join(dict.fromkeys(rel)), "REL TO " + ", ".join(
            sorted(dict.fromkeys(b.rel), key=V.code_sort_key))))
    disp = [d.detail for d in notes if d.rule == _DISP]
    if disp and b.display:
        out.append(_dev("syntax-relto-list", "; ".join(dict.fromkeys(disp)),
                        "DISPLAY ONLY " + ", ".join(sorted(
                            dict.fromkeys(b.display), key=lambda c: V.code_sort_key(c, False)))))
    codes = {d.detail: d.canonical for d in notes if d.rule == _CODE}
    if codes:
        known = None not in codes.values()
        out.append(_dev("syntax-country-code", ", ".join(codes),
                        ", ".join(codes.values()) if known else None))  # type: ignore[arg-type]
    cable = [d.detail for d in notes if d.rule == _CODE and d.canonical is not None
             or d.rule == _REL and d.detail in _CABLE_REL]
    if cable:
        b.cable_dev = _dev("cable-rel-country-names", "; ".join(dict.fromkeys(cable)))
        if b.cable:
            out.append(b.cable_dev)
    b.devs[:] = out
    b.keys = {(d.rule, d.detail, d.canonical) for d in out}


def _values(b: _B, kind: str, raw: str) -> dict[str, Any]:
    style = "cable" if b.cable else (
        "legacy" if b.devs and any(d.rule in _LEGACY_SLUGS for d in b.devs) else "capco")
    return {
        "raw": raw, "kind": kind, "style": style, "level": b.level, "owner": b.owner,
        "joint": tuple(b.joint), "nato_controls": tuple(b.nato), "sci": tuple(b.sci),
        "sap": tuple(b.sap), "aea": tuple(b.aea),
        "fgi": None if b.fgi is None else tuple(b.fgi), "dissem": tuple(b.dissem),
        "rel_to": tuple(b.rel), "rel_abbrev": b.rel_abbrev, "display_only": tuple(b.display),
        "eyes": tuple(b.eyes), "nonic": tuple(b.nonic), "declass": b.declass,
        "deviations": (), "span": None}


def _build(b: _B, kind: str, raw: str) -> Marking:
    m = _new_marking(_values(b, kind, raw))
    if b.devs:
        # still private to this function: safe to fill in
        m.__dict__["deviations"] = tuple(_fill_canonical(m, kind, raw, b.devs))
    return m


def _fill_canonical(m: Marking, kind: str, raw: str,
                    devs: list[Deviation] | tuple[Deviation, ...],
                    canon: Any = _MISS) -> list[Deviation]:
    """Deviations with their ``canonical`` filled in: the whole marking in canonical form
    (``canon`` when the caller has it), unless that is the input itself (``REL TO USA,
    QQQ``: no fix is known); for a legacy declassification field, the marking without the
    field."""
    if canon is _MISS:
        canon = render_banner(m) if kind == "banner" else render_portion(m)
    if canon == raw:
        canon = None  # a "fix" identical to the input is no fix
    out = []
    for d in devs:
        if d.canonical is None:
            fix = canon
            if d.rule == "syntax-legacy-banner-declass":
                bare = m.model_copy(update={"declass": None})
                fix = render_banner(bare) if kind == "banner" else render_portion(bare)
            d = _dev(d.rule, d.detail, fix)
        out.append(d)
    return out


_MARKING_FIELDS = frozenset(Marking.model_fields)
# One shared set for every parsed Marking (every field is set). pydantic never mutates it in
# place on a frozen model except to add names it already holds; copies get their own set.
_ALL_FIELDS_SET = set(_MARKING_FIELDS)


def _new_marking(values: dict[str, Any]) -> Marking:
    """Build a frozen Marking from values the interpreter already guarantees are valid.

    Equivalent to ``Marking.model_construct(**values)`` with every field given, without its
    per-field default handling (this is on the hot path of the parser).
    """
    return trusted_model(Marking, values, _ALL_FIELDS_SET)


def _check_categories(b: _B, ranks_all: list[set[int]]) -> None:
    for ci, ranks in enumerate(ranks_all):
        if ci and len(ranks) > 1:
            b.dev("syntax-category-separator", "/ between categories", "//")
    ctrl_seq = [min(r) for r in ranks_all[1:] if r]
    if len(ctrl_seq) < 2:  # no pair to compare, nothing repeated
        return
    for a, c in zip(ctrl_seq, ctrl_seq[1:], strict=False):
        if c < a:
            b.dev("syntax-category-order", "categories out of order")
        elif c == a:
            b.dev("syntax-within-category-separator", "// between values of one category", "/")
    if len(set(ctrl_seq)) != len(ctrl_seq) and any(
            ctrl_seq.index(r) != i and ctrl_seq[i - 1] != r for i, r in enumerate(ctrl_seq)):
        b.dev("syntax-category-order", "category repeated")


def _check_register(b: _B, seq_ids: list[str]) -> None:
    if not V.OUT_OF_SCOPE_IDS.isdisjoint(seq_ids):
        seq_ids = [x for x in seq_ids if x not in V.OUT_OF_SCOPE_IDS]  # their place: unchecked
    idxs = [V.REGISTER_INDEX.get(x, 99) for x in seq_ids]
    if idxs != sorted(idxs):
        fixed = sorted(seq_ids, key=lambda x: V.REGISTER_INDEX.get(x, 99))
        b.dev("syntax-register-order", "/".join(_written(b, x) for x in seq_ids),
              "/".join(_written(b, x) for x in fixed))


def _written(b: _B, cid: str) -> str:
    return V.PORTION_OF.get(cid, cid) if b.kind == "portion" else cid


# --------------------------------------------------------------------------- piece caches
#
# Most distinct markings are a plain US level followed by categories that recur across
# markings (``REL TO USA, GBR``, ``NOFORN``, ``EXDIS`` ...). For those, everything after the
# level (the *tail*) is interpreted once per (kind, tail) and reused: the interpretation of
# the tail, including its order/list/duplicate checks, does not depend on the level. A tail
# is in turn assembled from per-category results cached by (kind, category text). Anything
# whose interpretation reads state outside its own category (pending ``EYES ONLY`` codes,
# ``SAR-`` after earlier SAPs, unpublished SCI systems, errors) is not cached and goes
# through the full interpreter. ``_PIECE_CACHES = False`` disables the whole layer: the
# reference path for ``tests/test_parse_perf_equivalence.py``.

_PIECE_CACHES = True
_PIECE_CACHE_MAX = 1 << 16


def _bounded_get(store: dict[Any, Any], key: Any, compute: Callable[..., Any],
                 *args: Any) -> Any:
    """``store[key]``, else ``compute(*args)`` stored under ``key`` (``store`` is emptied
    first when it holds ``_PIECE_CACHE_MAX`` entries)."""
    r = store.get(key, _MISS)
    if r is _MISS:
        if len(store) >= _PIECE_CACHE_MAX:
            store.clear()
        r = store[key] = compute(*args)
    return r


_NOT_CACHEABLE = None


def _plain_heads() -> dict[tuple[str, str], tuple[Level, Deviation | None]]:
    """(kind, head text) -> (level, deviation) for a bare US level: ``_head``'s first branch."""
    out: dict[tuple[str, str], tuple[Level, Deviation | None]] = {}
    for kind in ("banner", "portion"):
        for text, lvl in V.LEVEL_WORDS.items():
            if text != "RESTRICTED":
                out[(kind, text)] = (lvl, Deviation(
                    rule="syntax-portion-form", detail=text, canonical=V.LEVEL_PORTION[lvl])
                    if kind == "portion" else None)
        for text, lvl in V.LEVEL_ABBREV.items():
            if text != "R":
                out[(kind, text)] = (lvl, Deviation(
                    rule="syntax-banner-form", detail=text, canonical=lvl.title)
                    if kind == "banner" else None)
    return out


_PLAIN_HEAD = _plain_heads()
# (kind, category text) -> per-category result, or None when not cacheable
_CAT_CACHE: dict[tuple[str, str], tuple[Any, ...] | None] = {}
# split by kind (string keys: no key tuple to build on the hot path)
_PLAIN_HEAD_BY_KIND = {k: {h: v for (kk, h), v in _PLAIN_HEAD.items() if kk == k}
                       for k in ("banner", "portion")}
# kind -> tail text -> interpreted and checked tail, or None when not cacheable
_TAIL_BY_KIND: dict[str, dict[str, tuple[Any, ...] | None]] = {"banner": {}, "portion": {}}


def _tail_template(kind: str, style: str, nato: tuple[str, ...], sci: tuple[SciSystem, ...],
                   sap: tuple[str, ...], aea: tuple[str, ...], fgi: tuple[str, ...] | None,
                   dissem: tuple[str, ...], rel: tuple[str, ...], rel_abbrev: bool,
                   display: tuple[str, ...], eyes: tuple[str, ...], nonic: tuple[str, ...],
                   declass: str | None) -> dict[str, Any]:
    """Marking field values of a tail; ``raw`` and ``level`` are filled in per string (the
    key order is the one ``_build`` uses, so reprs match)."""
    return {"raw": "", "kind": kind, "style": style, "level": Level.U, "owner": None,
            "joint": (), "nato_controls": nato, "sci": sci, "sap": sap, "aea": aea, "fgi": fgi,
            "dissem": dissem, "rel_to": rel, "rel_abbrev": rel_abbrev, "display_only": display,
            "eyes": eyes, "nonic": nonic, "declass": declass, "deviations": (), "span": None}


_EMPTY_TAIL = {k: (_tail_template(k, "capco", (), (), (), (), None, (), (), False, (), (), (),
                                  None), (), False, None) for k in ("banner", "portion")}


def _category_result(kind: str, cat_text: str) -> tuple[Any, ...] | None:
    """Interpret one category (not the first) on its own; None if it needs outside state.

    ``shape_fast`` of a tail is the tuple of ``shape_fast`` of its ``//``-separated parts
    (the fast pattern has no ``/`` inside an item), so each category is shaped here.
    """
    bd = _category_builder(kind, cat_text)
    return None if bd is None else _category_snapshot(bd)


def _category_builder(kind: str, cat_text: str) -> _B | None:
    """The builder after interpreting one category alone (ranks at index 1)."""
    shape = shape_fast(cat_text)
    if shape is None or len(shape) != 1:
        return None
    bd = _B(kind, [])
    bd.ranks = [set(), set()]
    bd.eyes = None  # type: ignore[assignment]  # None = not assigned by this category
    try:
        pending = _run_items(bd, [(1, sep, t) for sep, t in shape[0]], [], kind, "")
    except MarkingSyntaxError:
        return None
    if pending or bd.ctxdep:
        return None
    return bd


def _category_snapshot(bd: _B) -> tuple[Any, ...]:
    return (tuple(bd.nato), tuple(bd.sci), tuple(bd.sap), tuple(bd.aea),
            None if bd.fgi is None else tuple(bd.fgi), tuple(bd.dissem), tuple(bd.rel),
            bd.rel_abbrev, tuple(bd.display), bd.eyes, tuple(bd.nonic), bd.declass,
            tuple(bd.devs), frozenset(bd.ranks[1]))


def _category_cached(kind: str, cat_text: str) -> tuple[Any, ...] | None:
    """:func:`_category_result`, memoised in ``_CAT_CACHE`` by (kind, category text)."""
    return _bounded_get(_CAT_CACHE, (kind, cat_text), _category_result, kind, cat_text)


def _tail_result(kind: str, tail: str) -> tuple[Any, ...] | None:
    """Interpret and check the categories after a plain level; None if not cacheable."""
    cache = _CAT_CACHE
    cats = tail.split("//")
    if len(cats) == 1 and (kind, tail) not in cache:
        # A one-category tail seen for the first time: check the category's own builder
        # (what merging its snapshot into an empty builder would give).
        b1 = _category_builder(kind, tail)
        if len(cache) >= _PIECE_CACHE_MAX:
            cache.clear()
        cache[(kind, tail)] = None if b1 is None else _category_snapshot(b1)
        if b1 is None:
            return _NOT_CACHEABLE
        if b1.eyes is None:
            b1.eyes = []
        return _checked_tail(kind, b1)
    b = _B(kind, [])
    b.ranks = [set()]
    for cat_text in cats:
        r = _category_cached(kind, cat_text)
        if r is None:
            return _NOT_CACHEABLE
        (nato, sci, sap, aea, fgi, dissem, rel, rel_abbrev, display, eyes, nonic, declass,
         cdevs, ranks) = r
        b.nato += nato
        b.sci += sci
        b.sap += sap
        b.aea += aea
        if fgi is not None:
            b.fgi = (b.fgi or []) + list(fgi)
        b.dissem += dissem
        b.rel += rel
        b.rel_abbrev = b.rel_abbrev or rel_abbrev
        b.display += display
        if eyes is not None:
            b.eyes = list(eyes)
        b.nonic += nonic
        if declass is not None:
            b.declass = declass
        for d in cdevs:
            b.add(d)
        b.ranks.append(set(ranks))
    return _checked_tail(kind, b)


def _checked_tail(kind: str, b: _B) -> tuple[Any, ...]:
    _checks(b)
    devs = b.devs
    style = "legacy" if any(d.rule in _LEGACY_SLUGS for d in devs) else "capco"
    template = _tail_template(
        kind, style, tuple(b.nato), tuple(b.sci), tuple(b.sap), tuple(b.aea),
        None if b.fgi is None else tuple(b.fgi), tuple(b.dissem), tuple(b.rel), b.rel_abbrev,
        tuple(b.display), tuple(b.eyes), tuple(b.nonic), b.declass)
    return template, tuple(devs), any(d.canonical is None for d in devs), b.cable_dev


def _parse_pieces(kind: str, text: str, body: str, devs: list[Deviation]) -> Marking | None:
    """Plain US level [+ ``//`` + cached tail]; None when the full interpreter is needed."""
    heads = _PLAIN_HEAD_BY_KIND.get(kind)
    if heads is None:
        return None
    head, sep, tail = body.partition("//")
    h = heads.get(head)
    if h is not None:
        if sep:
            t = _bounded_get(_TAIL_BY_KIND[kind], tail, _tail_result, kind, tail)
            if t is None:
                return None
        else:
            t = _EMPTY_TAIL[kind]
    elif _SLASH_FROM_CATEGORY and not sep:
        # L/T, or L, T read as L/T (see _slash_tail, _first_item_key)
        head, sep, tail = body.partition("/")
        h = heads.get(head)
        if h is None:
            head, sep, tail = body.partition(", ")
            h = heads.get(head)
            if h is None or _AND_WORD.match(tail) is not None:
                return None
        if not tail:
            return None
        t = _bounded_get(_SLASH_TAIL_BY_KIND[kind], tail, _slash_tail, kind, tail)
        if t is None:
            return None
        tail = ("L/T", tail)  # (its _CANON_MEMO key: apart from L//T's)
    else:
        return None
    template, tdevs, tail_needs_canon, _ = t
    level, hdev = h
    if hdev is not None and not _has(devs, hdev):
        devs.append(hdev)
    if devs:  # the same order and de-duplication as _B.dev: earlier deviations first
        # (pre-normalisation's deviations have no canonical form: devs[0] decides at once)
        needs_canon = (tail_needs_canon or devs[0].canonical is None
                       or any(d.canonical is None for d in devs))
        if tdevs:
            devs += [d for d in tdevs if not _has(devs, d)]
    else:
        devs = tdevs  # type: ignore[assignment]
        needs_canon = tail_needs_canon
    values = template.copy()
    values["raw"] = text.strip()
    values["level"] = level
    m = _new_marking(values)
    if devs:
        if needs_canon:
            # the canonical form depends on the fields only: the tail's and the level
            key = (kind, tail, level)
            canon = _bounded_get(_CANON_MEMO, key, _canonical, m)
            devs = _fill_canonical(m, kind, values["raw"], devs, canon)
        m.__dict__["deviations"] = tuple(devs)
    return m


# (kind, normalised body, spaced) -> (field values, deviations of the reading, canonical
# form memo): the reading of a body that is not a plain level + tail, shared by the strings
# that normalise to it (``(s/nf)``, ``( S/NF )``, ``(S/NF)``). The interpreter's decisions
# do not depend on the deviations it is handed (it only adds to them, skipping those
# already there), and the text as written only appears in error messages, in ``raw`` and in
# the canonical check, so a reading done for one string serves the others.
_BODY_CACHE: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # (and _first_item_key)
# (kind, tail, level) -> canonical form of a plain level + tail
_CANON_MEMO: dict[tuple[str, Any, Level], str] = {}
# field values -> canonical form: the readings of ``(S/NF)``, ``(S, NF)`` and ``(S//NF)``
# differ only in raw, style and deviations, which rendering does not read (a test checks
# that render ignores them), so they share one rendering
_RENDER_KEY = operator.itemgetter(*(f for f in Marking.model_fields
                                    if f not in ("raw", "style", "deviations", "span")))
_RENDER_MEMO: dict[tuple[Any, ...], str] = {}


def _canonical(m: Marking) -> str:
    """``m.banner()`` or ``m.portion()`` (by its kind), memoised by its field values."""
    d = m.__dict__
    key = _RENDER_KEY(d)
    canon = _RENDER_MEMO.get(key)
    if canon is None:
        if len(_RENDER_MEMO) >= _PIECE_CACHE_MAX:
            _RENDER_MEMO.clear()
        canon = _RENDER_MEMO[key] = (render_banner(m) if d["kind"] == "banner"
                                     else render_portion(m))
    return canon


# (kind, normalised body, spaced) -> how reading the body failed: "shape" for a body the
# grammar cannot read (the error is about the body, whatever the string as written; it is
# relocated to each string by _parse_uncached), "item" for an interpreter error noted by
# _found_at (the same error but for its text, the string as written, and the position found
# in it). The variants of one unreadable body (`(c - entire text)`, `( C - ENTIRE TEXT )`)
# run Lark, or the interpreter and its suggestion search, once. The error's fields are kept,
# not the error (its traceback would keep the interpreter's frames alive).
_BODY_ERRORS: dict[tuple[str, str, bool], tuple[Any, ...]] = {}


def _error_fields(how: str, exc: MarkingSyntaxError) -> tuple[Any, ...]:
    return (how, exc.message, exc.text, exc.position, exc.expected, exc.suggestion, exc.token,
            getattr(exc, "_find", None))


def _error_again(failed: tuple[Any, ...], raw: str) -> MarkingSyntaxError:
    """The error reading ``raw`` raises, from the memoised error of another string with the
    same body (see ``_BODY_ERRORS``)."""
    how, message, text, pos, expected, suggestion, token, find = failed
    if how == "item":
        text, pos = raw, 0 if find is None else _find_token(raw, find)
    return MarkingSyntaxError(message, text=text, position=pos, expected=expected,
                              suggestion=suggestion, token=token)


def _first_item_key(kind: str, body: str, spaced: bool) -> tuple[Any, ...] | None:
    """A ``_BODY_CACHE`` key shared by ``L/REST`` and ``L, REST`` (``S/NF``, ``S, NF``) for a
    plain US level L, unless REST opens with the word ``AND`` (``, AND`` is one separator);
    None for other bodies.

    Read by ``shape_fast``, the two have the same shape but for the separator of the first
    item after the level, and the interpreter reads that item the same after either: with
    no extra head words nothing precedes it in the work list, so no list context is open and
    no control was read (the only readers of an item's separator); the comma check of
    release lists (``_LIST_COMMA``) sees commas after a ``REL`` word only, never one before
    it. Only readings by ``shape_fast`` are stored under this key (Lark is not relied on)."""
    head, sep, rest = body.partition("/")
    if head not in _PLAIN_HEAD_BY_KIND[kind] or rest[:1] in ("/", ""):
        head, sep, rest = body.partition(", ")
        if not sep or head not in _PLAIN_HEAD_BY_KIND[kind]:
            return None
    if _AND_WORD.match(rest) is not None:
        return None
    return ("first item", kind, head, rest, spaced)


_SLASH_FROM_CATEGORY = True  # False: L/T read by the interpreter (tests compare the two)
_LEAD_SLASH_FAST = True  # False: a body opening with one slash goes to Lark (tests compare)


def _slash_builder(kind: str, body: str) -> _B | None:
    """The builder ``_interpreted`` gives for ``L/T`` (a plain US level L, then one category
    T with no ``//``: ``S/NF``, ``SECRET/REL TO USA, GBR``), built from the per-category
    reading of T that ``L//T`` uses (``_CAT_CACHE``); None when T has none.

    ``shape_fast`` gives ``L/T`` one category: L, then T's items with T's separators but
    ``/`` for its first (``""`` in T alone), which the interpreter reads the same (nothing
    precedes it in the work list: no list context open, no control read). Before T's items
    the interpreter records L's form deviation (as ``_PLAIN_HEAD``) and the single slash
    (``syntax-category-separator``, cable style); T's items then add their deviations
    unless equal ones are recorded (``_B.add`` merges them so). A cacheable category reading
    (no error, no pending EYES ONLY codes, nothing read from earlier categories: ``cable``,
    ``level``, ``ranks``, ``sap``) is the same in category 0 as in category 1 but for the
    index of its ranks, and a cacheable T has only ``", "`` commas (nothing for
    ``_LIST_COMMA``). The checks then run on this builder as on the interpreter's."""
    head, _, tail = body.partition("/")
    h = _PLAIN_HEAD_BY_KIND[kind].get(head)
    if h is None or not tail or tail[0] == "/" or "//" in tail:
        return None
    r = _category_cached(kind, tail)
    if r is None:
        return None
    (nato, sci, sap, aea, fgi, dissem, rel, rel_abbrev, display, eyes, nonic, declass,
     cdevs, ranks) = r
    level, hdev = h
    b = _B(kind, [])
    b.level = level
    if hdev is not None:
        b.add(hdev)
    b.dev("syntax-category-separator", "/")
    b.cable = True
    b.nato, b.sci, b.sap, b.aea = list(nato), list(sci), list(sap), list(aea)
    b.fgi = None if fgi is None else list(fgi)
    b.dissem, b.rel, b.rel_abbrev = list(dissem), list(rel), rel_abbrev
    b.display, b.eyes, b.nonic = list(display), [] if eyes is None else list(eyes), list(nonic)
    b.declass = declass
    for d in cdevs:
        b.add(d)
    b.ranks = [set(ranks)]
    return b


# kind -> T -> checked tail of ``L/T`` without its level (see _slash_tail), or None
_SLASH_TAIL_BY_KIND: dict[str, dict[str, tuple[Any, ...] | None]] = {"banner": {},
                                                                      "portion": {}}


def _slash_tail(kind: str, tail: str) -> tuple[Any, ...] | None:
    """The checked tail of ``L/T`` (a plain US level L, one slash, one category T with no
    ``/`` before it and no ``//`` in it), derived from the checked tail of ``L//T``
    (``_TAIL_BY_KIND``, read first if it was not), in the form ``_parse_pieces`` uses:
    (field values, deviations, whether one lacks its canonical form, None); None when T has
    no cacheable category reading (then neither has ``L//T``).

    The interpreter reads ``L/T`` as ``_slash_builder`` builds it: L's form deviation (the
    ``_PLAIN_HEAD`` entry), the single slash (``syntax-category-separator`` ``/``, cable
    style), then T's category reading, the same reading ``L//T`` merges after L's form
    deviation. The checks (``_checks``) then differ in three ways only:

    * ``L//T`` has categories ``[L, T]``: ``_check_categories`` adds ``/ between
      categories`` when T holds values of two categories (and nothing else: one category
      after L gives no order to check); ``L/T`` has one category and no such check;
    * ``L/T`` is cable style: ``_lists`` adds the ``cable-rel-country-names`` deviation
      (kept by ``_lists`` on the builder as ``cable_dev`` whatever the style);
    * the single-slash deviation is recorded before T's deviations.

    Nothing else reads the style, the ranks or the deviations recorded before (no other code
    gives either of those two ``syntax-category-separator`` deviations, so none is dropped
    as equal to one of them), and ``_lists`` only reorders: deviations that are no list notes
    first, in order, then the merged ones. So the deviations of ``L/T`` are the slash
    deviation, those of ``L//T`` without ``/ between categories``, then the cable one; the
    fields are those of ``L//T`` but for the style. L's deviation and level are merged by
    ``_parse_pieces`` as for ``L//T``.
    """
    if "//" in tail or tail[0] == "/":
        return None
    t = _bounded_get(_TAIL_BY_KIND[kind], tail, _tail_result, kind, tail)
    if t is None:
        return None
    template, tdevs, _, cable_dev = t
    devs = [_dev("syntax-category-separator", "/")]
    devs += [d for d in tdevs if d.detail != "/ between categories"
             or d.rule != "syntax-category-separator"]
    if cable_dev is not None:
        devs.append(cable_dev)
    values = template.copy()
    values["style"] = "cable"
    return values, tuple(devs), True, None


def _parse_body(kind: str, raw: str, body: str, devs: list[Deviation],
                spaced: bool) -> Marking:
    key = (kind, body, spaced)
    t = _BODY_CACHE.get(key)
    if t is None:
        shared = _first_item_key(kind, body, spaced)
        if shared is not None:
            t = _BODY_CACHE.get(shared)
    if t is None:
        failed = _BODY_ERRORS.get(key)
        if failed is not None:
            raise _error_again(failed, raw)
        b = _slash_builder(kind, body) if _SLASH_FROM_CATEGORY else None
        shape = () if b is not None else shape_fast(body)
        if shape is None:
            shared = None  # (see _first_item_key)
            try:
                if body[:1] == "/" and body[1:2] != "/" and _LEAD_SLASH_FAST:
                    raise _lead_slash_error(body, kind)
                shape = shape_lark(body, kind)
            except MarkingSyntaxError as exc:
                if len(_BODY_ERRORS) >= _PIECE_CACHE_MAX:
                    _BODY_ERRORS.clear()
                _BODY_ERRORS[key] = _error_fields("shape", exc)
                raise
        try:  # errors raised as for any string
            if b is None:
                b = _interpreted(kind, raw, shape, [], spaced, body)
        except MarkingSyntaxError as exc:
            if hasattr(exc, "_find") and exc.text == raw:
                if len(_BODY_ERRORS) >= _PIECE_CACHE_MAX:
                    _BODY_ERRORS.clear()
                _BODY_ERRORS[key] = _error_fields("item", exc)
            raise
        _checks(b)
        if len(_BODY_CACHE) >= _PIECE_CACHE_MAX:
            _BODY_CACHE.clear()
        t = _BODY_CACHE[key] = (_values(b, kind, ""), tuple(b.devs), [])
        if shared is not None:
            _BODY_CACHE[shared] = t
    values, tdevs, canon = t
    values = values.copy()
    values["raw"] = raw
    if devs:  # earlier deviations first, then the reading's (as _B.dev adds them)
        devs += [d for d in tdevs if not _has(devs, d)]
        if values["style"] == "capco" and any(d.rule in _LEGACY_SLUGS for d in devs):
            values["style"] = "legacy"
    else:
        devs = tdevs  # type: ignore[assignment]
    m = _new_marking(values)
    if devs:
        if not canon:
            canon.append(_canonical(m))
        m.__dict__["deviations"] = tuple(_fill_canonical(m, kind, raw, devs, canon[0]))
    return m


# --------------------------------------------------------------------------- public API

@lru_cache(maxsize=_CACHE_SIZE)
def _parse_cached(text: str, kind: MarkingKind | None) -> Marking | MarkingSyntaxError:
    # Errors are cached too: the scanner hands over the same non-markings ("(Ref A)") often.
    # (_parse_uncached inlined: the error as _parse_uncached raises it, not raised again)
    try:
        return _parse_text(text, kind)
    except MarkingSyntaxError as exc:
        return _bare(exc if exc.text == text else _relocated(exc, text))


@lru_cache(maxsize=_CACHE_SIZE)
def _parse_cached_auto(text: str) -> Marking | MarkingSyntaxError:
    """``_parse_cached(text, None)``; one argument, so the cache key is the string itself."""
    try:
        return _parse_text(text, None)
    except MarkingSyntaxError as exc:
        return _bare(exc if exc.text == text else _relocated(exc, text))


def _bare(exc: MarkingSyntaxError) -> MarkingSyntaxError:
    """A cached error without the interpreter's frames: no traceback, and no context (an
    error relocated to the text as given was raised while handling the first one, whose
    traceback would keep the frames alive). Callers only read its fields."""
    exc.__context__ = None
    return exc.with_traceback(None)


_CLEAN_BODY = re.compile(r"[A-Z0-9][A-Z0-9 ,/-]*")


def _parse_uncached(text: str, kind: MarkingKind | None) -> Marking:
    try:
        return _parse_text(text, kind)
    except MarkingSyntaxError as exc:
        if exc.text == text:
            raise
        raise _relocated(exc, text) from None


_COLUMN_MSG = re.compile(r"^(Marking cannot be read at column )(\d+)")


def _relocated(exc: MarkingSyntaxError, original: str) -> MarkingSyntaxError:
    """``exc`` with ``text`` = the string as given and ``position`` an offset into it.

    Errors are found in the stripped or normalised text (upper case, spacing removed), which
    keeps every other character of the original in order: the offset is carried over by
    counting the non-space characters before it.
    """
    pos = _map_position(exc.text, exc.position, original)
    msg = exc.message
    m = _COLUMN_MSG.match(msg)
    if m:
        msg = f"{m.group(1)}{pos + 1}{msg[m.end():]}"
    return MarkingSyntaxError(msg, text=original, position=pos, expected=exc.expected,
                              suggestion=exc.suggestion, token=exc.token)


def _map_position(src: str, pos: int, dst: str) -> int:
    units = sum(len(c.upper()) for c in src[:pos] if not c.isspace())
    seen = 0
    last = 0
    for i, c in enumerate(dst):
        if c.isspace():
            continue
        if seen >= units:
            return i
        seen += len(c.upper())
        last = i + 1
    return last


def _parse_text(text: str, kind: MarkingKind | None) -> Marking:
    if _PIECE_CACHES:
        # Already-normal strings skip _prenormalise (which would change and record nothing):
        # upper case, no outer or doubled spaces, no space next to `/`, one pair of
        # parentheses for a portion, not a spaced-letter banner.
        if text[:1] == "(":
            k, body = "portion", text[1:-1]
            ok = text[-1:] == ")" and kind in (None, "portion", "unknown")
        else:
            k, body = "banner", text
            ok = kind in (None, "banner", "unknown") and body[1:2] != " "
        if (ok and _CLEAN_BODY.fullmatch(body) is not None and body[-1] != " "
                and "  " not in body and "/ " not in body and " /" not in body):
            m = _parse_pieces(k, text, body, [])
            if m is not None:
                return m
            # _prenormalise would give (k, body, [], False): _parse_pieces again, no use
            return _parse_body(k, text, body, [], False)
    k, body, devs, spaced = _prenormalise(text, kind)
    if _PIECE_CACHES:
        if not spaced:
            m = _parse_pieces(k, text, body, devs)
            if m is not None:
                return m
        return _parse_body(k, text.strip(), body, devs, spaced)
    shape = shape_fast(body)
    if shape is None:
        shape = shape_lark(body, k)
    raw = text.strip()
    return _interpret(k, raw, shape, devs, spaced, body)


def parse_marking(text: str, kind: MarkingKind | None = None) -> Marking:
    """Parse a banner or portion marking; ``kind=None`` detects portions by parentheses.

    Surrounding whitespace is ignored. Raises :class:`MarkingSyntaxError` (only) when the
    string cannot be read as a marking.
    """
    try:
        res = _parse_cached_auto(text) if kind is None else _parse_cached(text, kind)
    except RecursionError as exc:  # pragma: no cover - defensive
        raise MarkingSyntaxError("Marking too complex to read.", text=text) from exc
    if isinstance(res, MarkingSyntaxError):
        raise MarkingSyntaxError(res.message, text=res.text, position=res.position,
                                 expected=res.expected, suggestion=res.suggestion,
                                 token=res.token)
    return res


def parse_banner(text: str) -> Marking:
    """Parse an overall (banner) marking such as ``SECRET//NOFORN`` or ``S E C R E T``."""
    return parse_marking(text, "banner")


def parse_portion(text: str) -> Marking:
    """Parse a portion mark such as ``(S//NF)`` or ``(S/REL TO NATO/AUS)``."""
    return parse_marking(text, "portion")


def parse_cache_clear() -> None:
    """Forget memoised parses, including the per-piece caches (benchmarks measure cold)."""
    _parse_cached.cache_clear()
    _parse_cached_auto.cache_clear()
    for tails in (*_TAIL_BY_KIND.values(), *_SLASH_TAIL_BY_KIND.values()):
        tails.clear()
    _CAT_CACHE.clear()
    _BODY_CACHE.clear()
    _BODY_ERRORS.clear()
    _CANON_MEMO.clear()
    _RENDER_MEMO.clear()
    _close.cache_clear()
    parse_declass.cache_clear()
    parse_authority_line.cache_clear()
    _REASONS_MEMO.clear()
    _READINGS_MEMO.clear()
    _EO_MEMO.clear()


# --------------------------------------------------------------------------- declassification

_MODEL_DEFAULTS: dict[type, dict[str, Any]] = {}
_FIELDS_SETS: dict[tuple[str, ...], set[str]] = {}


def _built(cls: Any, **values: Any) -> Any:
    """``cls(**values)`` for values of the exact field types (what validation would keep),
    without running pydantic's validator: the same ``__dict__`` (defaults, then ``values``)
    and the same fields-set. With ``_AUTH_FAST = False`` (the reference of the equivalence
    tests) the model is validated as usual."""
    if not _AUTH_FAST:
        return cls(**values)
    d = _MODEL_DEFAULTS[cls].copy()
    d.update(values)
    # one shared fields-set per call site's field names (as for Marking: pydantic copies the
    # set before it adds to it, and never changes it on a frozen model)
    return trusted_model(cls, d, _fields_set(*values))


_MODEL_DEFAULTS.update({
    cls: {name: f.get_default(call_default_factory=True) for name, f in cls.model_fields.items()}
    for cls in (DeclassValue, Reason, AuthorityBlock)})


def _fields_set(*names: str) -> set[str]:
    """The shared fields-set ``_built`` gives a model built with these field names."""
    fields_set = _FIELDS_SETS.get(names)
    if fields_set is None:
        fields_set = _FIELDS_SETS[names] = set(names)
    return fields_set


def _made(cls: Any, fields_set: set[str], d: dict[str, Any]) -> Any:
    """``_built`` for the two hottest call sites (``_AUTH_FAST`` only), ~0.4 µs cheaper: the
    caller passes the whole ``__dict__`` (``{**_MODEL_DEFAULTS[cls], name: value, ...}``,
    which keeps the field order) and ``_fields_set`` of the names it sets."""
    return trusted_model(cls, d, fields_set)


_DV_DEFAULTS = _MODEL_DEFAULTS[DeclassValue]
_AB_DEFAULTS = _MODEL_DEFAULTS[AuthorityBlock]
_FS_DATE = _fields_set("raw", "kind", "date", "date_format", "ambiguous", "valid_date")
_FS_EO = _fields_set("eo", "eo_na", "decl")

_D_YMD = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})$")
_D_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_D_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DATE_FORMATS = ((_D_MDY, "MM/DD/YYYY"), (_D_YMD, "YYYYMMDD"), (_D_YMD_SLASH, "YYYY/MM/DD"))
_EXEMPT = re.compile(r"^(?:25X[1-9]|50X[1-9](?:-HUM|-WMD)?|75X[1-9]|X[1-8])$")
_RETIRED = {
    "OADR": "OADR", "ORIGINATING AGENCY'S DETERMINATION REQUIRED": "OADR",
    "SOURCE MARKED OADR": "Source marked OADR", "MR": "MR", "MANUAL REVIEW": "MR", "DCI ONLY": "DCI Only",
    "DNI ONLY": "DNI Only", "SUBJECT TO TREATY OR INTERNATIONAL AGREEMENT":
        "Subject to treaty or international agreement", "25X1-HUMAN": "25X1-human",
}


def _date(text: str) -> tuple[_dt.date | None, str | None, bool, bool] | None:
    """(date, format, ambiguous, valid) for a date value, None when it is not a date."""
    for rx, fmt in _DATE_FORMATS:  # the patterns exclude each other: order is free
        m = rx.match(text)
        if not m:
            continue
        if fmt == "MM/DD/YYYY":
            mo, d, y = m.groups()
            amb = len(y) == 2 or len(mo) == 1 or len(d) == 1
            if len(y) == 2:
                fmt, y = "MM/DD/YY", ("20" + y if int(y) < 70 else "19" + y)
        else:
            y, mo, d = m.groups()
            amb = len(mo) == 1 or len(d) == 1
        try:
            return _dt.date(int(y), int(mo), int(d)), fmt, amb, True
        except ValueError:
            return None, fmt, amb, False
    return None


_DECL_PREFIX = re.compile(r"^DECL(?:ASSIFY ON)?\s*:\s*")
_LEAD_DATE = re.compile(r"^([\d/]+)(?=[\s,;\\\"]|$)")
# words after a leading date that make the rest an event ("... OR COMPLETION OF ...")
_EVENT_AFTER_DATE = re.compile(r"^(?:OR|AND|UPON|UNLESS|WHICHEVER|AFTER|WHEN)\b")


def _retired_prefix(up: str) -> str | None:
    """The retired value a text starts with: ``SOURCE MARKED OADR, DATE OF SOURCE 19910301``
    -> ``OADR``, ``SOURCE MARKED 25X1-HUMAN, DATE OF SOURCE: ...`` -> ``25X1-human``."""
    for key, value in _RETIRED.items():
        if key != "MR" and up.startswith(key) and (
                len(up) == len(key) or not up[len(key)].isalnum()):
            return value
    if up.startswith("SOURCE MARKED "):
        return _retired_prefix(up[len("SOURCE MARKED "):])
    return None


@lru_cache(maxsize=4096)
def parse_declass(text: str) -> DeclassValue:
    """Parse a ``Declassify On`` / ``DECL:`` value (date, event, exemption, N/A, retired).

    Values from real lines carry debris: a repeated ``DECL:`` label, header words or a
    line-continuation backslash after the date (``10/8/2019 TAGS: PREL``, ``04/04/2018 \\``)
    and source notes after a retired value (``Source marked OADR, date of source
    19910301``). A leading date is read as the date and what follows it ignored unless it
    continues as an event (``... OR ...``); a retired value is recognised by its prefix.
    ``raw`` keeps the value as given.
    """
    raw = text.strip().rstrip(".").strip()
    if raw[:1].isdigit() and _AUTH_FAST:
        # a bare date (digits and slashes): ``up`` below would be ``raw`` itself, and no
        # label, N/A or retired value starts with a digit
        d = _date(raw)
        if d is not None:  # _built(DeclassValue, raw=raw, kind="date", date=d[0], ...)
            return _made(DeclassValue, _FS_DATE, {
                **_DV_DEFAULTS, "raw": raw, "kind": "date", "date": d[0], "date_format": d[1],
                "ambiguous": d[2], "valid_date": d[3]})
    up = _WS.sub(" ", raw.upper())
    if not up:
        raise MarkingSyntaxError("Empty declassification value.", text=text)
    if up.startswith("DECL"):
        up = _DECL_PREFIX.sub("", up) or up
    if up.startswith("N/A"):
        return _built(DeclassValue, raw=raw, kind="na")
    if up in _RETIRED:
        return _built(DeclassValue, raw=raw, kind="retired", retired=_RETIRED[up])
    d = _date(up)
    if d is not None:
        return _built(DeclassValue, raw=raw, kind="date", date=d[0], date_format=d[1],
                      ambiguous=d[2], valid_date=d[3])
    retired = _retired_prefix(up)
    if retired is not None:
        return _built(DeclassValue, raw=raw, kind="retired", retired=retired)
    parts = [p.strip().strip("()") for p in re.split(r"[,;]\s*|\s+", up) if p.strip("() ")]
    exemptions = [p for p in parts if _EXEMPT.match(p)]
    if exemptions:
        rest = [p for p in parts if not _EXEMPT.match(p)]
        if exemptions[0].startswith("X"):
            return _built(DeclassValue, raw=raw, kind="retired", retired=exemptions[0],
                          exemptions=tuple(exemptions))
        date = None
        out: dict[str, Any] = {}
        for p in rest:
            dd = _date(p)
            if dd is not None:
                date = dd[0]
                out = {"date_format": dd[1], "ambiguous": dd[2], "valid_date": dd[3]}
        has_event = date is None and any(p not in ("EO", "E.O.", "12951", "AND") for p in rest)
        if "12951" in rest:
            exemptions.append("EO 12951")
        return _built(DeclassValue, raw=raw, kind="exemption", date=date,
                      exemptions=tuple(exemptions), has_event=has_event, **out)
    lead = _LEAD_DATE.match(up)
    d = _date(lead.group(1)) if lead else None
    if d is not None:
        rest = up[lead.end():].lstrip(" \t,;\\\"")  # type: ignore[union-attr]
        return _built(DeclassValue, raw=raw, kind="date", date=d[0], date_format=d[1],
                      ambiguous=d[2], valid_date=d[3],
                      has_event=_EVENT_AFTER_DATE.match(rest) is not None)
    if re.match(r"^[\d/.\-]+$", up):
        return _built(DeclassValue, raw=raw, kind="unknown", valid_date=False)
    return _built(DeclassValue, raw=raw, kind="event", has_event=True)


# --------------------------------------------------------------------------- authority lines
#
# Authority lines are read by the grammar's ``eo_line``, ``classified_by``, ``derived_from``
# and ``declassify_on`` rules. Running Lark costs 40-80 µs a line, so the parser first runs a
# hand-written copy of what Lark's LALR parser and contextual lexer do on these small rules:
# the same terminal patterns (checked against the grammar by the tests), tried in the order
# the contextual lexer tries them in each parser state, with ``[ \t]+`` ignored between
# tokens. It returns the tokens Lark would produce, or says that Lark would fail (for
# ``Classified By``, whose regular-expression fallback is then used directly); whenever it is
# unsure it defers to Lark. ``_AUTH_FAST = False`` runs Lark only (the reference of
# ``tests/test_parse_perf_equivalence.py``).

_AUTH_FAST = True
_UNSURE = object()  # the fast reader defers to Lark
_LARK_FAILS = object()  # Lark cannot read the line (a certain syntax error)

# the grammar's terminals (grammar/markings.lark), as Lark compiles them
_T_EO_KW = re.compile(r"E\.?\s?O\.?", re.I)
_T_EO_NUMBER = re.compile(r"\d{4,5}")
_T_NA = re.compile(r"N\/A\b", re.I)
_T_DECL_KW = re.compile(r"DECL\b", re.I)
_T_VALUE = re.compile(r"[^\s:][^\n]*")
_T_DERIVED_FROM = re.compile(r"DERIVED\s+FROM\b", re.I)
_T_DECLASSIFY_ON = re.compile(r"DECLASSIFY\s+ON\b", re.I)
_T_IGNORE = re.compile(r"[ \t]*")


def _tok(rx: re.Pattern[str]) -> str:
    """A terminal inside a larger pattern: an atomic group (no backtracking into it, as the
    lexer never reconsiders a token) with the terminal's own flags."""
    return f"(?>(?i:{rx.pattern}))" if rx.flags & re.I else f"(?>{rx.pattern})"


_G = r"[ \t]*"  # what the lexer ignores between tokens
# eo_line: EO_KW EO_NUMBER _COLON? (NA | DECL_KW _COLON? VALUE?) | DECL_KW _COLON? VALUE?
# Every token's first character differs from those of the others allowed at the same place,
# so the pattern matches only the one way the lexer reads the line.
_EO_LINE = re.compile(
    rf"(?:{_tok(_T_EO_KW)}{_G}(?P<eo>{_tok(_T_EO_NUMBER)}){_G}(?::{_G})?"
    rf"(?:(?P<na>{_tok(_T_NA)})|{_tok(_T_DECL_KW)}{_G}(?::{_G})?(?P<v1>{_tok(_T_VALUE)})?)"
    rf"|{_tok(_T_DECL_KW)}{_G}(?::{_G})?(?P<v2>{_tok(_T_VALUE)})?){_G}\Z")


def _eo_error(s: str) -> int | None:
    """Where Lark's parse of ``eo_line`` fails on ``s``, or None (it does not fail, or the
    reader is unsure): the start of the first character no allowed token matches, or, at the
    end of the text, the start of the last token (Lark's ``$END`` borrows its position; 0
    when there is none). The same states as ``_EO_LINE``, one token at a time."""
    ws = _T_IGNORE.match
    n = len(s)
    pos = ws(s, 0).end()
    last = 0
    m = _T_EO_KW.match(s, pos)
    if m is not None:
        last, pos = pos, ws(s, m.end()).end()  # state: EO_NUMBER
        m = _T_EO_NUMBER.match(s, pos)
        if m is None:
            return last if pos == n else pos
        last, pos = pos, ws(s, m.end()).end()  # state: DECL_KW, NA, _COLON
        if s.startswith(":", pos):
            last, pos = pos, ws(s, pos + 1).end()  # state: DECL_KW, NA
        m = _T_NA.match(s, pos)
        if m is not None:
            pos = ws(s, m.end()).end()  # state: $END
            return None if pos == n else pos
    elif pos == n:
        return 0
    m = _T_DECL_KW.match(s, pos)
    if m is None:
        return last if pos == n else pos
    last, pos = pos, ws(s, m.end()).end()  # state: VALUE, _COLON, $END
    if s.startswith(":", pos):
        last, pos = pos, ws(s, pos + 1).end()  # state: VALUE, $END
    if pos == n:
        return None
    m = _T_VALUE.match(s, pos)
    if m is None:
        return pos
    pos = ws(s, m.end()).end()  # state: $END
    return None if pos == n else pos


def _eo_fast(s: str) -> Any:
    """(EO_NUMBER, NA seen, VALUE) of ``eo_line`` as Lark reads ``s``, or ``_UNSURE``."""
    m = _EO_LINE.match(s)
    if m is None:
        return _UNSURE
    eo, na, v1, v2 = m.group("eo", "na", "v1", "v2")
    return eo, na is not None, v1 or v2


# (EO_NUMBER, NA seen, VALUE) -> the block of an E.O. line read by _eo_fast (cleared with the
# other parse caches)
_EO_MEMO: dict[tuple[Any, ...], AuthorityBlock] = {}


def _lark_line(text: str, start: str) -> Any:
    from lark.exceptions import UnexpectedInput

    from markings.grammar import get_parser

    try:
        return get_parser().parse(text, start=start)
    except UnexpectedInput as exc:
        pos = getattr(exc, "pos_in_stream", None) or 0
        raise MarkingSyntaxError(f"Authority line cannot be read at column {pos + 1}.",
                                 text=text, position=pos) from None


def parse_eo_line(text: str) -> AuthorityBlock:
    """``E.O. 12958: DECL: 09/14/2015``, ``E.O. 12958: N/A``, ``DECL: X1`` -> partial block."""
    s = text.strip()
    fast = _eo_fast(s) if _AUTH_FAST else _UNSURE
    if fast is not _UNSURE:
        # the block is a function of (EO_NUMBER, NA seen, VALUE): one frozen block each
        block = _EO_MEMO.get(fast)
        if block is None:
            eo, na, value = fast
            if len(_EO_MEMO) >= 4096:
                _EO_MEMO.clear()
            # _built(AuthorityBlock, eo=eo, eo_na=na, decl=...)
            block = _EO_MEMO[fast] = _made(AuthorityBlock, _FS_EO, {
                **_AB_DEFAULTS, "eo": eo, "eo_na": na,
                "decl": None if value is None else parse_declass(value)})
        return block
    if _AUTH_FAST:
        pos = _eo_error(s)
        if pos is not None:  # what _lark_line raises
            raise MarkingSyntaxError(f"Authority line cannot be read at column {pos + 1}.",
                                     text=s, position=pos)
    tree = _lark_line(s, "eo_line")
    eo = None
    na = False
    decl: DeclassValue | None = None
    for node in tree.iter_subtrees_topdown():
        for ch in node.children:
            if getattr(ch, "type", None) == "EO_NUMBER":
                eo = str(ch)
            elif getattr(ch, "type", None) == "NA":
                na = True
            elif getattr(ch, "type", None) == "VALUE":
                decl = parse_declass(str(ch))
    return _built(AuthorityBlock, eo=eo, eo_na=na, decl=decl)


# Reasons are read the way the document scanner reads them (``markings.scan``; a corpus test
# holds the two readings equal): every category section (``1.4``, ``1.5``, ``1.6``, also
# ``1 .4`` or ``1.\n4``; ``1,4`` before a letter, which the scanner does not read yet)
# opens a reason whose letters run to the next section or to where the sentence ends;
# letters are any letter in parentheses (``1.4(j)`` is reported, not dropped; ``(S)``,
# ``(U)``, ``(R)`` are portion marks that follow on the same line) or a bare ``a``-``h``
# standing alone (``1.4 B/D``), never part of a word (``and``, ``as amended``).
_R_REASON = re.compile(r"(?i)(?<![A-Za-z])reasons?\b[ \t]*:?")
# (the pattern starts with its literal ``1``, outside the groups, and looks behind it:
# ``1(?<![\d.]1)`` for ``(?<![\d.])1``. A pattern that starts with a look-behind, or with
# alternatives that each open a group, is tried at every character (~20 ns each, 0.3 ms on a
# 14,000-character line); one that starts with a literal is scanned for it first. The section
# is ``1`` + group 1 or ``1`` + group 2; tests compare with the plain form)
_R_SECTION = re.compile(r"1(?:(?<![\d.]1)([ \t]*\n?[ \t]*\.[ \t]*\n?[ \t]*[4-6])(?!\d)"
                        r"|(?<![\d.,]1)(,[ ]?[4-6])(?=[ \t]*\(?[ \t]*[A-Ha-h]\b))")
_R_LETTER = re.compile(r"\([ \t]*([a-qtv-zA-QTV-Z])[ \t]*\)|(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")
# where a reason ends: a full stop, a semicolon, a blank line or the next CAB line
_R_CUT = re.compile(
    r"\.(?:[ \t]*(?:\n|$)|[ \t]{2,}[A-Z])|;|\n[ \t]*\n"
    r"|\n[ \t>*_-]*(?i:declassify|derived|classified|sources?|downgrade)\b"
    r"|(?:\u00b6|\d(?<![\d.]\d)\d?[ \t]?\.)[ \t]*\([ \t]*[A-Z]")  # "... (d) 1. (S) Text"
# a section number that is not a category section, right after the Reason word
_R_OTHER_SECTION = re.compile(r"[ \t]*:?[ \t]*(?:[Ss]ec(?:tion|\.)?[ \t]*)?"
                              r"(\d{1,2}[ \t]?\.[ \t]?\d{1,2})(?![\d.]?\d)")
_R_WS = re.compile(r"\s")
_CB_HEAD = re.compile(r"(?i)classified\s+by\b[ \t]*:?")


def read_reasons(text: str, start: int = 0, end: int | None = None
                 ) -> list[tuple[int, int, str, str, tuple[str, ...]]]:
    """The reasons cited in ``text[start:end]``: ``(start, end, raw, section, letters)`` each.

    One reason per category section (``1.4 (b) and (d)`` -> ``("1.4", ("b", "d"))``; ``1.4
    (B) and 1.4 (D)`` -> two reasons); without a section, the letters after a ``Reason``
    word (``for reasons (B) and (D)``) with an empty section, or another section number as
    written (``Reason: 1.7(b)``). ``raw`` is the reason with its white space collapsed.
    """
    t = text
    end = len(t) if end is None else end
    secs = list(_R_SECTION.finditer(t, start, end))
    if not secs:
        rm = _R_REASON.search(t, start, end)
        if rm is None:
            return []
        seg = t[rm.end():end]
        cut = _R_CUT.search(seg)
        seg = seg[:cut.start()][:40] if cut else seg[:40]
        om = _R_OTHER_SECTION.match(seg)
        section = _R_WS.sub("", om.group(1)) if om else ""
        letters = tuple((x or y).lower() for x, y in _R_LETTER.findall(
            seg, om.end() if om else 0))
        if not letters and not section:
            return []
        rend = rm.end() + len(seg.rstrip())
        return [(rm.start(), rend, " ".join(t[rm.start():rend].split()), section, letters)]
    out = []
    for k, m in enumerate(secs):
        stop = secs[k + 1].start() if k + 1 < len(secs) else end
        seg = t[m.end():stop]
        cut = _R_CUT.search(seg)
        if cut:
            seg = seg[:cut.start()]
        seg = seg[:60]
        letters = tuple((x or y).lower() for x, y in _R_LETTER.findall(seg))
        rend = m.end() + len(seg.rstrip())
        out.append((m.start(), rend, " ".join(t[m.start():rend].split()),
                    "1" + _R_WS.sub("", m.group(1) or m.group(2).replace(",", ".")),
                    letters))
    return out


# The reasons of a Classified By sentence recur from line to line (``1.4 (b) and (d)``) while
# the names before them differ. What ``read_reasons`` gives for a text, positions aside,
# depends only on the text from its first category section on (or, with none, from its first
# ``Reason`` word): both searches run from the start of the text, nothing before the first
# match is read, and a match at the start of the cut text passes its look-behind as it did
# in place (``test_reasons_read_from_their_key_equal_whole_text``). So the reasons, and the
# block of a Classified By line, are shared per cut text: one frozen tuple of Reasons and
# one AuthorityBlock each. Cut texts that read the same reasons (the text after them
# differs) share one entry too: the models are built from (raw, section, letters) only.
# Cleared with the other parse caches; unused in the reference mode (``_AUTH_FAST = False``).
_REASONS_MEMO: dict[str, list[Any]] = {}  # cut text -> [reasons, Classified By block or None]
_READINGS_MEMO: dict[tuple[Any, ...], list[Any]] = {}  # ((raw, section, letters), ...) -> same


def _reason_key(text: str) -> str:
    """``text`` from where ``read_reasons`` starts reading it; "" when it reads nothing."""
    m = _R_SECTION.search(text) or _R_REASON.search(text)
    return "" if m is None else text[m.start():]


def _read_reason_models(text: str) -> tuple[Reason, ...]:
    return tuple(_built(Reason, raw=raw, section=sec, letters=letters)
                 for _, _, raw, sec, letters in read_reasons(text))


def _reasons_entry(text: str) -> list[Any]:
    """The memo entry ``[reasons, block]`` of a text (``_AUTH_FAST`` only)."""
    key = _reason_key(text)
    entry = _REASONS_MEMO.get(key)
    if entry is None:
        readings = tuple(r[2:] for r in read_reasons(key))
        entry = _READINGS_MEMO.get(readings)
        if entry is None:
            if len(_READINGS_MEMO) >= 4096:
                _READINGS_MEMO.clear()
            entry = _READINGS_MEMO[readings] = [tuple(
                _built(Reason, raw=raw, section=sec, letters=letters)
                for raw, sec, letters in readings), None]
        if len(_REASONS_MEMO) >= 4096:
            _REASONS_MEMO.clear()
        _REASONS_MEMO[key] = entry
    return entry


def _reasons(text: str) -> tuple[Reason, ...]:
    return _reasons_entry(text)[0] if _AUTH_FAST else _read_reason_models(text)


def parse_classified_by(text: str) -> AuthorityBlock:
    """``Classified By: <name>. Reason(s): 1.4 (b) and (d)`` -> block with the reasons.

    The line must start with ``Classified By`` (the grammar's ``classified_by``; anything
    else raises); its reasons are read as the document scanner reads them
    (:func:`read_reasons`), so that a line gives the same reasons here and in a document.
    """
    s = text.strip()
    m = _CB_HEAD.match(s)
    if m is None or not _AUTH_FAST:
        try:
            _lark_line(s, "classified_by")  # the grammar's error for a line it cannot read
        except MarkingSyntaxError:
            if m is None:
                raise
    assert m is not None  # Lark raised otherwise
    if not _AUTH_FAST:
        return _built(AuthorityBlock, classified_by=True, reasons=_reasons(s[m.end():]))
    entry = _reasons_entry(s[m.end():])
    if entry[1] is None:  # one frozen block per reasons read (see _REASONS_MEMO)
        entry[1] = _built(AuthorityBlock, classified_by=True, reasons=entry[0])
    return entry[1]


def _value_fast(s: str, keyword: re.Pattern[str]) -> str | None:
    """VALUE of ``derived_from`` / ``declassify_on`` (``KEYWORD _COLON? VALUE``) as Lark
    reads ``s``, or None (Lark decides)."""
    ws = _T_IGNORE.match
    m = keyword.match(s)
    if m is None:
        return None
    pos = ws(s, m.end()).end()  # state: VALUE, _COLON
    if s.startswith(":", pos):
        pos = ws(s, pos + 1).end()  # state: VALUE
    m = _T_VALUE.match(s, pos)
    if m is None or ws(s, m.end()).end() != len(s):
        return None
    return m.group()


_EO_START = re.compile(r"(E\.?\s?O\.?\s*\d|DECL\b)")


@lru_cache(maxsize=4096)
def parse_authority_line(text: str) -> AuthorityBlock:
    """One authority line (E.O./DECL, Classified By, Derived From, Declassify On, Reason)."""
    s = text.strip()
    up = s.upper()
    if _EO_START.match(up):
        return parse_eo_line(s)
    if up.startswith("CLASSIFIED"):
        return parse_classified_by(s)
    if up.startswith("DERIVED"):
        value = _value_fast(s, _T_DERIVED_FROM) if _AUTH_FAST else None
        if value is None:
            value = str(_lark_line(s, "derived_from").children[-1])
        return _built(AuthorityBlock, derived_from=value.strip())
    if up.startswith("DECLASSIFY"):
        value = _value_fast(s, _T_DECLASSIFY_ON) if _AUTH_FAST else None
        if value is None:
            value = str(_lark_line(s, "declassify_on").children[-1])
        return _built(AuthorityBlock, declassify_on=parse_declass(value))
    if up.startswith("REASON"):
        m = _R_REASON.match(s)
        reasons = _reasons(s[m.end():]) if m else ()
        if reasons:
            return _built(AuthorityBlock, reasons=reasons)
    raise MarkingSyntaxError("Not a classification authority line.", text=text)

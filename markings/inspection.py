"""The objects ``markings inspect`` prints: the document model of one file, as plain data.

:func:`inspect_dict` turns a :class:`markings.document.Document` into the JSON object of
``inspect --output-format json/json-lines``; :func:`unreadable_dict` is the object of a file
that could not be read (the same keys, empty, with ``code`` and ``error``), so a pipeline
reads every line the same way; :func:`inspect_text` is the human (``full``) rendering.
The schema is documented in ``docs/output-formats.md`` (``markings inspect``).
"""

from __future__ import annotations

import re
from typing import Any

#: Every object has exactly these keys, in this order (readable or not).
INSPECT_KEYS: tuple[str, ...] = (
    "path", "form", "style", "profile", "date", "date_source", "cable_id", "overall", "rollup",
    "banners", "portions", "captions", "sections", "authority", "notes", "code", "error",
)

#: Keys of ``authority`` (an object when the document has any authority line, else null).
AUTHORITY_KEYS: tuple[str, ...] = (
    "eo_line", "classified_by", "derived_from", "declassify_on", "compilation",
)

# What ends the authority named on a Classified By line: the reasons, or the next
# authority line when a reader ran the lines together (HTML).
_CB_KEYWORD_RE = re.compile(r"(?i)classified[ \t\n]+by\b[ \t]*:?")
_CB_STOP_RE = re.compile(
    r"(?i)(?<![A-Za-z])(?:reasons?\b|derived[ \t\n]+from\b|declassify[ \t\n]+on\b|"
    r"declassification\b|decl[ \t]*:|e\.[ \t]?o\.[ \t]*\d)")
# a value the publisher cut off ("COM JONATHAN FARRAR FOR REA..."): the broken "reasons" goes
_CB_CUT_RE = re.compile(r"(?i)(?:(?<![A-Za-z])r(?:e(?:a(?:s(?:o(?:n)?)?)?)?)?)?[ \t]*"
                        r"(?:\.\.\.|\u2026)[ \t\n]*$")


def _spaced(word: str) -> str:
    """``word`` with the stray blanks and line breaks of wrapped cables allowed inside."""
    return r"[ \t\n\u2028]*".join(word)


# a connecting word left before the reasons: "AMBASSADOR P. EXAMPLE PER 1.5 (B)", also
# broken by a wrap ("for rea sons", "fo \nr reasons")
_CB_TAIL_RE = re.compile(
    r"(?i)(?:[ \t\n\u2028,;:.\\]|(?<![A-Za-z])(?:%s)(?![A-Za-z]))+$"
    % "|".join(_spaced(w) for w in ("reasons", "reason", "per", "for", "under", "by", "and")))
_DERIVED_KEYWORD_RE = re.compile(r"(?i)derived[ \t]+from\b[ \t]*:?[ \t]*$")


def _span(sp: Any) -> dict[str, int | None]:
    if sp is None:
        return {"line": None, "column": None, "end_line": None, "end_column": None}
    return {"line": sp.line, "column": sp.column, "end_line": sp.end_line,
            "end_column": sp.end_column}


def _marking_ref(ref: Any) -> dict[str, Any]:
    return {"text": ref.text, "canonical": ref.canonical, **_span(ref.span), "error": ref.error}


def _banner_of(m: Any) -> str | None:
    try:
        return m.banner() if m is not None else None
    except Exception:  # rendering must not break inspection
        return None


def _collapse(s: str) -> str:
    return " ".join(s.split())


def reasons_canonical(reasons: Any) -> str:
    """``1.4(b), 1.4(d)`` for the reasons of an authority block."""
    out: list[str] = []
    for r in reasons:
        out.extend(f"{r.section}({x})" for x in r.letters) if r.letters else out.append(r.section)
    return ", ".join(out)


_SPAN_KEYS = ("line", "column", "end_line", "end_column")
_NO_DECLASS: dict[str, Any] = {
    "text": None, "kind": None, "date": None, "date_format": None, "ambiguous": None,
    "exemptions": [], "retired": None, "event": None, "valid_date": None}


def _declass(d: Any) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"text": d.raw, "kind": d.kind, "date": d.date.isoformat() if d.date else None,
            "date_format": d.date_format, "ambiguous": d.ambiguous,
            "exemptions": list(d.exemptions), "retired": d.retired, "event": d.has_event,
            "valid_date": d.valid_date, **_span(d.span)}


def classified_by_entry(doc: Any) -> tuple[str | None, int, int] | None:
    """The authority a Classified By line names, as written (whitespace collapsed), and the
    offsets of ``Classified By: <authority>``; None without a Classified By line.

    The scanner's ``classified_by_span`` covers the whole sentence (wrapped lines, the
    reasons, and in a memo the Reason / Declassify On lines under it): the authority ends
    at the reasons or at the next authority keyword.
    """
    a = doc.authority
    if a is None or not a.classified_by or a.classified_by_span is None:
        return None
    t = doc.text or ""
    sp = a.classified_by_span
    start, end = sp.start, min(sp.end, len(t))
    if not t or start >= end:
        return None, start, end
    m = _CB_KEYWORD_RE.match(t, start)
    if m is None:
        return None, start, end
    if m.end() >= end:  # "CLASSIFIED \n\nBY: ...": the sentence goes on past a blank line
        nl = t.find("\n", m.end())
        end = len(t) if nl < 0 else nl
    vstart = m.end()
    while m:  # "Classified By: Classified by: ...": the keyword written twice
        ws = vstart
        while ws < end and t[ws] in " \t\n":
            ws += 1
        again = _CB_KEYWORD_RE.match(t, ws, end)
        if again is None:
            break
        vstart = again.end()
    stop = end
    sm = _CB_STOP_RE.search(t, vstart, end)
    if sm:
        stop = sm.start()
    for r in a.reasons:  # "... PER 1.5 (B) AND (D)": no keyword before the reasons
        if r.span is not None and vstart <= r.span.start < stop:
            stop = r.span.start
    value = t[vstart:stop]
    cut = _CB_CUT_RE.search(value)
    if cut:  # "FOR REA...": cut off by the publisher
        value = value[:cut.start()]
    tail = _CB_TAIL_RE.search(value)
    if tail:
        value = value[:tail.start()]
    lead = len(value) - len(value.lstrip())
    value = value.strip()
    if not value:
        return None, start, vstart
    vs = vstart + lead
    return _collapse(value), start, vs + len(value)


def _derived_start(doc: Any, sp: Any) -> int:
    """Where the ``Derived From`` keyword of the value at ``sp`` starts (same line)."""
    t = doc.text or ""
    if not t or sp.start > len(t):
        return sp.start
    ls = t.rfind("\n", 0, sp.start) + 1
    m = _DERIVED_KEYWORD_RE.search(t, ls, sp.start)
    return m.start() if m else sp.start


def authority_dict(doc: Any) -> dict[str, Any] | None:
    """The parsed authority lines of ``doc``, one object per line kind (``present`` says
    whether the document has it), or None when it has none of them."""
    a = doc.authority
    if a is None:
        return None
    eo_present = a.eo_span is not None or a.eo is not None
    eo = {"present": eo_present, "eo": a.eo, "na": a.eo_na, "declassify": _declass(a.decl),
          **_span(a.eo_span)}
    cb_entry = classified_by_entry(doc)
    reasons = [{"text": r.raw, "section": r.section, "letters": list(r.letters),
                "canonical": reasons_canonical([r]), **_span(r.span)} for r in a.reasons]
    cb_span = None
    if cb_entry is not None:
        _, s, e = cb_entry
        cb_span = doc.span(s, e) if doc.text else a.classified_by_span
    cb = {"present": bool(a.classified_by),
          "authority": cb_entry[0] if cb_entry else None,
          "reasons": reasons, "reasons_canonical": reasons_canonical(a.reasons) or None,
          **_span(cb_span)}
    df_span = a.derived_from_span
    if df_span is not None and doc.text:
        df_span = doc.span(_derived_start(doc, df_span), df_span.end)
    df = {"present": a.derived_from is not None or a.derived_from_span is not None,
          "text": a.derived_from, "sources_list": a.sources_list, **_span(df_span)}
    dv = _declass(a.declassify_on)
    value = {k: v for k, v in dv.items() if k not in _SPAN_KEYS} if dv else _NO_DECLASS
    do = {"present": a.declassify_on_span is not None or a.declassify_on is not None,
          **value, **_span(a.declassify_on_span or (dv and a.declassify_on.span))}
    return {"eo_line": eo, "classified_by": cb, "derived_from": df, "declassify_on": do,
            "compilation": a.compilation}


def _profile(doc: Any, cfg: Any) -> str | None:
    try:
        if cfg is not None:
            from markings.engine import profile_for

            return profile_for(doc, cfg)
        from markings.profiles import choose_profile

        return choose_profile(doc)
    except Exception:  # the profile must not break inspection
        return None


def inspect_dict(doc: Any, cfg: Any = None) -> dict[str, Any]:
    """The machine-readable document model of one file (``markings inspect``).

    Banners and portions carry the marking as written (``text``), its ``canonical`` form
    (None when it cannot be parsed, with the parse ``error``) and the marking's own
    position (``line``, ``column``, ``end_line``, ``end_column``). A portion also has its
    ``paragraph`` span; an unmarked portion has ``text`` null and the position where its
    mark belongs (the start of the paragraph). ``sections`` are a multi-section cable's
    continuation headers (``MOSCOW 00005154 002 OF 004``): the text as written, the
    section ``number``, the count it gives (``of``) and the position. ``profile`` is the
    profile ``check`` applies (the configured one, or the automatic choice when ``cfg`` is
    None or says ``auto``). The keys are :data:`INSPECT_KEYS`; ``code`` and ``error`` are
    null for a file that was read.
    """
    banners = []
    for b in doc.banners:
        d = _marking_ref(b)
        d.update(position=b.position, section=b.section)
        banners.append(d)
    portions = []
    for p in doc.portions:
        if p.mark is not None:
            d = _marking_ref(p.mark)
        else:
            d = {"text": None, "canonical": None, "line": p.span.line, "column": p.span.column,
                 "end_line": p.span.line, "end_column": p.span.column, "error": None}
        d = {"kind": p.kind, "number": p.number, **d, "paragraph": _span(p.span)}
        portions.append(d)
    try:
        overall = _banner_of(doc.overall)
    except Exception:
        overall = None
    try:
        rollup = _banner_of(doc.rollup())
    except Exception:
        rollup = None
    return {
        "path": doc.path, "form": doc.form, "style": doc.style, "profile": _profile(doc, cfg),
        "date": doc.date.isoformat() if doc.date else None, "date_source": doc.date_source,
        "cable_id": doc.cable_id, "overall": overall, "rollup": rollup, "banners": banners,
        "portions": portions,
        "captions": [{"text": c.text, "line": c.span.line, "column": c.span.column}
                     for c in doc.captions],
        "sections": [{"text": h.text, "number": h.number, "of": h.total, **_span(h.span)}
                     for h in doc.sections],
        "authority": authority_dict(doc),
        "notes": list(doc.notes), "code": None, "error": None,
    }


def unreadable_dict(path: str, code: str, error: str) -> dict[str, Any]:
    """The object of a file that could not be read: every key, empty, plus the finding's
    ``code`` and ``error`` message."""
    empty: dict[str, Any] = {k: None for k in INSPECT_KEYS}
    for k in ("banners", "portions", "captions", "sections", "notes"):
        empty[k] = []
    empty.update(path=path, code=code, error=error)
    return empty


# --- the human rendering -----------------------------------------------------------------------

def _pos(d: dict[str, Any] | None) -> str:
    if not d or d.get("line") is None:
        return ""
    return f"{d['line']}:{d['column']}"


def _declass_text(v: dict[str, Any] | None) -> str:
    if v is None:
        return "-"
    kind = v["kind"]
    if kind == "date":
        parsed = f"date {v['date']}" if v["date"] else "date (invalid)"
    elif kind == "exemption":
        parsed = "exemption " + ", ".join(v["exemptions"])
        if v["date"]:
            parsed += f", date {v['date']}"
    elif kind == "event":
        parsed = "event"
    elif kind == "retired":
        parsed = f"retired ({v['retired']})" if v["retired"] else "retired"
        if v["date"]:
            parsed += f", date {v['date']}"
    elif kind == "na":
        parsed = "N/A"
    else:
        parsed = "(unparsed)"
    return f"{v['text']}  ->  {parsed}"


def _authority_rows(a: dict[str, Any]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    eo = a["eo_line"]
    if eo["present"]:
        val = f"E.O. {eo['eo']}" if eo["eo"] else "E.O."
        if eo["na"]:
            val += ": N/A"
        elif eo["declassify"]:
            val += f"  DECL: {_declass_text(eo['declassify'])}"
        rows.append(("E.O. line", _pos(eo), val))
    else:
        rows.append(("E.O. line", "", "-"))
    cb = a["classified_by"]
    rows.append(("Classified By", _pos(cb) if cb["present"] else "",
                 (cb["authority"] or "(no authority named)") if cb["present"] else "-"))
    rs = cb["reasons"]
    if rs:
        written = "; ".join(r["text"] for r in rs)
        rows.append(("Reasons", _pos(rs[0]), f"{written}  ->  {cb['reasons_canonical']}"))
    else:
        rows.append(("Reasons", "", "-"))
    df = a["derived_from"]
    val = (df["text"] or "(empty)") if df["present"] else "-"
    if df["present"] and df["sources_list"]:
        val += "  (with a Sources list)"
    rows.append(("Derived From", _pos(df) if df["present"] else "", val))
    do = a["declassify_on"]
    rows.append(("Declassify On", _pos(do) if do["present"] else "",
                 (_declass_text(do) if do["kind"] else "(empty)")
                 if do["present"] else "-"))
    if a["compilation"]:
        rows.append(("Compilation", "", "classified by compilation"))
    return rows


def inspect_text(d: dict[str, Any]) -> str:
    """The ``full`` (human) rendering of one :func:`inspect_dict` object."""
    if d.get("error") is not None:  # a file that could not be read
        return f"{d['path']}  (not read: {d['code']} {d['error']})\n"
    out = [f"{d['path']}  ({d['form']}, {d['style']}, profile {d['profile'] or '-'})"]
    if d["date"]:
        out.append(f"  date:    {d['date']}  (from {d['date_source'] or '?'})")
    if d["cable_id"]:
        out.append(f"  cable:   {d['cable_id']}")
    out += [f"  overall: {d['overall'] or '-'}", f"  rollup:  {d['rollup'] or '-'}"]
    for b in d["banners"]:
        out.append(f"  banner   {b['line']}:{b['column']}  {b['text']}  ->  "
                   f"{b['canonical'] or '(unparsed: ' + str(b['error']) + ')'}")
    for h in d.get("sections", []):
        out.append(f"  section  {h['line']}:{h['column']}  {h['text']}  ->  "
                   f"section {h['number']} of {h['of']}")
    for p in d["portions"]:
        if p["text"] is None:
            out.append(f"  portion  {p['line']}:{p['column']}  (unmarked {p['kind']})")
        else:
            out.append(f"  portion  {p['line']}:{p['column']}  {p['text']}  ->  "
                       f"{p['canonical'] or '(unparsed: ' + str(p['error']) + ')'}")
    a = d["authority"]
    if a is None:
        out.append("  authority: -")
    else:
        out.append("  authority:")
        rows = _authority_rows(a)
        w = max(len(r[0]) for r in rows)
        pw = max(len(r[1]) for r in rows)
        for label, pos, val in rows:
            out.append(f"    {label:<{w}}  {pos:<{pw}}  {val}".rstrip())
    return "\n".join(out) + "\n"

"""Finding the data: which sheets hold the ledger, where its header is, and what each column means.

- The header is the row (or pair of rows) among the first 30 whose titles match the most fields.
  A second header row is taken when it adds fields or a merged cell spans both rows; its titles are
  joined to the row above ("建设起" + "止年限" → "建设起止年限"), a title merged across several
  columns is repeated over them.
- A sheet is a data sheet when its header names the project and at least two more fields. Summary
  and pivot sheets (汇总, 透视, 统计…) whose header scores low are skipped.
- Each column is mapped to a field from the synonym table with a confidence: a remembered mapping
  for the same header (1.0), an exact synonym (1.0), a title that contains a synonym (0.8), a close
  match (below 0.7). A field goes to the column with the best match; the others are left unmapped.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field

from chainlead.ledger import fields as F
from chainlead.ledger.choices import MatchHow
from chainlead.ledger.normalise import cell_text, compact, header_unit, note_unit

HEADER_SCAN_ROWS = 30
#: Synonyms too generic to be matched *inside* a longer title (they still match exactly).
NO_CONTAINS = frozenset(
    {"项目", "名称", "类别", "级别", "编号", "说明", "手机", "排序", "片区", "战区", "电话"}
)
SUMMARY_WORDS = ("汇总", "透视", "pivot", "统计", "分析", "图表", "说明", "目录", "封面")
EXACT, CONTAINS_SCORE = 1.0, 0.8


@dataclass
class ColumnMap:
    index: int
    header: str
    field: str = ""
    confidence: float = 0.0
    how: str = MatchHow.NONE
    unit: str = ""

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "header": self.header,
            "field": self.field,
            "confidence": round(self.confidence, 2),
            "how": self.how,
            "unit": self.unit,
        }


@dataclass
class SheetLayout:
    """Where the data of one sheet is and what its columns mean."""

    index: int
    name: str
    is_data: bool = False
    reason: str = ""
    header_rows: list[int] = field(default_factory=list)  # 0-based row indexes
    data_start: int = 0
    columns: list[ColumnMap] = field(default_factory=list)
    note_unit: str = ""
    signature: str = ""

    def field_columns(self) -> dict[str, ColumnMap]:
        return {c.field: c for c in self.columns if c.field}

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "name": self.name,
            "is_data": self.is_data,
            "reason": self.reason,
            "header_rows": [r + 1 for r in self.header_rows],
            "data_start": self.data_start + 1,
            "columns": [c.as_dict() for c in self.columns],
            "note_unit": self.note_unit,
            "signature": self.signature,
        }


class SynonymIndex:
    """Title → (field, confidence, how) from the synonym table and the fields' own labels."""

    def __init__(self, pairs):
        self.exact: dict[str, str] = {}
        for key, text in pairs:
            base, _unit = header_unit(text)
            if base and key in F.BY_KEY:
                self.exact.setdefault(base, key)
        for f in F.FIELDS:
            base, _unit = header_unit(str(f.label))
            self.exact.setdefault(base, f.key)
        self.contains = sorted(
            ((s, k) for s, k in self.exact.items() if len(s) >= 2 and s not in NO_CONTAINS),
            key=lambda item: -len(item[0]),
        )
        self._keys = list(self.exact)
        self._cache: dict = {}

    @classmethod
    def from_db(cls) -> SynonymIndex:
        from chainlead.ledger.models import FieldSynonym

        pairs = list(FieldSynonym.objects.values_list("field", "text"))
        if not pairs:
            pairs = F.default_synonyms()
        return cls(pairs)

    def match(self, title: str, *, fuzzy: bool = True) -> tuple[str, float, str]:
        cache_key = (title, fuzzy)
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = self._cache[cache_key] = self._match(title, fuzzy)
        return cached

    def _match(self, title: str, fuzzy: bool) -> tuple[str, float, str]:
        base, _unit = header_unit(title)
        if not base:
            return "", 0.0, MatchHow.NONE
        key = self.exact.get(base)
        if key:
            return key, EXACT, MatchHow.EXACT
        for synonym, key in self.contains:
            if synonym in base:
                return key, CONTAINS_SCORE, MatchHow.CONTAINS
        if not fuzzy or len(base) > 20:
            return "", 0.0, MatchHow.NONE
        close = difflib.get_close_matches(base, self._keys, n=1, cutoff=0.75)
        if close:
            ratio = difflib.SequenceMatcher(None, base, close[0]).ratio()
            return self.exact[close[0]], round(ratio * 0.7, 2), MatchHow.FUZZY
        return "", 0.0, MatchHow.NONE

    def best(self, variants: list[str], *, fuzzy: bool = True) -> tuple[str, float, str]:
        best = ("", 0.0, MatchHow.NONE)
        for text in variants:
            if not text:
                continue
            result = self.match(text, fuzzy=fuzzy)
            if result[1] > best[1]:
                best = result
        return best


def _merge_fill(rows: list[list], merged, top: int, bottom: int) -> list[list[str]]:
    """Header rows ``top..bottom`` as text. A title merged across columns is repeated over them;
    a title merged down over both rows appears once, in the upper row ("项目名称" over two rows
    must not become "项目名称项目名称")."""
    width = max((len(rows[r]) for r in range(top, bottom + 1)), default=0)
    block = [[cell_text(v) for v in rows[r]] + [""] * (width - len(rows[r])) for r in range(top, bottom + 1)]
    for (r1, c1), (r2, c2) in merged or ():
        if r1 < top or r1 > bottom:
            continue
        value = cell_text(rows[r1][c1]) if c1 < len(rows[r1]) else ""
        for r in range(r1, min(r2, bottom) + 1):
            for c in range(c1, min(c2, width - 1) + 1):
                block[r - top][c] = value if r == r1 else ""
    return block


def _vertical_merge(merged, top: int) -> bool:
    return any(r1 <= top < r2 for (r1, _c1), (r2, _c2) in merged or ())


def _header_texts(rows, merged, top: int, two: bool) -> list[tuple[str, list[str]]]:
    """For each column: (display title, variants to match)."""
    if not two:
        block = _merge_fill(rows, merged, top, top)
        return [(t, [t]) for t in block[0]]
    block = _merge_fill(rows, merged, top, top + 1)
    upper, lower = block
    if not merged:
        # No merge information (CSV, some .xls): a group title spans the empty cells to its right
        # as long as the row below has titles there.
        filled, last = [], ""
        for c, text in enumerate(upper):
            if text:
                last = text
                filled.append(text)
            elif lower[c] and last and c > 0 and lower[c - 1]:
                filled.append(last)
            else:
                filled.append("")
        upper = filled
    out = []
    for a, b in zip(upper, lower, strict=True):
        joined = (a + b) if a != b else a
        out.append((joined, [joined, b, a]))
    return out


def _score(index: SynonymIndex, titles) -> tuple[int, float, bool]:
    """(fields matched well, total confidence, names the project) for a header candidate."""
    found: dict[str, float] = {}
    for _display, variants in titles:
        # Only matches ≥ 0.8 count here, so the (slow) close-match search is not needed.
        key, confidence, _how = index.best(variants, fuzzy=False)
        if key and confidence >= CONTAINS_SCORE and key != "readonly":
            found[key] = max(found.get(key, 0), confidence)
    return len(found), sum(found.values()), "name" in found


def signature_of(headers: list[str]) -> str:
    """The header's fingerprint: same titles (after compaction) → same remembered mapping."""
    texts = [compact(h) for h in headers]
    while texts and not texts[-1]:
        texts.pop()
    return hashlib.sha256("\x1f".join(texts).encode()).hexdigest()


def detect_layout(
    sheet, index: int, synonyms: SynonymIndex, remembered: dict | None = None, overrides: dict | None = None
) -> SheetLayout:
    """Find the header and map the columns of one sheet.

    ``remembered`` maps signature → {column index: field}; ``overrides`` is {column index: field}
    chosen by the user on the preview page ("" to ignore a column)."""
    layout = SheetLayout(index=index, name=sheet.name)
    rows = sheet.rows
    if sheet.hidden:
        layout.reason = "hidden"
        return layout
    best = None
    for top in range(min(HEADER_SCAN_ROWS, len(rows))):
        if not any(cell_text(v) for v in rows[top]):
            continue
        single = _header_texts(rows, sheet.merged, top, False)
        candidates = [(False, single, _score(synonyms, single))]
        if top + 1 < len(rows):
            double = _header_texts(rows, sheet.merged, top, True)
            score2 = _score(synonyms, double)
            if score2[0] > candidates[0][2][0] or (
                _vertical_merge(sheet.merged, top) and score2[0] >= candidates[0][2][0]
            ):
                candidates.append((True, double, score2))
        for two, titles, score in candidates:
            key = (score[2], score[0], score[1])
            if best is None or key > best[0]:
                best = (key, top, two, titles)
    if best is None:
        layout.reason = "empty"
        return layout
    (names_project, matched, _total), top, two, titles = best
    summary_name = any(word in sheet.name.lower() for word in SUMMARY_WORDS)
    if not names_project or matched < 3 or (summary_name and matched < 4):
        layout.reason = "summary" if summary_name else "no_header"
        return layout
    layout.is_data = True
    layout.header_rows = [top, top + 1] if two else [top]
    layout.data_start = top + (2 if two else 1)
    for r in range(top):
        for value in rows[r]:
            unit = note_unit(value)
            if unit:
                layout.note_unit = unit
    headers = [display for display, _variants in titles]
    while headers and not headers[-1]:
        headers.pop()
    layout.signature = signature_of(headers)
    mapping = (remembered or {}).get(layout.signature)
    columns = []
    for c, (display, variants) in enumerate(titles[: len(headers)]):
        unit = ""
        for text in variants:
            _base, unit = header_unit(text)
            if unit:
                break
        column = ColumnMap(index=c, header=display, unit=unit)
        if mapping is not None:
            column.field = mapping.get(str(c), mapping.get(c, "")) or ""
            column.confidence = 1.0 if column.field else 0.0
            column.how = MatchHow.REMEMBERED if column.field else MatchHow.NONE
        elif display:
            column.field, column.confidence, column.how = synonyms.best(variants)
        columns.append(column)
    if mapping is None:
        _resolve_conflicts(columns)
    for c, key in (overrides or {}).items():
        c = int(c)
        if 0 <= c < len(columns):
            if key and key not in F.BY_KEY:
                continue
            if key and key != "readonly":
                for other in columns:
                    if other.field == key and other.index != c:
                        other.field, other.confidence, other.how = "", 0.0, MatchHow.NONE
            columns[c].field = key or ""
            columns[c].confidence = 1.0 if key else 0.0
            columns[c].how = MatchHow.MANUAL
    layout.columns = columns
    return layout


def _resolve_conflicts(columns: list[ColumnMap]) -> None:
    """Each field goes to one column: the best match (then the leftmost) keeps it."""
    taken: dict[str, ColumnMap] = {}
    for column in sorted(columns, key=lambda c: (-c.confidence, c.index)):
        if not column.field or column.field == "readonly":
            continue
        if column.field in taken:
            column.field, column.confidence, column.how = "", 0.0, MatchHow.NONE
        else:
            taken[column.field] = column


def detect(sheets, synonyms: SynonymIndex, remembered=None, overrides=None) -> list[SheetLayout]:
    """Layouts of every sheet of a workbook (``overrides``: {sheet index: {column: field}})."""
    overrides = overrides or {}
    return [
        detect_layout(sheet, i, synonyms, remembered, overrides.get(str(i), overrides.get(i)))
        for i, sheet in enumerate(sheets)
    ]

"""Clause suggestions for a nonconformity statement: character n-gram TF-IDF, offline, Chinese and English.

Each clause of each catalogue is one document made of its zh and en titles (and its parent's), our
checklist question and guidance for it, our nonconformity vocabulary for it
(``resources/findings/clause_hints.json``) and the certification body's past findings that cite it.
Chinese is split into character 1-3-grams, other text into 3-5-grams of each word, so neither a
segmenter nor a model is needed and a typo or an inflection still shares most grams.  Measured on
the labelled statements in ``tests/app/findings/suggestion_cases.py``.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.refdata import catalogue, leaf_clauses, standards
from app.refdata.catalogues import correspondences
from app.refdata.checklists import instantiate_checklist
from app.refdata.data import DATA_DIR
from app.store import Store

HINTS_FILE = DATA_DIR.parent / "findings" / "clause_hints.json"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z][a-z0-9&]*|\d+")
_STOP = frozenset({"a", "an", "the", "of", "and", "or", "to", "in", "on", "at", "by", "for", "with", "was", "were",
                   "is", "are", "be", "been", "not", "no", "any", "its", "it", "this", "that", "from", "as", "has",
                   "have", "had", "did", "do", "does", "since", "our", "their", "there", "which"})
# Past findings weigh in per statement but capped, so one busy clause cannot drown the others.
MAX_PAST_PER_CLAUSE = 50
Vector = dict[str, float]


def grams(text: str) -> Counter[str]:
    folded = unicodedata.normalize("NFKC", text).lower()
    found: Counter[str] = Counter()
    for run in _CJK.findall(folded):
        for size in (1, 2, 3):
            found.update(run[i:i + size] for i in range(len(run) - size + 1))
    for word in _WORD.findall(folded):
        if word in _STOP:
            continue
        padded = f"<{word}>"
        for size in (3, 4, 5):
            found.update(padded[i:i + size] for i in range(max(len(padded) - size + 1, 1)))
    return found


@dataclass(frozen=True)
class ClauseSuggestion:
    standard: str
    clause: str
    title_zh: str
    title_en: str
    score: float

    def title(self, language: str | None = None) -> str:
        return self.title_en if (language or "").startswith("en") else self.title_zh


@cache
def _hints() -> dict[str, Any]:
    with HINTS_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


@cache
def _base_texts() -> dict[tuple[str, str], str]:
    """The shipped text of every leaf clause (titles, checklist question and guidance, hints)."""
    hints = _hints()
    common = {(std, ref): row.id for row in correspondences() for std, ref in row.refs.items()}
    texts: dict[tuple[str, str], str] = {}
    for standard in standards():
        clauses = catalogue(standard)
        drafts = {d.clause: d for d in instantiate_checklist([standard])}
        for leaf in leaf_clauses(standard):
            parts = [leaf.title_zh, leaf.title_en]
            parent = clauses.get(leaf.parent or "")
            if parent is not None:
                parts += [parent.title_zh, parent.title_en]
            draft = drafts.get(leaf.number)
            if draft is not None:
                parts += [draft.question_zh, draft.question_en, draft.guidance_zh, draft.guidance_en]
            for entry in (hints["common"].get(common.get((standard, leaf.number), "")),
                          hints.get(standard, {}).get(leaf.number)):
                if entry:
                    # Hints are the vocabulary of findings themselves: they count twice.
                    parts += [entry["zh"], entry["en"]] * 2
            texts[(standard, leaf.number)] = "\n".join(parts)
    return texts


class ClauseSuggester:
    def __init__(self, past: Iterable[tuple[str, str, str]] = ()) -> None:
        """``past``: (standard, clause, statement) of the certification body's earlier findings."""
        extra: dict[tuple[str, str], list[str]] = {}
        for standard, number, statement in past:
            bucket = extra.setdefault((standard, number), [])
            if len(bucket) < MAX_PAST_PER_CLAUSE:
                bucket.append(statement)
        self.keys: list[tuple[str, str]] = []
        counts: list[Counter[str]] = []
        for key, text in _base_texts().items():
            self.keys.append(key)
            counts.append(grams("\n".join([text, *extra.get(key, [])])))
        frequency: Counter[str] = Counter()
        for count in counts:
            frequency.update(count.keys())
        total = len(counts)
        self.idf = {gram: math.log((total + 1) / (df + 1)) + 1.0 for gram, df in frequency.items()}
        self.vectors = [self._vector(count) for count in counts]

    def _vector(self, count: Counter[str]) -> Vector:
        weights = {g: (1.0 + math.log(n)) * self.idf[g] for g, n in count.items() if g in self.idf}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    def suggest(self, text: str, standards_: Iterable[str] | None = None, limit: int = 5) -> list[ClauseSuggestion]:
        """The most likely clauses, best first (empty for an empty or unhelpful statement)."""
        if not isinstance(text, str) or not text.strip() or limit <= 0:
            return []
        wanted = set(standards_) if standards_ is not None else None
        query = self._vector(grams(text[:4000]))
        if not query:
            return []
        scored = []
        for key, vector in zip(self.keys, self.vectors, strict=True):
            if wanted is not None and key[0] not in wanted:
                continue
            score = sum(weight * vector.get(gram, 0.0) for gram, weight in query.items())
            if score > 0:
                scored.append((score, key))
        scored.sort(key=lambda item: (-item[0], item[1]))
        result = []
        for score, (standard, number) in scored[:limit]:
            found = catalogue(standard)[number]
            result.append(ClauseSuggestion(standard, number, found.title_zh, found.title_en, round(score, 4)))
        return result


def past_findings(store: Store) -> list[tuple[str, str, str]]:
    """(standard, clause, statement) for every finding in the profile (all audits of this CB)."""
    pairs = []
    for finding in store.findings.list():
        for ref in finding.clause_refs:
            pairs.append((ref.standard, ref.clause, finding.statement))
    return pairs


def suggester_for(store: Store | None) -> ClauseSuggester:
    return ClauseSuggester(past_findings(store) if store is not None else ())

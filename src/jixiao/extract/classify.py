"""What kind of document this is, with the evidence: title, headings, table headers, words.

A district publishes its self-evaluation beside documents that use the same
words: a 部门决算 with a 绩效自评 section, a 部门预算 with 绩效目标表 pages, a
third-party evaluation. The words alone (``绩效自评`` appears in all of them)
cannot tell them apart; the title, the section and table titles and the
table headers can. The evidence and its weights are data
(``reference/doc_types.yaml``); this module only adds them up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from jixiao.errors import NotASelfEvaluation, ProjectTableNotLoaded
from jixiao.model import TextLine
from jixiao.reference import load_yaml

SELF_EVALUATION_TYPES = (
    "dept_self_eval_table",
    "dept_self_eval_report",
    "project_self_eval_table",
)


@dataclass
class Classification:
    """A document type, the score that chose it and the evidence, as a readable reason."""

    doc_type: str
    score: int
    hits: list[str] = field(default_factory=list)
    runner_up: tuple[str, int, list[str]] | None = None

    @property
    def is_self_evaluation(self) -> bool:
        return self.doc_type in SELF_EVALUATION_TYPES

    @property
    def is_loaded(self) -> bool:
        """Whether the warehouse loads this type's facts (``loaded`` in doc_types.yaml)."""
        return bool(rules()["types"].get(self.doc_type, {}).get("loaded", True))

    @property
    def reason(self) -> str:
        """E.g. ``title 「…部门决算」; headings 收入支出决算总表 (score 10; next: budget 2)``."""
        if self.doc_type == "other":
            if not self.runner_up:
                return "no title, heading or table of a known type (score 0)"
            name, score, hits = self.runner_up
            return (
                f"too little evidence for any type: best {name} {score} ({'; '.join(hits)}), "
                f"below {rules()['min_score']}"
            )
        nxt = ""
        if self.runner_up and self.runner_up[1] > 0:
            name, score, hits = self.runner_up
            nxt = f"; next: {name} {score} ({'; '.join(hits)})"
        return f"{'; '.join(self.hits)} (score {self.score}{nxt})"


@cache
def rules() -> dict:
    """``reference/doc_types.yaml`` with its title patterns compiled."""
    spec = load_yaml("doc_types.yaml")
    for t in spec["types"].values():
        t["title_re"] = [re.compile(p) for p in t.get("title", [])]
    return spec


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def title_lines(lines: list[TextLine]) -> list[str]:
    """The first non-empty lines of the first page (sheet, table) that has text."""
    spec = rules()
    texts = [squeeze(ln.text) for ln in lines]
    first_page = next((ln.page for ln, t in zip(lines, texts, strict=True) if t), None)
    out = [t for ln, t in zip(lines, texts, strict=True) if t and ln.page == first_page]
    return out[: spec["title_lines"]]


def _title(candidates: list[str], spec: dict) -> str | None:
    """The first candidate line that any type's title pattern matches; a title wrapped
    over two lines (…部门整体支出绩效自评 / 表) counts joined."""
    patterns = [p for t in spec["types"].values() for p in t["title_re"]]
    joined = [a + b for a, b in pairwise(candidates)]
    return next((c for c in candidates + joined if any(p.search(c) for p in patterns)), None)


def header_windows(lines: list[TextLine]) -> list[str]:
    """Each line joined with the next ``header_window - 1`` lines of its page."""
    n = rules()["header_window"]
    texts = [squeeze(ln.text) for ln in lines]
    out = []
    for i, ln in enumerate(lines):
        window = [t for t, other in zip(texts[i : i + n], lines[i : i + n], strict=True)
                  if other.page == ln.page]  # fmt: skip
        out.append("".join(window))
    return out


def signature_found(name: str, windows: list[str]) -> bool:
    """Whether a window holds a word of every group of the signature and none of its exclusions."""
    sig = rules()["signatures"][name]
    groups = [[squeeze(w) for w in g] for g in sig["groups"]]
    none_of = [squeeze(w) for w in sig.get("none_of", [])]
    return any(
        all(any(w in text for w in g) for g in groups) and not any(w in text for w in none_of)
        for text in windows
    )


def classify(lines: list[TextLine]) -> Classification:
    """The document type of a text (lines in reading order; table rows as lines).

    Every hit of every type is counted (``reference/doc_types.yaml`` says how);
    the best type at or above ``min_score`` wins, else ``other``.
    """
    spec = rules()
    weights, caps = spec["weights"], spec["caps"]
    title = _title(title_lines(lines), spec)
    squeezed = [squeeze(ln.text) for ln in lines]
    # a heading is a line's start: text layers often run a table title into its cells
    short = [t[: spec["heading_max_chars"]] for t in squeezed if t]
    full = "".join(squeezed)
    windows = header_windows(lines)
    found_signatures = {name for name in spec["signatures"] if signature_found(name, windows)}
    scored: list[tuple[str, int, list[str]]] = []
    for name, t in spec["types"].items():
        hits: dict[str, list[str]] = {"title": [], "heading": [], "header": [], "phrase": []}
        if title and any(p.search(title) for p in t["title_re"]):
            hits["title"].append(f"title 「{title[:60]}」")
        for word in t.get("headings", []):
            w = squeeze(word)
            if any(w in s for s in short):
                hits["heading"].append(f"heading {word}")
        for sig in t.get("signatures", []):
            if sig in found_signatures:
                hits["header"].append(f"table header {sig}")
        for word in t.get("phrases", []):
            if squeeze(word) in full:
                hits["phrase"].append(f"word {word}")
        score = 0
        kept: list[str] = []
        for kind, found in hits.items():
            counted = found[: caps[kind]]
            score += weights[kind] * len(counted)
            kept += counted
        if t.get("requires") and not any(hits[kind] for kind in t["requires"]):
            score, kept = 0, []  # its title alone is ambiguous: evidence of the kind it needs
        scored.append((name, score, kept))
    ranked = sorted(scored, key=lambda s: -s[1])  # stable: ties keep the file's order
    best = ranked[0]
    runner_up = ranked[1] if len(ranked) > 1 else None
    if best[1] < spec["min_score"]:
        return Classification("other", best[1], [], best if best[1] else None)
    return Classification(best[0], best[1], best[2], runner_up)


def require_self_evaluation(lines: list[TextLine]) -> Classification:
    """The document's type; raise ``NotASelfEvaluation`` unless it is a self-evaluation.

    The message is ``<doc_type>: <reason>`` (``reference/doc_types.yaml``
    says which evidence counts). A self-evaluation type the warehouse does not
    load yet (``loaded: false``) raises ``ProjectTableNotLoaded``.
    """
    kind = classify(lines)
    if not kind.is_self_evaluation:
        raise NotASelfEvaluation(f"{kind.doc_type}: {kind.reason}")
    if not kind.is_loaded:
        raise ProjectTableNotLoaded(
            f"{kind.doc_type}: {kind.reason}; a project's indicators are not the "
            "department's, and fact_project is not built yet"
        )
    return kind

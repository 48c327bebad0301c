"""Header rows → column roles. The words are data: ``reference/table_headers.yaml``."""

from __future__ import annotations

from functools import cache

from jixiao.extract.tables.text import headers
from jixiao.reference import name_key

NAME_LEVELS = ("name_l1", "name_l2", "name_l3")


def header_roles(cells: list[str]) -> dict[str, list[int]] | None:
    """Column roles if this row is a score-table header, else None.

    A 分值/权重 column belongs to the nearest name column on its left, so the
    result maps ``weight:name_lN`` for each level that has one.
    """
    spec = headers()
    role_keys = _role_keys()
    roles: dict[str, list[int]] = {}
    keys = [name_key(c) for c in cells]
    for col, key in enumerate(keys):
        if not key:
            continue
        for role in spec["roles"]:  # in the file's order: the first role that has it
            if key in role_keys[role]:
                roles.setdefault(role, []).append(col)
                break
    flat = roles.pop("name_flat", None)
    if flat and not any(level in roles for level in NAME_LEVELS):
        roles["name_l1"] = flat  # a flat list: every indicator at level 1, under 总分
    if not all(r in roles for r in spec["required"]):
        return None
    for col in roles.pop("weight", []):
        left = [(c, r) for r in NAME_LEVELS for c in roles.get(r, []) if c < col]
        if left:
            roles[f"weight:{max(left)[1]}"] = [col]
    return roles


@cache
def _role_keys() -> dict[str, frozenset[str]]:
    """Per role, the keys of its header words (computed once: header_roles runs on
    every row of every candidate table)."""
    return {role: frozenset(map(name_key, words)) for role, words in headers()["roles"].items()}


def leaf_level(roles: dict[str, list[int]]) -> str:
    """The deepest name level the header prints (name_l3, or name_l2 in two-level tables)."""
    return next(level for level in reversed(NAME_LEVELS) if level in roles)


def number_columns(roles: dict[str, list[int]]) -> list[int]:
    """The columns whose numbers make a data row: the leaf weight and the score."""
    cols = list(roles.get("score", []))
    cols += roles.get(f"weight:{leaf_level(roles)}", [])
    return cols


def header_pieces(cells: list[str]) -> list[str]:
    """Header cells that hold a piece of a header word (二级指 | 标): columns cut in a label."""
    words = {name_key(w) for ws in headers()["roles"].values() for w in ws}
    return [
        c for c in cells
        if (key := name_key(c)) and key not in words
        and any(len(key) < len(w) and (w.startswith(key) or w.endswith(key)) for w in words)
    ]  # fmt: skip

"""The import graph of ``src/jixiao`` follows the data flow.

Read from the source (AST), every ``import`` counted, also those inside
functions (a lazy import still ties two modules together) but not those under
``if TYPE_CHECKING:``. Two rules:

- no cycle between modules;
- no stage imports a later one: the ground floor (reference data, records,
  errors, paths) imports no stage, and fetch → extract → normalize → validate →
  load → the readers of the warehouse → the entry points each import only
  themselves and what comes before.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "jixiao"

# Floors in data-flow order; a module's floor is that of its first dotted part
# under jixiao (jixiao.extract.tables.grid → extract).
GROUND = {"", "reference", "model", "schema", "errors", "formats", "paths", "version", "manifest"}
FLOORS = [
    GROUND | {"faults"},
    {"fetch"},
    {"extract"},
    {"normalize"},
    {"validate"},
    {"load"},
    {"export", "report", "compare", "summary", "artifacts"},
    {"ingest", "cli"},
]

# Backward imports known and kept on purpose, each with why. The list may only
# shrink: the test fails on an import not here and on an entry no longer needed.
KNOWN_BACKWARD: set[tuple[str, str]] = set()  # none: the dictionary is on the ground floor


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes under ``if TYPE_CHECKING:`` (imports for annotations only)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                out |= {id(n) for n in ast.walk(child)}
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The jixiao modules ``name`` imports (``from a import b``: a.b when b is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        out |= {t for t in targets if t in known and t != name}
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def floor(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    for n, names in enumerate(FLOORS):
        if part in names:
            return n
    raise AssertionError(f"{module}: on no floor; add it to FLOORS in {__file__}")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(out)


def backward_imports(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {(a, b) for a, targets in edges.items() for b in targets if floor(b) > floor(a)}


def test_the_graph_is_read():
    """Not vacuous: the walk sees the package's modules and their imports."""
    edges = graph()
    assert len(edges) > 70
    assert "jixiao.reference.numbers" in edges["jixiao.extract.prose"]
    assert "jixiao.validate.gx_runner" in edges["jixiao.validate.docs"]  # inside a function
    assert "jixiao.manifest" not in edges["jixiao.model"]  # under TYPE_CHECKING


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_no_stage_imports_a_later_stage():
    found = backward_imports(graph())
    assert found - KNOWN_BACKWARD == set(), "a stage imports a later one"
    assert KNOWN_BACKWARD - found == set(), "no longer imported: drop from KNOWN_BACKWARD"


def test_the_checks_find_what_they_look_for():
    """A made-up cycle and a made-up backward import are found."""
    made_up = {
        "jixiao.extract.a": {"jixiao.normalize.b"},
        "jixiao.normalize.b": {"jixiao.extract.a"},
        "jixiao.reference": set(),
    }
    assert cycles(made_up) == [["jixiao.extract.a", "jixiao.normalize.b"]]
    assert backward_imports(made_up) == {("jixiao.extract.a", "jixiao.normalize.b")}

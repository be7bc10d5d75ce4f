"""The package's layers, as the code must obey them (docs/architecture.md draws the same order).

A document travels read → understand → store → find → present, and each layer imports only what
lies below it: shared types at the bottom; ``understand`` and ``readers`` above them; ``records``
the one home of what is stored (catalogue, originals, threads, holdings, the change queue);
``search`` reads it and ``ingest`` writes through it; citing, sharing and the web on top.

Imports inside functions count like any other (an import moved into a function to dodge a cycle
is still the cycle), and module-level cycles are refused even within one layer. Only the command
line may import late, and only downward: Django must be configured (``--data``) before models load.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "opis"

# Lowest first. A module belongs to the first layer one of whose prefixes it starts with.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("shared types", ("opis.errors", "opis.drafts", "opis.config", "opis.checksum")),
    ("understand", ("opis.understand",)),
    ("readers", ("opis.readers",)),
    ("records", ("opis.records",)),
    ("search", ("opis.search",)),
    ("ingest", ("opis.ingest",)),
    ("curate", ("opis.curate",)),
    ("evaluate", ("opis.evaluate",)),
    ("cite", ("opis.cite",)),
    ("oai", ("opis.oai",)),
    ("export", ("opis.export",)),
    ("web", ("opis.web",)),
    (
        "wiring",
        (
            "opis.settings",
            "opis.urls",
            "opis.wsgi",
            "opis.textview",
            "opis.cli",
            "opis.dask_worker",
        ),
    ),
]
# An AppConfig's ready() is Django's one place to connect signal handlers that touch models (they
# cannot load while apps.py itself is imported): a late import there is Django's rule, not a cycle.
LATE_IMPORTS_ALLOWED = ("opis.cli", "opis.cli_support", "opis.cli_tools", "opis.records.apps")
# Registries load their members by name when first asked (a member imports the registry).
REGISTRY_LOADERS = {"opis.readers", "opis.export", "opis.cite.styles"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts}


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, inside a function) for every ``opis`` import of a module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested = {
        id(node)
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(func)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # ``from opis.search import query`` names the module opis.search.query
            targets = [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            if target == "opis" or target.startswith("opis."):
                found.append((target, node.lineno, id(node) in nested))
    return found


def resolve(target: str, known: dict[str, Path]) -> str | None:
    """The module a dotted import names (``from opis.x import y`` may name module or attribute)."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def layer_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") or module.startswith(p) for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no layer; add it to LAYERS and docs/architecture.md")


def edges() -> list[tuple[str, str, int, bool]]:
    known = modules()
    result = []
    for name, path in known.items():
        for target, line, late in imports(path):
            module = resolve(target, known)
            if module and module != name and module != "opis":
                result.append((name, module, line, late))
    return sorted(set(result))


def test_every_module_has_a_layer():
    for name in modules():
        if name != "opis":
            layer_of(name)


def test_imports_run_downward():
    upward = [
        f"{src} (line {line}, layer {LAYERS[layer_of(src)][0]}) imports {dst} from above"
        for src, dst, line, _ in edges()
        if layer_of(dst) > layer_of(src)
    ]
    assert upward == []


def test_no_late_imports_outside_the_command_line():
    late = [
        f"{src} (line {line}) imports {dst} inside a function"
        for src, dst, line, is_late in edges()
        if is_late
        and not src.startswith(LATE_IMPORTS_ALLOWED)
        and not (src in REGISTRY_LOADERS and dst.startswith(src + "."))
    ]
    assert late == []


def test_no_import_cycles():
    graph: dict[str, set[str]] = {}
    for src, dst, _, late in edges():
        if not (late and src in REGISTRY_LOADERS):
            graph.setdefault(src, set()).add(dst)
    cycles = []
    state: dict[str, int] = {}  # 1 on the current path, 2 done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(path[path.index(nxt) :] + [node, nxt]))
            elif nxt not in state:
                visit(nxt, path + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
    assert cycles == []


@pytest.mark.parametrize(
    "src, dst",
    [("opis.understand.dates", "opis.readers"), ("opis.records.serialize", "opis.ingest")],
)
def test_the_rule_would_catch_an_upward_import(src, dst):
    """The check itself: an import from understand into readers is reported as upward."""
    assert layer_of(dst) > layer_of(src)

"""Docs that fail when they drift from the code (STYLE.md 11).

- docs/architecture.md names every module of ``src/opis`` (by its path below ``src/opis``, or as
  ``package/module.py``), every package whose ``__init__.py`` holds code (a registry, a protocol)
  and every model stored in ``records/models.py``; it names no module that is gone, draws the
  layers in the order ``test_layers.LAYERS`` enforces, and gives the readers' ``detect`` and
  ``read`` with their real parameters.
- Every verb and sub-verb of ``opis`` is shown as ``opis VERB …`` in README.md's "Using it" block
  or in a docs/*.md page, and its ``--help`` has an example that runs that very verb.
- Every docs/*.md page is linked from README.md.

Settings are checked by test_settings_registry.py.
"""

import ast
import inspect
import re
from pathlib import Path

import click
from click.testing import CliRunner

from conftest import ROOT
from opis.cli import main
from opis.readers import Reader
from test_layers import LAYERS

PACKAGE = ROOT / "src" / "opis"
README = ROOT / "README.md"
DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "architecture.md"


def _holds_code(init: Path) -> bool:
    """An ``__init__.py`` that defines something (not only a docstring and re-exports)."""
    tree = ast.parse(init.read_text(encoding="utf-8"))
    return any(isinstance(node, ast.FunctionDef | ast.ClassDef) for node in tree.body)


def modules() -> list[str]:
    """Every module's path below src/opis, e.g. ``readers/frus_tei.py``."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        if path.name == "__init__.py" and not _holds_code(path):
            continue
        found.append(path.relative_to(PACKAGE).as_posix())
    return found


def _names(text: str, form: str) -> bool:
    """``form`` occurs as a whole path: ``errors.py`` is not named by ``web/errors.py``."""
    return re.search(rf"(?<![\w./-]){re.escape(form)}(?!\w)", text) is not None


def is_named(text: str, module: str) -> bool:
    parts = module.split("/")
    return _names(text, module) or _names(text, "/".join(parts[-2:]))


def test_the_architecture_map_names_every_module():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    missing = [module for module in modules() if not is_named(text, module)]
    assert missing == [], (
        f"docs/architecture.md does not name {', '.join(missing)}: add each where it belongs "
        "in the map, as its path below src/opis (or as package/module.py)"
    )


def test_the_architecture_map_names_every_stored_model():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    modules = sorted((PACKAGE / "records" / "models").glob("*.py"))
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in modules]
    stored = [
        node.name
        for tree in trees
        for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(base, ast.Attribute) and base.attr == "Model" for base in node.bases)
    ]
    assert len(stored) >= 12
    missing = [name for name in stored if not re.search(rf"\b{name}\b", text)]
    assert missing == [], (
        f"docs/architecture.md does not name the models {', '.join(missing)} (records/models/)"
    )


def test_the_architecture_map_names_no_module_that_is_gone():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    known = modules() + [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py")]
    gone = [
        path
        for path in sorted(set(re.findall(r"(?<![\w./-])[\w/]+\.py(?!\w)", text)))
        if not (ROOT / path).exists()  # tests/test_layers.py and the like
        and not any(module == path or module.endswith("/" + path) for module in known)
    ]
    assert gone == [], f"docs/architecture.md names modules that do not exist: {', '.join(gone)}"


def test_the_architecture_map_draws_the_layers_in_their_enforced_order():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    diagram = text.split("```")[1]
    names = [name for name, _ in LAYERS]
    drawn = [
        name
        for line in diagram.splitlines()
        for name in names
        if re.match(rf"\s*{re.escape(name)}(\s{{2,}}|$)", line)
    ]
    assert drawn == names[::-1], (
        f"docs/architecture.md draws the layers (top first) as {drawn}; "
        f"tests/test_layers.py enforces {names[::-1]}"
    )


def test_the_architecture_map_gives_the_readers_real_signatures():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    for method in (Reader.detect, Reader.read):
        params = [p for p in inspect.signature(method).parameters if p != "self"]
        call = f"{method.__name__}({', '.join(params)})"
        assert call in text, f"docs/architecture.md should give the reader's {call}"


# --- the command line ----------------------------------------------------------------------------


def verbs(group: click.Group = main, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every verb and sub-verb of ``opis``, as its words: ("names", "resolve")."""
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*path, name))
        if isinstance(command, click.Group):
            found += verbs(command, (*path, name))
    return found


def _using_it() -> str:
    """README.md's "Using it" section: the examples a newcomer reads first."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Using it", 1)[1].split("\n## ", 1)[0]
    return section


def _shows(text: str, verb: tuple[str, ...]) -> bool:
    return re.search(rf"\bopis {re.escape(' '.join(verb))}(?![\w-])", text) is not None


def test_verbs_are_found():
    assert {("ingest",), ("search",), ("names",), ("names", "resolve")} <= set(verbs())


def test_every_verb_is_shown_in_the_readme_or_a_docs_page():
    pages = [_using_it()] + [page.read_text(encoding="utf-8") for page in DOCS.glob("*.md")]
    missing = [" ".join(verb) for verb in verbs() if not any(_shows(page, verb) for page in pages)]
    assert missing == [], (
        f'no example of opis {", opis ".join(missing)} in README.md\'s "Using it" block '
        "or in any docs/*.md page"
    )


def test_every_verb_help_has_an_example_of_that_verb():
    runner = CliRunner()
    missing = []
    for verb in [(), *verbs()]:
        result = runner.invoke(main, [*verb, "--help"])
        assert result.exit_code == 0, result.output
        help_text = " ".join(result.output.split())  # click rewraps lines
        example = help_text.partition("Example")[2]
        if not (_shows(example, verb) if verb else "opis " in example):
            missing.append(" ".join(("opis", *verb)))
    assert missing == [], (
        f"the --help of {', '.join(missing)} has no 'Example: opis …' running that verb"
    )


# --- the pages ----------------------------------------------------------------------------------


def test_every_docs_page_is_linked_from_the_readme():
    readme = README.read_text(encoding="utf-8")
    unlinked = [
        f"docs/{page.name}"
        for page in sorted(DOCS.glob("*.md"))
        if f"](docs/{page.name})" not in readme
    ]
    assert unlinked == [], (
        f"README.md does not link {', '.join(unlinked)} (add it to Documentation)"
    )

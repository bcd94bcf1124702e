"""ARCHITECTURE's import rules, checked statically: every .py of the packages is parsed with `ast`
(nothing is imported), and every reference from one module to another is followed — `import` and
`from … import` anywhere in the file (inside functions too), and strings that name a project module
or a model of a project app (`include("workflows.rma.api")`, a dotted hook, "rma.RmaApplication").

The rules (ARCHITECTURE «The house in one picture»):
- `orgstructure`, `documents`, `programmes` and `common` import nothing from `workflows`;
- `common` imports nothing of the project;
- no process app (`workflows/<name>` other than `core`) imports another process;
- `api/` and `workflows/core` import no process.

And no import cycle between the modules of one package (an app: `workflows.core`, `documents`, …),
counting imports inside functions; strings are left out of that check, a string reference is not
loaded when its module is.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("orgstructure", "documents", "programmes", "common", "api", "workflows")
KIT = "workflows.core"

# Known cycles, each as a frozenset of its modules with a comment naming the issue that removes it.
# The test fails when one disappears, so that the mark goes with it. None left: issue 8 cut the
# four it found (workflows/core, РМА's flows, documents' kinds and its jobs).
KNOWN_CYCLES: set[frozenset[str]] = set()


@dataclass(frozen=True)
class Reference:
    source: str  # module
    target: str  # module
    path: Path
    line: int
    by_string: bool

    def __str__(self):
        how = "string" if self.by_string else "import"
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.source} → {self.target} ({how})"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def project_modules() -> dict[str, Path]:
    """Every module of the project's top-level packages (those with an __init__.py), .venv aside."""
    modules = {}
    for top in ROOT.iterdir():
        if top.is_dir() and (top / "__init__.py").exists() and not top.name.startswith("."):
            for path in top.rglob("*.py"):
                if "migrations" not in path.parts or path.name == "__init__.py":
                    modules[_module_name(path)] = path
    return modules


@cache
def app_labels() -> dict[str, str]:
    """App label → its package, read from each apps.py (`name = …`, `label = …`)."""
    labels = {}
    for module, path in project_modules().items():
        if not module.endswith(".apps") and module != "apps":
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef):
                fields = {
                    target.id: stmt.value.value
                    for stmt in node.body
                    if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant)
                    for target in stmt.targets
                    if isinstance(target, ast.Name)
                }
                if "name" in fields:
                    labels[fields.get("label", fields["name"].rsplit(".", 1)[-1])] = fields["name"]
    return labels


def _resolve(dotted: str) -> str | None:
    """The longest project module `dotted` starts with (a hook path names a function in one)."""
    modules = project_modules()
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def _string_target(value: str) -> str | None:
    tops = {name.split(".")[0] for name in project_modules()}
    if re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+", value) is None:
        return None
    first, rest = value.split(".", 1)
    if first in tops:
        return _resolve(value)
    labels = app_labels()
    # "rma.RmaApplication" (a model) or "rma.submit_application" (a permission)
    if first in labels and "." not in rest and re.fullmatch(r"[A-Z][A-Za-z0-9]*|[a-z]+_[a-z0-9_]+", rest):
        return labels[first]
    return None


@cache
def references(module: str) -> tuple[Reference, ...]:
    path = project_modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def add(target, node, by_string=False):
        if target and target != module:
            found.append(Reference(module, target, path, node.lineno, by_string))

    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(_resolve(alias.name), node)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                add(submodule if submodule in project_modules() else _resolve(base), node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            add(_string_target(node.value), node, by_string=True)
    return tuple(found)


def _checked_modules() -> list[str]:
    return sorted(m for m in project_modules() if m.split(".")[0] in CHECKED)


def _app_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "workflows" and len(parts) > 1 else parts[0]


def _processes() -> set[str]:
    return {_app_of(m) for m in project_modules() if m.startswith("workflows.") and _app_of(m) != KIT}


def _is_under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def violations() -> list[tuple[str, Reference]]:
    processes = _processes()
    found = []
    for module in _checked_modules():
        app = _app_of(module)
        for ref in references(module):
            target_app = _app_of(ref.target)
            if app in ("orgstructure", "documents", "programmes", "common") and _is_under(ref.target, "workflows"):
                found.append((f"{app} imports nothing from workflows", ref))
            elif app == "common" and target_app != "common":
                found.append(("common imports nothing of the project", ref))
            elif app in processes and target_app in processes and target_app != app:
                found.append(("one process app never imports another", ref))
            elif app in ("api", KIT) and target_app in processes:
                found.append((f"{app} imports no process", ref))
    return found


def kit_only_violations() -> list[Reference]:
    """The processes written for the tests (tests/kitprocess, the sample flows) stand for the next
    process: built on the kit alone, they import no process app."""
    processes = _processes()
    apps = {_module_name(path.parent) for path in (ROOT / "tests").rglob("apps.py")}
    return [
        ref
        for module in sorted(project_modules())
        if any(_is_under(module, app) for app in apps)
        for ref in references(module)
        if _app_of(ref.target) in processes
    ]


def package_cycles() -> list[list[str]]:
    """Strongly connected components (Tarjan) of the import graph inside each app, with more than
    one module; each is returned as one cycle through all of its modules' edges, printed in order."""
    graph: dict[str, set[str]] = {}
    for module in _checked_modules():
        graph[module] = {
            ref.target
            for ref in references(module)
            if not ref.by_string and _app_of(ref.target) == _app_of(module) and ref.target in project_modules()
        }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def strongconnect(node):  # recursion depth is bounded by the size of one app
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, ()):
            if succ not in index:
                strongconnect(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            strongconnect(node)
    return components


def _one_cycle(component: list[str]) -> str:
    """A readable cycle inside the component: a → b → … → a."""
    members = set(component)
    start = component[0]
    path, seen = [start], {start}
    node = start
    while True:
        successors = sorted(
            ref.target for ref in references(node) if not ref.by_string and ref.target in members
        )
        back = start if start in successors and len(path) > 1 else None
        nxt = back or next((s for s in successors if s not in seen), None) or successors[0]
        path.append(nxt)
        if nxt == start or nxt in seen:
            return " → ".join(path)
        seen.add(nxt)
        node = nxt


# --- the tests ---------------------------------------------------------------------------------


def test_the_reader_sees_what_it_must():
    """The checker finds the references it claims to (a checker that finds nothing passes all)."""
    targets = {(ref.target, ref.by_string) for ref in references("workflows.rma.apps")}
    assert ("workflows.core.processes", False) in targets  # `from workflows.core.processes import …` in ready()
    assert ("workflows.rma.api", True) in targets  # register_api_urls("rma/", "workflows.rma.api")
    assert ("workflows.rma.indicators", False) in targets  # `from . import indicators`
    assert _string_target("rma.RmaApplication") == "workflows.rma"
    assert _string_target("core/task.html") is None and _string_target("Всё.") is None
    assert {"workflows.rma", KIT} <= {_app_of(m) for m in _checked_modules()}
    assert "workflows.rma" in _processes() and KIT not in _processes()


def test_import_rules_hold():
    found = violations()
    assert not found, "ARCHITECTURE's import rules are broken:\n" + "\n".join(
        f"  {rule}: {ref}" for rule, ref in found
    )


def test_the_processes_of_the_tests_are_built_on_the_kit_alone():
    apps = {_module_name(path.parent) for path in (ROOT / "tests").rglob("apps.py")}
    assert "tests.kitprocess" in apps
    found = kit_only_violations()
    assert not found, "A test process imports a process app:\n" + "\n".join(f"  {ref}" for ref in found)


def test_no_import_cycles_inside_a_package():
    cycles = {frozenset(component): component for component in package_cycles()}
    new = [component for key, component in cycles.items() if key not in KNOWN_CYCLES]
    gone = [sorted(key) for key in KNOWN_CYCLES if key not in cycles]
    assert not new, "Import cycles inside a package:\n" + "\n".join(f"  {_one_cycle(c)}" for c in new)
    assert not gone, f"A known cycle is gone — remove it from KNOWN_CYCLES: {gone}"


@pytest.fixture
def made_up_tree(tmp_path, monkeypatch):
    """A project tree written in the test; the checker reads it instead of the real one."""

    def write(files: dict[str, str]) -> Path:
        for name, text in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
        _forget()
        return tmp_path

    yield write
    _forget()


def _forget():
    for cached in (project_modules, app_labels, references):
        cached.cache_clear()


def test_cycle_detector_reports_the_cycle_with_its_path(made_up_tree):
    """a → b → c → a is reported (b's import sits inside a function); d → a hangs off it, and is not."""
    made_up_tree({
        "workflows/__init__.py": "",
        "workflows/loopy/__init__.py": "",
        "workflows/loopy/a.py": "from . import b\n",
        "workflows/loopy/b.py": "def later():\n    from .c import thing\n",
        "workflows/loopy/c.py": "from workflows.loopy.a import x\n",
        "workflows/loopy/d.py": "import workflows.loopy.a\n",
    })

    components = package_cycles()

    assert components == [["workflows.loopy.a", "workflows.loopy.b", "workflows.loopy.c"]]
    assert _one_cycle(components[0]) == (
        "workflows.loopy.a → workflows.loopy.b → workflows.loopy.c → workflows.loopy.a"
    )


def test_rule_checker_catches_each_kind_of_breach(made_up_tree):
    made_up_tree({
        "common/__init__.py": "",
        "common/uploads.py": "from orgstructure import models\n",
        "orgstructure/__init__.py": "",
        "orgstructure/models.py": "",
        "documents/__init__.py": "",
        "documents/kinds.py": 'HOOK = "workflows.rma.services.document_issued"\n',
        "api/__init__.py": "",
        "api/urls.py": 'from django.urls import include\nurls = include("workflows.rma.api")\n',
        "workflows/__init__.py": "",
        "workflows/core/__init__.py": "",
        "workflows/core/apps.py": 'class CoreConfig:\n    name = "workflows.core"\n    label = "core"\n',
        "workflows/core/fine.py": "from orgstructure.models import x\n",
        "workflows/rma/__init__.py": "",
        "workflows/rma/apps.py": 'class RmaConfig:\n    name = "workflows.rma"\n    label = "rma"\n',
        "workflows/rma/api.py": "",
        "workflows/rma/services.py": "",
        "workflows/iom/__init__.py": "",
        "workflows/iom/models.py": 'link = "rma.RmaApplication"\n',
        "tests/__init__.py": "",
        "tests/kitprocess/__init__.py": "",
        "tests/kitprocess/apps.py": "",
        "tests/kitprocess/flows.py": "from workflows.core import fine\nfrom workflows.rma.services import x\n",
    })

    found = {(rule, ref.source, ref.target) for rule, ref in violations()}

    assert found == {
        ("common imports nothing of the project", "common.uploads", "orgstructure.models"),
        ("documents imports nothing from workflows", "documents.kinds", "workflows.rma.services"),
        ("api imports no process", "api.urls", "workflows.rma.api"),
        ("one process app never imports another", "workflows.iom.models", "workflows.rma"),
    }
    assert [(ref.source, ref.target) for ref in kit_only_violations()] == [
        ("tests.kitprocess.flows", "workflows.rma.services")
    ]

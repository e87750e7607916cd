"""Cython builds of the validation hot path, used only when built from the exact source on disk.

Validating a record runs a few thousand lines of plain Python, which compiled run
about 1.4x faster (bench/bench_validation.py --alternate): the step validation
needed toward its 5,000 records/s on one core that pure-Python tuning could not
take. Each .py compiles as it is; a few have a `.pxd` beside them (Cython's
"augmenting .pxd") that gives their hottest functions and small classes C types:
indices as C integers, texts as `str` (whose find, slicing and indexing then skip
Python calls), `cpdef` functions called directly, classes as C structs. The .py
stays plain Python; the .pxd is read only by Cython. Two rules follow from Cython: a
`cpdef` function cannot hold a generator expression or a lambda (no closure in one),
so the .py spells such tests as loops; and a dataclass made a C struct is not
slotted, since Cython's dataclass takes no `slots`. The builds are an accelerator,
never a requirement: `scripts/compile_validation.py` makes them where a C compiler
exists, and without them every module imports as pure Python. A built module's
`__file__` is its build, so these modules find their data through
`importlib.resources`.

A build is named by the SHA-256 of the source it was compiled from, of the
directives and of every module that has a .pxd (the .pxd and its .py): a build may
`cimport` such a module's C classes, which then must load as a build too, so an
edit to one makes every build stale together rather than mixing a pure module
with builds that need its C layout. Builds live in `build/compiled/`, outside
the package, so an edited module is never shadowed by a stale build: its hash
changes and the pure source loads until it is rebuilt.
Set WEATHERVANE_PURE_PYTHON=1 to ignore the builds (to compare or to debug).
"""
from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Mapping, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = ROOT / "build" / "compiled"
PURE_PYTHON_VARIABLE = "WEATHERVANE_PURE_PYTHON"

# The modules a record's validation spends its time in (cProfile, tottime by file).
COMPILED = (
    "core.json_codec",
    "core.tool_errors",
    "core.locations",
    "core.date_phrases",
    "core.tools",
    "core.validation.frozen",
    "core.validation.findings",
    "core.validation.conversation",
    "core.validation.chat_format_validator",
    "core.validation.schema_validator",
    "core.validation.tool_outputs",
    "core.validation.semantic_validator",
    "core.validation.place_mentions",
    "core.validation.claim_patterns",
    "core.validation.groundedness",
    "core.validation.record_validator",
)

# Cython reads annotations as C types by default (`float` becomes a double, `dict`
# an exact-type check); off, every module keeps its pure-Python semantics.
DIRECTIVES = {"language_level": 3, "annotation_typing": False}


def source_path(module: str, root: Path = ROOT) -> Path:
    return root.joinpath(*module.split(".")).with_suffix(".py")


def declarations_path(module: str, root: Path = ROOT) -> Path:
    return source_path(module, root).with_suffix(".pxd")


def declarations(modules: Sequence[str] = COMPILED, root: Path = ROOT) -> dict[str, tuple[bytes, bytes]]:
    """(.pxd, .py) of each module that has a .pxd, by module."""
    return {module: (path.read_bytes(), source_path(module, root).read_bytes())
            for module in modules if (path := declarations_path(module, root)).is_file()}


def build_path(module: str, source: bytes, build_dir: Path = BUILD_DIR,
               declared: Mapping[str, tuple[bytes, bytes]] | None = None) -> Path:
    """Where the build of exactly this source lives: the name carries the hash of the source, of the
    directives and of the `declarations`, and the ABI."""
    digest = hashlib.sha256(repr(sorted(DIRECTIVES.items())).encode())
    for name, texts in sorted((declared or {}).items()):
        for text in texts:
            digest.update(b"\0%s\0%d\0" % (name.encode(), len(text)) + text)
    digest.update(b"\0" + source)
    return build_dir / f"{module}.{digest.hexdigest()[:20]}{importlib.machinery.EXTENSION_SUFFIXES[0]}"


def current_build(module: str, modules: Sequence[str] = COMPILED, root: Path = ROOT,
                  build_dir: Path = BUILD_DIR) -> Path:
    """The build that matches `module`'s source and the declarations of `modules` on disk now."""
    return build_path(module, source_path(module, root).read_bytes(), build_dir, declarations(modules, root))


class CompiledModuleFinder:
    """A meta-path finder that answers only for built modules whose build matches the source."""

    def __init__(self, modules: Sequence[str], root: Path, build_dir: Path) -> None:
        self.modules = frozenset(modules)
        self.root = root
        self.build_dir = build_dir

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        if fullname not in self.modules:
            return None
        try:
            built = current_build(fullname, sorted(self.modules), self.root, self.build_dir)
        except OSError:
            return None
        if not built.is_file():
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(built))
        return importlib.util.spec_from_file_location(fullname, built, loader=loader)


def install(modules: Sequence[str] = COMPILED, root: Path = ROOT, build_dir: Path = BUILD_DIR) -> None:
    """Put the finder first on sys.meta_path once, unless WEATHERVANE_PURE_PYTHON asks for pure Python."""
    if os.environ.get(PURE_PYTHON_VARIABLE, "") not in ("", "0"):
        return
    if any(isinstance(finder, CompiledModuleFinder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, CompiledModuleFinder(modules, root, build_dir))


def loaded_compiled(modules: Sequence[str] = COMPILED) -> list[str]:
    """Which of the modules imported so far are builds (for the bench's and the CLI's reports)."""
    return [name for name in modules
            if isinstance(getattr(sys.modules.get(name), "__loader__", None),
                          importlib.machinery.ExtensionFileLoader)]

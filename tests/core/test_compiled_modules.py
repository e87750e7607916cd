"""The Cython builds load only when built from the exact source, and validate exactly as the pure modules do."""
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core import compiled_modules
from core.compiled_modules import COMPILED, CompiledModuleFinder, build_path, current_build, install, source_path
from scripts.compile_validation import compile_modules

ROOT = Path(__file__).resolve().parents[2]
_NEEDS_COMPILER = pytest.mark.skipif(shutil.which("cc") is None,
                                     reason="no C compiler: the builds cannot be made here, the pure modules are used")


def _package(root: Path, body: str = "def answer():\n    return 42\n") -> Path:
    (root / "pkg").mkdir(parents=True, exist_ok=True)
    (root / "pkg" / "__init__.py").write_text("")
    source = root / "pkg" / "mod.py"
    source.write_text(body)
    return source


def test_a_build_is_named_by_its_source_and_the_directives(monkeypatch, tmp_path):
    first = build_path("pkg.mod", b"x = 1\n", tmp_path)
    assert first == build_path("pkg.mod", b"x = 1\n", tmp_path)
    assert first.name.startswith("pkg.mod.") and first.name.endswith(importlib.machinery.EXTENSION_SUFFIXES[0])
    assert build_path("pkg.mod", b"x = 2\n", tmp_path) != first
    assert build_path("pkg.mod", b"x = 1\n", tmp_path, {}) == first
    typed = build_path("pkg.mod", b"x = 1\n", tmp_path, {"pkg.other": (b"cdef class A:\n    pass\n", b"")})
    assert typed != first  # another module's declarations count: this one may cimport them
    assert build_path("pkg.mod", b"x = 1\n", tmp_path, {"pkg.other": (b"cdef class B:\n    pass\n", b"")}) != typed
    # and so does that module's source: edited, it loads as pure Python, whose classes have no C layout
    assert build_path("pkg.mod", b"x = 1\n", tmp_path, {"pkg.other": (b"cdef class A:\n    pass\n", b"#\n")}) != typed
    monkeypatch.setitem(compiled_modules.DIRECTIVES, "binding", False)
    assert build_path("pkg.mod", b"x = 1\n", tmp_path) != first


def test_the_finder_answers_only_for_a_listed_module_with_a_current_build(tmp_path):
    source = _package(tmp_path)
    finder = CompiledModuleFinder(["pkg.mod"], tmp_path, tmp_path / "build")
    assert finder.find_spec("pkg.mod") is None                     # not built
    built = build_path("pkg.mod", source.read_bytes(), tmp_path / "build")
    built.parent.mkdir()
    built.write_bytes(b"")
    spec = finder.find_spec("pkg.mod")
    assert isinstance(spec.loader, importlib.machinery.ExtensionFileLoader) and spec.origin == str(built)
    assert finder.find_spec("pkg.other") is None                   # not listed
    (tmp_path / "pkg" / "other.py").write_text("")
    (tmp_path / "pkg" / "other.pxd").write_text("cdef class A:\n    pass\n")
    assert CompiledModuleFinder(["pkg.mod", "pkg.other"], tmp_path, tmp_path / "build").find_spec("pkg.mod") is None
    source.write_text("def answer():\n    return 43\n")
    assert finder.find_spec("pkg.mod") is None                     # edited: the build is stale, the source loads
    source.unlink()
    assert finder.find_spec("pkg.mod") is None


@pytest.mark.parametrize("value, installed", [("1", False), ("yes", False), ("0", True), ("", True)])
def test_install_puts_one_finder_first_unless_pure_python_is_asked_for(monkeypatch, value, installed):
    monkeypatch.setattr(sys, "meta_path", [finder for finder in sys.meta_path
                                           if not isinstance(finder, CompiledModuleFinder)])
    monkeypatch.setenv("WEATHERVANE_PURE_PYTHON", value)
    install()
    install()
    finders = [finder for finder in sys.meta_path if isinstance(finder, CompiledModuleFinder)]
    assert len(finders) == installed and (not installed or sys.meta_path[0] is finders[0])


def test_every_listed_module_exists_and_finds_its_data_without_its_file():
    assert all(source_path(module).is_file() for module in COMPILED)
    for module in COMPILED:  # a build's __file__ is its .so in build/compiled, not beside its data
        assert "__file__" not in source_path(module).read_text(), module


def _import_in_child(root: Path, build_dir: Path, modules: tuple[str, ...] = ("pkg.mod",)) -> list:
    """[loader of pkg.mod, its answer(), then the loader of each other module], from a fresh interpreter."""
    code = ("import importlib, json, sys; sys.path.insert(0, sys.argv[1]);"
            "from core.compiled_modules import CompiledModuleFinder; from pathlib import Path;"
            "modules = json.loads(sys.argv[3]);"
            "sys.meta_path.insert(0, CompiledModuleFinder(modules, Path(sys.argv[1]), Path(sys.argv[2])));"
            "import pkg.mod; loaders = [type(importlib.import_module(m).__loader__).__name__ for m in modules[1:]];"
            "print(json.dumps([type(pkg.mod.__loader__).__name__, pkg.mod.answer(), *loaders]))")
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "WEATHERVANE_PURE_PYTHON": "0"}
    output = subprocess.run([sys.executable, "-c", code, str(root), str(build_dir), json.dumps(modules)],
                            env=environment, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


@_NEEDS_COMPILER
def test_a_module_compiles_loads_and_gives_way_to_its_edited_source(tmp_path):
    source, build_dir = _package(tmp_path), tmp_path / "build"
    assert compile_modules(["pkg.mod"], tmp_path, build_dir) == {"pkg.mod": "built"}
    assert compile_modules(["pkg.mod"], tmp_path, build_dir) == {"pkg.mod": "current"}
    assert _import_in_child(tmp_path, build_dir) == ["ExtensionFileLoader", 42]
    source.write_text("def answer():\n    return 43\n")
    assert _import_in_child(tmp_path, build_dir) == ["SourceFileLoader", 43]
    first_build = list(build_dir.iterdir())
    assert compile_modules(["pkg.mod"], tmp_path, build_dir) == {"pkg.mod": "built"}
    assert _import_in_child(tmp_path, build_dir) == ["ExtensionFileLoader", 43]
    assert len(list(build_dir.iterdir())) == 1 and list(build_dir.iterdir()) != first_build  # the stale one went


@_NEEDS_COMPILER
def test_a_pxd_types_the_build_and_an_edited_one_makes_it_stale(tmp_path):
    """The .pxd reaches Cython (a C unsigned int keeps the low 32 bits, as the plain source never would),
    and editing it brings back the pure source until the module is rebuilt."""
    source, build_dir = _package(tmp_path, "def answer():\n    return 2 ** 32 + 42\n"), tmp_path / "build"
    declared = tmp_path / "pkg" / "mod.pxd"
    declared.write_text("cpdef unsigned int answer()\n")
    assert compile_modules(["pkg.mod"], tmp_path, build_dir) == {"pkg.mod": "built"}
    assert _import_in_child(tmp_path, build_dir) == ["ExtensionFileLoader", 42]
    declared.write_text("cpdef object answer()\n")
    assert _import_in_child(tmp_path, build_dir) == ["SourceFileLoader", 2 ** 32 + 42]
    assert compile_modules(["pkg.mod"], tmp_path, build_dir) == {"pkg.mod": "built"}
    assert _import_in_child(tmp_path, build_dir) == ["ExtensionFileLoader", 2 ** 32 + 42]
    assert current_build("pkg.mod", ["pkg.mod"], tmp_path, build_dir).is_file()


@_NEEDS_COMPILER
def test_an_edit_to_a_module_whose_c_class_another_build_uses_sends_both_back_to_pure_python(tmp_path):
    """pkg.mod's build reads pkg.shapes.Point as a C struct; a pure pkg.shapes would make it fail to import."""
    _package(tmp_path, "from pkg.shapes import Point\n\n\ndef answer():\n    return Point(40, 2).total()\n")
    (tmp_path / "pkg" / "mod.pxd").write_text("from pkg.shapes cimport Point\n")
    shapes = tmp_path / "pkg" / "shapes.py"
    shapes.write_text("from dataclasses import dataclass\n\n\n@dataclass\nclass Point:\n    x: int\n    y: int\n\n"
                      "    def total(self):\n        return self.x + self.y\n")
    (tmp_path / "pkg" / "shapes.pxd").write_text("cdef class Point:\n    cdef public long x, y\n")
    modules, build_dir = ("pkg.mod", "pkg.shapes"), tmp_path / "build"
    assert compile_modules(modules, tmp_path, build_dir) == {"pkg.mod": "built", "pkg.shapes": "built"}
    assert _import_in_child(tmp_path, build_dir, modules) == ["ExtensionFileLoader", 42, "ExtensionFileLoader"]
    shapes.write_text(shapes.read_text() + "# edited\n")
    assert _import_in_child(tmp_path, build_dir, modules) == ["SourceFileLoader", 42, "SourceFileLoader"]
    assert compile_modules(modules, tmp_path, build_dir) == {"pkg.mod": "built", "pkg.shapes": "built"}
    assert _import_in_child(tmp_path, build_dir, modules) == ["ExtensionFileLoader", 42, "ExtensionFileLoader"]


_VERDICTS = """
import asyncio, hashlib, json, random, sys
sys.path.insert(0, "bench")
from bench_validation import _records
from validation_oracle import mutate
from core.compiled_modules import loaded_compiled
from core.validation import validate_record
records = asyncio.run(_records(150, 11))
rng = random.Random(5)
records += [mutate(record, rng) for record in records]
verdicts = [validate_record(record).to_dict() for record in records]
print(json.dumps([len(loaded_compiled()), sum(v["passed"] for v in verdicts),
                  hashlib.sha256(json.dumps(verdicts, sort_keys=True).encode()).hexdigest()]))
"""


def _verdicts(pure: bool) -> list:
    environment = {**os.environ, "WEATHERVANE_PURE_PYTHON": "1" if pure else "0"}
    output = subprocess.run([sys.executable, "-c", _VERDICTS], cwd=ROOT, env=environment, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output)


def test_the_builds_give_the_pure_modules_verdicts_finding_for_finding():
    missing = [module for module in COMPILED if not current_build(module).is_file()]
    if missing:
        pytest.skip(f"no current build of {', '.join(missing)}: run python3 scripts/compile_validation.py")
    compiled, pure = _verdicts(pure=False), _verdicts(pure=True)
    assert compiled[0] == len(COMPILED) and pure[0] == 0
    assert 150 <= compiled[1] < 300  # the mutated half fails in part, so every check's findings are compared
    assert compiled[1:] == pure[1:]

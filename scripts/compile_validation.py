#!/usr/bin/env python3
"""Compile the validation hot path with Cython, where a C compiler exists.

    python3 scripts/compile_validation.py [--strict]

Builds each module in `core.compiled_modules.COMPILED` that has no current build
(one named by the hash of its source and of the modules that have a .pxd) into
build/compiled/, and removes that module's stale builds. A second run with
nothing changed compiles nothing. Without Cython or a C compiler it says so and
exits 0: everything still runs as pure Python, only slower (validation about
1.4x). --strict exits 1 instead, for a machine that is meant to have the builds.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.compiled_modules import (  # noqa: E402
    BUILD_DIR,
    COMPILED,
    DIRECTIVES,
    ROOT,
    build_path,
    declarations,
    declarations_path,
    source_path,
)
from core.output_writer import write_bytes  # noqa: E402


class CompileError(Exception):
    """Cython or the C compiler is missing or failed; the pure-Python modules are used."""


def _stage(staged: Path, text: bytes, tree: Path) -> Path:
    """The hashed bytes, copied into a package tree: the build matches its name even if the file changes meanwhile."""
    staged.parent.mkdir(parents=True, exist_ok=True)
    for package in staged.relative_to(tree).parents:
        (tree / package / "__init__.py").touch()
    staged.write_bytes(text)
    return staged


def _compile(sources: dict[str, bytes], declared: dict[str, tuple[bytes, bytes]],
             workdir: Path) -> dict[str, Path]:
    """Build `sources`, with every module's declarations beside its staged source (any may be cimported)."""
    try:
        from Cython.Build import cythonize
        from setuptools import Distribution, Extension
    except ImportError as error:
        raise CompileError(f"Cython or setuptools is not installed ({error}); "
                           "install them with: python3 -m pip install -r requirements.txt") from error
    tree = workdir / "src"
    for module, (text, _) in declared.items():
        _stage(declarations_path(module, tree), text, tree)
    extensions = [Extension(module, [str(_stage(source_path(module, tree), source, tree))])
                  for module, source in sources.items()]
    try:
        modules = cythonize(extensions, build_dir=str(workdir / "c"), quiet=True, include_path=[str(tree)],
                            compiler_directives=DIRECTIVES)
        command = Distribution({"ext_modules": modules}).get_command_obj("build_ext")
        command.build_lib = str(workdir / "lib")
        command.build_temp = str(workdir / "obj")
        command.parallel = os.cpu_count() or 1
        command.ensure_finalized()
        command.run()
    except (Exception, SystemExit) as error:  # distutils reports a missing compiler as SystemExit/CompileError
        raise CompileError(f"compiling failed: {error}") from error
    return {module: Path(command.get_ext_fullpath(module)) for module in sources}


def compile_modules(modules: Sequence[str] = COMPILED, root: Path = ROOT,
                    build_dir: Path = BUILD_DIR) -> dict[str, str]:
    """Build what is missing; answer each module's state: 'built', 'current'. Raises CompileError."""
    sources = {module: source_path(module, root).read_bytes() for module in modules}
    declared = declarations(modules, root)
    missing = {module: source for module, source in sources.items()
               if not build_path(module, source, build_dir, declared).is_file()}
    if missing:
        build_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="weathervane-compile-") as workdir:
            for module, built in _compile(missing, declared, Path(workdir)).items():
                write_bytes(build_path(module, missing[module], build_dir, declared), built.read_bytes())
    for module, source in sources.items():
        current = build_path(module, source, build_dir, declared)
        for stale in build_dir.glob(f"{module}.*"):
            if stale != current:
                stale.unlink()
    return {module: "built" if module in missing else "current" for module in modules}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when the modules cannot be compiled")
    args = parser.parse_args(argv)
    try:
        states = compile_modules()
    except (CompileError, OSError) as error:  # OSError: build/ cannot be written (a read-only checkout)
        print(f"compile_validation: {error}", file=sys.stderr)
        print("compile_validation: validation runs as pure Python (correct, about 1.4x slower)", file=sys.stderr)
        return 1 if args.strict else 0
    built = sum(state == "built" for state in states.values())
    print(f"compile_validation: {len(states)} modules compiled in {BUILD_DIR.relative_to(ROOT)} "
          f"({built} built now, {len(states) - built} already current)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

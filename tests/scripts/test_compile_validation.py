"""The compile step never stops an install: without a compiler (or a writable build/) it says so and exits 0."""
import pytest

from scripts import compile_validation
from scripts.compile_validation import CompileError, main


@pytest.mark.parametrize("error", [CompileError("compiling failed: command 'gcc' failed"),
                                   PermissionError(13, "Permission denied", "build/compiled")])
def test_a_failed_build_falls_back_to_pure_python_unless_strict(monkeypatch, capsys, error):
    def failing(*args, **kwargs):
        raise error
    monkeypatch.setattr(compile_validation, "compile_modules", failing)
    assert main([]) == 0
    err = capsys.readouterr().err
    assert str(error) in err and "pure Python" in err
    assert main(["--strict"]) == 1


def test_a_build_reports_what_it_compiled(monkeypatch, capsys):
    monkeypatch.setattr(compile_validation, "compile_modules",
                        lambda: {"core.tools": "built", "core.json_codec": "current"})
    assert main([]) == 0
    assert "2 modules compiled in build/compiled (1 built now, 1 already current)" in capsys.readouterr().out

"""The reader's source stays within what CircuitPython and MicroPython run (checked on the host)."""

import ast
from pathlib import Path

import thruway.tomlreader

SOURCE = Path(thruway.tomlreader.__file__).read_text(encoding="utf-8")
TREE = ast.parse(SOURCE)

# str/int methods MicroPython lacks, and modules it lacks or that cost memory on the board.
MISSING_METHODS = {
    "isidentifier", "isprintable", "casefold", "expandtabs", "zfill", "removeprefix", "removesuffix",
    "bit_length", "format_map", "partition", "rpartition", "splitlines", "title", "swapcase",
    "isdecimal", "isnumeric", "isascii", "translate", "maketrans", "ljust", "rjust", "center",
}


def test_module_opens_with_a_one_line_docstring():
    """The file opens with a one-line docstring (house rule)."""
    doc = ast.get_docstring(TREE)
    assert doc and "\n" not in doc


def test_no_imports():
    """The reader imports nothing: no typing, re, dataclasses or anything else the board lacks."""
    assert not [node for node in ast.walk(TREE) if isinstance(node, (ast.Import, ast.ImportFrom))]


def test_no_methods_micropython_lacks():
    """No str or int method MicroPython lacks, and no str.format (format specs differ there)."""
    called = {node.attr for node in ast.walk(TREE) if isinstance(node, ast.Attribute)}
    assert not called & (MISSING_METHODS | {"format"})


def test_no_f_strings_or_annotations():
    """No f-strings ({x!r} fails on MicroPython) and no annotations (they need typing to mean much)."""
    for node in ast.walk(TREE):
        assert not isinstance(node, ast.JoinedStr)
        assert not isinstance(node, ast.AnnAssign)
        if isinstance(node, (ast.FunctionDef, ast.Lambda)):
            assert node.returns is None if isinstance(node, ast.FunctionDef) else True
            assert all(arg.annotation is None for arg in node.args.args)


def test_no_big_integer_literals():
    """No literal past 30 bits, which a board without long ints could not even compile."""
    for node in ast.walk(TREE):
        if isinstance(node, ast.Constant) and type(node.value) is int:
            assert -(2**30) <= node.value < 2**30


def test_exception_calls_super_init():
    """TomlError calls super().__init__: MicroPython has no Exception.__init__ attribute."""
    assert "Exception.__init__" not in SOURCE

"""``simulator.codegen``: compiled once per source, readable back, visible in tracebacks."""

from __future__ import annotations

import traceback

import pytest

from simulator import codegen

SOURCE = "def build(x):\n    return x * factor\n"


def test_the_function_reads_its_namespace_as_globals() -> None:
    double = codegen.compile_function(SOURCE, "test double", {"factor": 2})
    triple = codegen.compile_function(SOURCE, "test triple", {"factor": 3})
    assert (double(5), triple(5)) == (10, 15)


def test_one_source_is_compiled_once_and_each_function_gets_its_own_code_copy() -> None:
    first = codegen.compile_function(SOURCE, "test", {"factor": 1})
    second = codegen.compile_function(SOURCE, "test", {"factor": 1})
    assert first.__code__.co_filename == second.__code__.co_filename
    assert first.__code__ is not second.__code__


def test_source_gives_back_what_was_compiled() -> None:
    assert codegen.source(codegen.compile_function(SOURCE, "test", {"factor": 1})) == SOURCE


def test_source_refuses_functions_it_did_not_make() -> None:
    with pytest.raises(ValueError, match="not made by compile_function"):
        codegen.source(len)


def test_tracebacks_show_the_generated_line() -> None:
    broken = codegen.compile_function(SOURCE, "test broken", {"factor": None})
    with pytest.raises(TypeError) as caught:
        broken(1)
    assert "return x * factor" in "".join(traceback.format_tb(caught.tb))

"""Functions compiled from Python source the core writes itself: source -> code -> function.

Three hot paths spell a declarative plan out as straight-line code, as ``dataclasses`` and
``attrs`` compile ``__init__``: the transformer's per-type builders (``simulator.transform``),
the generator's record builders (``generator.records``) and its line builders
(``generator.lines``). A plan walked per event costs more than the code it becomes; the plan
stays the one description, the code only spells it out. This module is where such source is
compiled, once per distinct source, and where it can be read back (``source``), also in
tracebacks (the source is registered with ``linecache`` under a name of its own).
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from types import CodeType, FunctionType
from typing import Any

# Compiled source -> the code of the one function it defines; and that code's file name -> the
# source. Sources depend on plan shapes only (values come in through each function's
# namespace), so these stay as small as the catalogue times the shapes.
_CODE: dict[str, CodeType] = {}
_SOURCES: dict[str, str] = {}


def compile_function(source: str, label: str, namespace: dict[str, Any]) -> Callable[..., Any]:
    """The one function that ``source`` defines, reading ``namespace`` as its globals.

    ``label`` names it in tracebacks (``<label #n>``). Each call returns a new function with
    its own copy of the shared code: CPython specializes a code object's global reads for one
    namespace, so functions of different namespaces must not share one (reads would miss)."""
    code = _CODE.get(source)
    if code is None:
        filename = f"<{label} #{len(_CODE) + 1}>"
        module = compile(source, filename, "exec")  # our own source, built from our tables
        code = _CODE[source] = next(c for c in module.co_consts if isinstance(c, CodeType))
        _SOURCES[filename] = source
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return FunctionType(code.replace(), namespace)


def source(function: Callable[..., Any]) -> str:
    """The source a function of ``compile_function`` was compiled from: for reading when what
    it made surprises you."""
    code = getattr(function, "__code__", None)
    text = None if code is None else _SOURCES.get(code.co_filename)
    if text is None:
        raise ValueError(f"{function!r} was not made by compile_function")
    return text

"""micropython for the type check: circuitpython-stubs writes `def const[T]`, which Python 3.11 cannot parse."""

from typing import TypeVar

_T = TypeVar("_T")

def const(expr: _T) -> _T: ...

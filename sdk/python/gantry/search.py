"""Search spaces for ``Client.tune``, as Katib's ``katib.search`` writes them, plus log scales.

    import gantry
    parameters = {
        "lr": gantry.search.double(1e-4, 1e-1, log=True),
        "layers": gantry.search.int(1, 4),
        "optimizer": gantry.search.categorical(["sgd", "adam"]),
        "batch": gantry.search.discrete([16, 32, 64]),
    }

Each function returns a Katib parameter spec without its name (``{"parameterType": "double",
"feasibleSpace": {"min": "0.0001", "max": "0.1", "distribution": "logUniform"}}``; numbers as
strings, as Katib writes them). It is a dict, so it can be read, printed or passed on as JSON;
it also remembers the values as given (``values``), so a function objective receives ``16`` and
``True`` rather than ``"16"`` and ``"True"``.
"""

from __future__ import annotations

import builtins
import math
from typing import Any, Dict, Optional, Sequence

__all__ = ["ParameterSpec", "double", "int", "categorical", "discrete", "format_number"]

_MAX_LIST = 1000  # Katib's (and Gantry's) limit on a list's values


class ParameterSpec(Dict[str, Any]):
    """A Katib parameter spec (``parameterType`` and ``feasibleSpace``) that also keeps the values
    of a list as they were given, to hand them back to a function objective with their types."""

    values: Optional[Sequence[Any]]

    def __init__(self, spec: Dict[str, Any], values: Optional[Sequence[Any]] = None) -> None:
        super().__init__(spec)
        self.values = None if values is None else tuple(values)

    @property
    def type(self) -> str:
        return str(self["parameterType"])

    def typed(self, text: str) -> Any:
        """A value as the gateway assigns it (a string) converted back to what was given."""
        if self.type == "int":
            return builtins.int(float(text))
        if self.type == "double":
            return float(text)
        if self.values is not None:
            for value in self.values:
                if format_value(value) == text:
                    return value
        if self.type == "discrete":
            number = float(text)
            return builtins.int(number) if number.is_integer() and "." not in text and "e" not in text.lower() else number
        return text


def format_number(value: Any) -> str:
    """A number as Katib writes it in a spec: whole numbers without decimals, others shortest-exact."""
    if isinstance(value, bool) or not isinstance(value, (builtins.int, float)):
        raise TypeError(f"expected a number, not {value!r}")
    if isinstance(value, builtins.int):
        return str(value)
    if not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number")
    return repr(float(value))


def format_value(value: Any) -> str:
    """A list value as a string: numbers as ``format_number`` writes them, anything else as ``str``."""
    if isinstance(value, (builtins.int, float)) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def double(min: float, max: float, log: bool = False, step: Optional[float] = None) -> ParameterSpec:
    """A real number in [min, max]; ``log`` samples it uniformly in log space (min > 0);
    ``step`` keeps it on min + k * step."""
    return _range("double", min, max, log, step)


def int(min: builtins.int, max: builtins.int, log: bool = False, step: Optional[builtins.int] = None) -> ParameterSpec:  # noqa: A001 - Katib's name
    """A whole number in [min, max]; ``log`` samples it uniformly in log space (min > 0)."""
    for label, value in (("min", min), ("max", max), ("step", step)):
        if value is not None and (isinstance(value, bool) or not float(value).is_integer()):
            raise ValueError(f"search.int: {label} must be a whole number, not {value!r}")
    return _range("int", builtins.int(min), builtins.int(max), log, None if step is None else builtins.int(step))


def categorical(values: Sequence[Any]) -> ParameterSpec:
    """One of ``values`` (strings, or anything else written with ``str``), no order assumed."""
    return _list("categorical", values)


def discrete(values: Sequence[float]) -> ParameterSpec:
    """One of the numbers ``values``."""
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (builtins.int, float)):
            raise TypeError(f"search.discrete takes numbers; {value!r} is not one (use search.categorical)")
    return _list("discrete", values)


def _range(kind: str, low: Any, high: Any, log: bool, step: Any) -> ParameterSpec:
    if low is None or high is None:
        raise ValueError(f"search.{kind} needs min and max")
    if float(low) > float(high):
        raise ValueError(f"search.{kind}: min ({low}) must not be above max ({high})")
    if log and float(low) <= 0:
        raise ValueError(f"search.{kind}: a log scale needs min > 0, not {low}")
    space: Dict[str, str] = {"min": format_number(low), "max": format_number(high)}
    if step is not None:
        if float(step) <= 0:
            raise ValueError(f"search.{kind}: step must be above 0, not {step}")
        space["step"] = format_number(step)
    if log:
        space["distribution"] = "logUniform"
    return ParameterSpec({"parameterType": kind, "feasibleSpace": space})


def _list(kind: str, values: Sequence[Any]) -> ParameterSpec:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"search.{kind} takes a list of values, not {values!r}")
    texts = [format_value(v) for v in values]
    if not texts:
        raise ValueError(f"search.{kind} needs at least one value")
    if len(texts) > _MAX_LIST:
        raise ValueError(f"search.{kind} takes at most {_MAX_LIST} values, not {len(texts)}")
    if len(set(texts)) != len(texts):
        raise ValueError(f"search.{kind}: the values must be different from each other: {texts}")
    return ParameterSpec({"parameterType": kind, "feasibleSpace": {"list": texts}}, values)

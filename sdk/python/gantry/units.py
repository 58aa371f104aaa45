"""Quantities for people: Kubernetes writes memory as ``24683548Ki`` and the gateway answers it as
given (and as ``memoryBytes``); a notebook or a terminal shows ``23.5 GiB``, in binary units, as
the CLI does."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Optional, Union

_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")

# Kubernetes' quantity suffixes (binary and decimal) and Spark's lower-case JVM sizes ("512m", "4g"),
# which SparkApplication manifests use for memory: there "m" means MiB, not milli.
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}
_JVM = {"b": 1, "k": 2**10, "kb": 2**10, "mb": 2**20, "gb": 2**30, "tb": 2**40, "pb": 2**50,
        "m": 2**20, "g": 2**30, "t": 2**40, "p": 2**50}
_QUANTITY = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*([A-Za-z]*)\s*$")


def format_bytes(count: Union[int, float]) -> str:
    """``25275953152`` -> ``23.5 GiB``; under 1 KiB in bytes; one decimal below 100 of a unit, none above."""
    value = float(count)
    unit = 0
    while abs(value) >= 1024 and unit < len(_UNITS) - 1:
        value /= 1024
        unit += 1
    if unit == 0:
        return f"{value:.0f} B"
    return f"{value:.0f} {_UNITS[unit]}" if abs(value) >= 100 else f"{value:.1f} {_UNITS[unit]}"


def parse_bytes(quantity: Union[str, int, float, None]) -> Optional[int]:
    """Bytes in a memory quantity (``24683548Ki``, ``1.5Gi``, ``2G``, ``512m`` as Spark means it,
    ``1e9``, or a plain number of bytes); None for anything else."""
    if quantity is None or isinstance(quantity, bool):
        return None
    if isinstance(quantity, (int, float)):
        return int(quantity)
    match = _QUANTITY.match(quantity)
    if not match:
        return None
    number, suffix = match.groups()
    if suffix in _BINARY:
        multiplier = _BINARY[suffix]
    elif suffix in _DECIMAL:
        multiplier = _DECIMAL[suffix]
    elif suffix.lower() in _JVM:
        multiplier = _JVM[suffix.lower()]
    else:
        return None
    try:
        return int(Decimal(number) * multiplier)
    except InvalidOperation:
        return None


def format_memory(quantity: Union[str, int, float, None], byte_count: Optional[int] = None) -> str:
    """A memory quantity in binary units; ``byte_count`` (the gateway's ``memoryBytes``) wins when given.
    What cannot be read is shown as it came, rather than hidden."""
    count = byte_count if byte_count else parse_bytes(quantity)
    if count is None:
        return "" if quantity is None else str(quantity)
    return format_bytes(count)

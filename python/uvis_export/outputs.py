"""How a network's own outputs map to the contract's names (SPEC §4: depth_mean, depth_logvar,
seg_logits, seg_logvar): where each lies — a dict key, a position, a NamedTuple or dataclass
field, or the output itself — and, when a mapping is wrong, what the network really returns."""
import dataclasses
from typing import Any, Callable, Dict, List, Tuple, Union

import torch

CONTRACT = ("depth_mean", "depth_logvar", "seg_logits", "seg_logvar")

Outputs = Union[None, str, Dict[str, Union[str, int]], Callable[[Any], Dict[str, torch.Tensor]]]


class MappingError(ValueError):
    """outputs= does not fit what the network returns; the message shows what it returns."""


# A place in the output: ("whole",), ("key", "out"), ("index", 0), ("field", "depth").
Place = Tuple


def is_namedtuple(out: Any) -> bool:
    return isinstance(out, tuple) and hasattr(out, "_fields")


def is_dataclass(out: Any) -> bool:
    return dataclasses.is_dataclass(out) and not isinstance(out, type)


def _shape(v: Any) -> str:
    if isinstance(v, torch.Tensor):
        return "×".join(str(s) for s in v.shape) or "scalar"
    return type(v).__name__


def _a(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def describe(out: Any) -> str:
    """The network's output in words, e.g. "a dict with keys 'out' (1×4×192×256), 'aux' (…)"."""
    if isinstance(out, torch.Tensor):
        return f"one tensor ({_shape(out)})"
    if isinstance(out, dict):
        keys = ", ".join(f"{k!r} ({_shape(v)})" for k, v in out.items())
        return f"{_a(type(out).__name__)} with keys {keys}" if out else f"an empty {type(out).__name__}"
    if is_namedtuple(out):
        fields = ", ".join(f"{f} ({_shape(getattr(out, f))})" for f in out._fields)
        return f"a NamedTuple {type(out).__name__} with fields {fields}"
    if is_dataclass(out):
        fields = ", ".join(f"{f.name} ({_shape(getattr(out, f.name))})" for f in dataclasses.fields(out))
        return f"a dataclass {type(out).__name__} with fields {fields}"
    if isinstance(out, (tuple, list)):
        items = ", ".join(f"[{i}] {_shape(v)}" for i, v in enumerate(out))
        return f"{_a(type(out).__name__)} of {len(out)} ({items})"
    return _a(type(out).__name__)


def _fields(out: Any) -> List[str]:
    if is_namedtuple(out):
        return list(out._fields)
    if is_dataclass(out):
        return [f.name for f in dataclasses.fields(out)]
    return []


def _locate(tensor: torch.Tensor, out: Any) -> Place:
    """Where `tensor` (the very object) lies in the output; () when it does not."""
    if out is tensor:
        return ("whole",)
    for name in _fields(out):
        if getattr(out, name) is tensor:
            return ("field", name)
    if isinstance(out, dict):
        for key, value in out.items():
            if value is tensor:
                return ("key", key)
    if isinstance(out, (tuple, list)):
        for i, value in enumerate(out):
            if value is tensor:
                return ("index", i)
    return ()


def _place(name: str, ref: Union[str, int], out: Any) -> Place:
    """The place a user's reference (a key, a field name or a position) names; raises MappingError."""
    what = f"outputs={{{name!r}: {ref!r}}}"
    if isinstance(out, torch.Tensor):
        raise MappingError(f"{what}: the model returns {describe(out)}, which has no parts; map it whole: "
                           f"outputs={name!r}")
    if isinstance(ref, str):
        if ref in _fields(out):
            return ("field", ref)
        if isinstance(out, dict) and ref in out:
            return ("key", ref)
        raise MappingError(f"{what}: the model's output has no {'field' if _fields(out) else 'key'} {ref!r}; "
                           f"it returns {describe(out)}")
    if isinstance(ref, int) and not isinstance(ref, bool) and isinstance(out, (tuple, list)):
        if 0 <= ref < len(out):
            return ("index", ref)
        raise MappingError(f"{what}: there is no position {ref}; the model returns {describe(out)}")
    raise MappingError(f"{what}: the model returns {describe(out)}; name "
                       + ("a key" if isinstance(out, dict) else "a field or a position" if _fields(out)
                          else "a position"))


def resolve(outputs: Outputs, out: Any) -> Dict[str, Place]:
    """Contract name → place in the network's output, validated against `out` (one sample run)."""
    if outputs is None:
        if isinstance(out, dict):
            found = {k: ("key", k) for k in out if k in CONTRACT}
            if found:
                return found
        found = {f: ("field", f) for f in _fields(out) if f in CONTRACT}
        if found:
            return found
        raise MappingError(f"outputs=: say which of the model's outputs are which; it returns {describe(out)}. "
                           "E.g. outputs={'seg_logits': 'out'} or outputs=lambda o: {'seg_logits': o['out']}")
    if isinstance(outputs, str):  # the whole output is this one contract output
        if not isinstance(out, torch.Tensor):
            raise MappingError(f"outputs={outputs!r} maps the whole output, but the model returns {describe(out)}; "
                               "say which part, e.g. outputs={" + repr(outputs) + ": 0}")
        return {outputs: ("whole",)}
    if isinstance(outputs, dict):
        return {name: _place(name, ref, out) for name, ref in outputs.items()}
    try:
        selected = outputs(out)
    except Exception as e:  # the user's selector failed on the real output: say what that output is
        raise MappingError(f"outputs=: your function failed with {type(e).__name__}: {e}; "
                           f"the model returns {describe(out)}") from e
    if not isinstance(selected, dict):
        raise MappingError("outputs= must return a dict of contract names to tensors, e.g. "
                           "lambda o: {'seg_logits': o['out']}")
    mapping = {}
    for name, tensor in selected.items():
        where = _locate(tensor, out)
        if not where:
            raise MappingError(f"outputs=: '{name}' is computed, not selected, from the model's output (it returns "
                               f"{describe(out)}); the adapter may only pick outputs. Put the computation in the "
                               "model (a small nn.Module around it) and select its result")
        mapping[name] = where
    return mapping


def tasks_of(mapping: Dict[str, Place]) -> List[str]:
    unknown = [n for n in mapping if n not in CONTRACT]
    if unknown:
        raise MappingError(f"outputs=: {unknown} are not contract outputs (those are {list(CONTRACT)})")
    tasks = []
    if "depth_mean" in mapping:
        tasks.append("depth")
    elif "depth_logvar" in mapping:
        raise MappingError("outputs=: depth_logvar without depth_mean")
    if "seg_logits" in mapping:
        tasks.append("segmentation")
    elif "seg_logvar" in mapping:
        raise MappingError("outputs=: seg_logvar without seg_logits")
    if not tasks:
        raise MappingError("outputs=: name depth_mean or seg_logits (or both)")
    return tasks


def pick(out: Any, place: Place) -> Any:
    kind = place[0]
    if kind == "whole":
        return out
    if kind == "field":
        return getattr(out, place[1])
    return out[place[1]]


def expression(var: str, place: Place) -> str:
    """The TorchScript expression that reads `place` from the variable `var`."""
    kind = place[0]
    if kind == "whole":
        return var
    if kind == "field":
        return f"{var}.{place[1]}"
    return f"{var}[{place[1]!r}]"

"""torch.jit.script with errors a user can act on: the real error on every attempt (a failed
compilation leaves TorchScript's class registry half-filled, and the next attempt in the same
session would only say "Can't redefine method: forward"), and, when TorchScript's message has no
source location (numpy inside forward, say), the module, file and line that cannot be compiled."""
import ast
import dataclasses
import inspect
import textwrap
from typing import Optional

import torch
import torch.nn as nn


class ScriptError(RuntimeError):
    """The network cannot be scripted; the message says where and why."""


def prepare_dataclass(cls: type) -> None:
    """Lets TorchScript compile a dataclass the network returns. PyTorch synthesises source for a
    dataclass's generated methods, but on Python 3.11 it asks for their source before it does so
    (and inspect has none): give it the synthesised source first."""
    if not dataclasses.is_dataclass(cls):
        return
    try:
        from torch.jit._dataclass_impls import DATACLASS_MAGIC_METHODS
    except ImportError:  # a PyTorch without dataclass support says so when scripting
        return
    for name, synthesize in DATACLASS_MAGIC_METHODS.items():
        if name in cls.__dict__ and torch._jit_internal.loader.get_source(getattr(cls, name)) is None:
            try:
                torch._jit_internal.loader.cache(getattr(cls, name), synthesize(cls).source)
            except (OSError, TypeError):  # the user wrote that method: it has source of its own
                pass


def _reset() -> None:
    """Forgets every class TorchScript compiled from Python in this session (modules already
    scripted keep their types)."""
    torch._C._jit_clear_class_registry()
    torch.jit._recursive.concrete_type_store = torch.jit._recursive.ConcreteTypeStore()
    torch.jit._state._clear_class_state()


def _source_line(module: nn.Module) -> Optional[str]:
    """"file:line: code" of the first line in module.forward that uses numpy or another library
    TorchScript cannot compile; else of the forward itself."""
    forward = type(module).forward
    try:
        lines, start = inspect.getsourcelines(forward)
        file = inspect.getsourcefile(forward)
    except (OSError, TypeError):
        return None
    tree = ast.parse(textwrap.dedent("".join(lines)))
    foreign = ("np", "numpy", "scipy", "cv2", "PIL", "math")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in foreign:
            line = start + node.lineno - 1
            return f"{file}:{line}: {lines[node.lineno - 1].strip()}"
    return f"{file}:{start}: {lines[0].strip()}"


def _culprit(model: nn.Module) -> Optional[nn.Module]:
    """The innermost sub-module that does not script while all of its children do."""
    for child in model.children():
        if isinstance(child, torch.jit.ScriptModule):
            continue
        try:
            torch.jit.script(child)
        except Exception:
            _reset()
            return _culprit(child) or child
    return None


def script(module: nn.Module, network: nn.Module) -> torch.jit.ScriptModule:
    """Scripts `module` (the adapter around `network`)."""
    try:
        return torch.jit.script(module)
    except Exception as first:  # TorchScript raises many kinds
        _reset()
        message = str(first).strip()
        if "File \"" not in message and isinstance(network, nn.Module) \
                and not isinstance(network, torch.jit.ScriptModule):
            culprit = _culprit(network) or network
            where = _source_line(culprit)
            message += (f" — in {type(culprit).__name__}.forward" + (f" ({where})" if where else "") +
                        ". TorchScript compiles torch operations only: numpy and other libraries cannot run inside "
                        "forward; use the torch equivalent (torch.sqrt, a float literal, ...)")
        raise ScriptError(message) from first

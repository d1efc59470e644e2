"""MC dropout for an existing network: its dropout modules become always-on dropout whose rate is
the run-time argument uvis passes (SPEC §4: forward(image, dropout_p)).

Every converted module reads the rate from one shared one-element tensor; the exported wrapper
writes dropout_p into it before each pass. Sharing one tensor survives scripting and saving
(TorchScript keeps shared storage), so no module path has to be known inside the scripted code.
"""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

DROPOUT_TYPES = (nn.Dropout, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout)


class McDropout(nn.Module):
    """Dropout that is active in eval() too, at the rate held in `rate` (shared by all of them)."""

    kind: str

    def __init__(self, rate: torch.Tensor, kind: str):
        super().__init__()
        self.register_buffer("rate", rate, persistent=True)
        self.kind = kind

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = float(self.rate.item())
        if p <= 0.0:
            return x
        if self.kind == "channel":
            # Whole feature maps, as nn.Dropout2d/3d do (F.dropout2d needs a batch of 4-D maps).
            shape: List[int] = [x.shape[0], x.shape[1]]
            for _ in range(x.dim() - 2):
                shape.append(1)
            mask = torch.empty(shape, device=x.device, dtype=x.dtype)
            return x * mask.bernoulli_(1.0 - p) / (1.0 - p)
        if self.kind == "alpha":
            return F.alpha_dropout(x, p, True)
        return F.dropout(x, p, True)


def kind_of(module: nn.Module) -> str:
    if isinstance(module, nn.AlphaDropout):
        return "alpha"
    if isinstance(module, (nn.Dropout2d, nn.Dropout3d)):
        return "channel"
    return "element"


def find_dropout(model: nn.Module, only: Optional[Sequence[str]] = None) -> List[str]:
    """Names of the dropout modules, those under the named sub-modules only when `only` is given."""
    names = []
    for name, module in model.named_modules():
        if not isinstance(module, DROPOUT_TYPES):
            continue
        if only and not any(name == p or name.startswith(p + ".") for p in only):
            continue
        names.append(name)
    return names


def _parent(model: nn.Module, name: str):
    parts = name.split(".")
    parent = model
    for part in parts[:-1]:
        parent = getattr(parent, part)
    return parent, parts[-1]


def train_rates(model: nn.Module, names: Sequence[str]) -> Dict[str, float]:
    return {n: float(model.get_submodule(n).p) for n in names}


def convert(model: nn.Module, names: Sequence[str], rate: torch.Tensor) -> None:
    """Replaces the named dropout modules by McDropout reading `rate`."""
    for name in names:
        parent, child = _parent(model, name)
        setattr(parent, child, McDropout(rate, kind_of(getattr(parent, child))))


def insert_after(model: nn.Module, names: Sequence[str], rate: torch.Tensor, kind: str = "channel") -> None:
    """Adds MC dropout after each named sub-module (for a network that has none)."""
    for name in names:
        try:
            target = model.get_submodule(name)
        except AttributeError as e:
            raise ValueError(f"dropout={{'after': [...]}}: the model has no sub-module '{name}'") from e
        parent, child = _parent(model, name)
        setattr(parent, child, nn.Sequential(target, McDropout(rate, kind)))

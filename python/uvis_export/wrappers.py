"""The scripted modules that put a user's network under the uvis contract (SPEC §4):
forward(image, dropout_p) -> Dict[str, Tensor] with the contract's output names. With a split
(split_code.py), the split sub-module is replaced by a Replay module that returns the features
encode computed.

One class per shape of the network's own output (a tensor, a dict, a tuple or list), because
TorchScript types are static; the mapping from the contract's names to the network's outputs is
data (learnt by export() from one sample run).
"""
from typing import Dict, List, Tuple

import torch
import torch.nn as nn


class _Outputs(nn.Module):
    """Base: writes the run-time rate into the shared tensor every MC dropout module reads."""

    def __init__(self, model: nn.Module, rate: torch.Tensor):
        super().__init__()
        self.model = model
        self.register_buffer("rate", rate, persistent=True)


class TensorOutput(_Outputs):
    """The network returns one tensor: it is the one contract output `name`."""

    name: str

    def __init__(self, model: nn.Module, rate: torch.Tensor, name: str):
        super().__init__(model, rate)
        self.name = name

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        self.rate.fill_(dropout_p)
        out = self.model(image)
        return {self.name: out}


class DictOutput(_Outputs):
    """The network returns Dict[str, Tensor] (torchvision's segmentation models: {"out": ...})."""

    mapping: List[Tuple[str, str]]

    def __init__(self, model: nn.Module, rate: torch.Tensor, mapping: List[Tuple[str, str]]):
        super().__init__(model, rate)
        self.mapping = mapping

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        self.rate.fill_(dropout_p)
        out = self.model(image)
        result: Dict[str, torch.Tensor] = {}
        for name, key in self.mapping:
            result[name] = out[key]
        return result


class SequenceOutput(_Outputs):
    """The network returns a tuple or list of tensors: contract names by position."""

    mapping: List[Tuple[str, int]]

    def __init__(self, model: nn.Module, rate: torch.Tensor, mapping: List[Tuple[str, int]]):
        super().__init__(model, rate)
        self.mapping = mapping

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        self.rate.fill_(dropout_p)
        out = self.model(image)
        result: Dict[str, torch.Tensor] = {}
        i = 0
        for t in out:  # unrolled by TorchScript for a tuple
            for name, index in self.mapping:
                if index == i:
                    result[name] = t
            i += 1
        return result


class ReplayTensor(nn.Module):
    """Stands in for the split sub-module during decode: returns the features encode computed."""

    features: List[torch.Tensor]

    def __init__(self):
        super().__init__()
        self.features = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.features[0]


class ReplayDict(nn.Module):
    """The same for a sub-module that returns Dict[str, Tensor] (torchvision's backbones)."""

    features: List[torch.Tensor]
    keys: List[str]

    def __init__(self, keys: List[str]):
        super().__init__()
        self.features = []
        self.keys = keys

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        out: Dict[str, torch.Tensor] = {}
        for i, key in enumerate(self.keys):
            out[key] = self.features[i]
        return out

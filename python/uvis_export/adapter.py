"""The scripted module that puts a user's network under the uvis contract (SPEC §4):
forward(image, dropout_p) -> Dict[str, Tensor], and with a split the fast path encode(image) ->
List[Tensor] (the deterministic sub-module, once per image) and decode(features, dropout_p).

The adapter is generated as Python source for each export — TorchScript compiles from source, and
the places it reads (a key, a position, a field) and the split sub-module's attribute path are only
known then — written to a temporary file and imported under a unique name, so exporting again in
the same session never meets a class TorchScript has already compiled. dropout_p is read by the
graph rewrite (mc_dropout.drive), not by this code.
"""
import importlib.util
import itertools
import os
import sys
import tempfile
from typing import Dict, List, Sequence, Tuple

import torch
import torch.nn as nn

from . import outputs as outs

_serial = itertools.count(1)

HEADER = '''
from typing import Dict, List

import torch
import torch.nn as nn
'''

PLAIN = '''

class Adapter(nn.Module):
    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        out = self.model(image)
        result: Dict[str, torch.Tensor] = {{}}
{select}
        return result
'''

SPLIT = '''

class Adapter(nn.Module):
    def __init__(self, model: nn.Module, encoder: nn.Module):
        super().__init__()
        self.model = model
        self.encoder = encoder

    @torch.jit.export
    def encode(self, image: torch.Tensor) -> List[torch.Tensor]:
{encode}

    @torch.jit.export
    def decode(self, features: List[torch.Tensor], dropout_p: float) -> Dict[str, torch.Tensor]:
        # The image rides along as the last feature: the rest of the network may need its size.
        self.model.{path}.features = features[:-1]
        out = self.model(features[-1])
        result: Dict[str, torch.Tensor] = {{}}
{select}
        return result

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        return self.decode(self.encode(image), dropout_p)
'''

ENCODE_TENSOR = '''        return [self.encoder(image), image]'''

ENCODE_DICT = '''        f = self.encoder(image)
        features: List[torch.Tensor] = []
{keys}
        features.append(image)
        return features'''


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


class Source:
    """The generated adapter, importable while the object lives (scripting reads its source)."""

    def __init__(self, text: str):
        self._dir = tempfile.TemporaryDirectory(prefix="uvis_export_")
        self.name = f"uvis_adapter_{os.getpid()}_{next(_serial)}"
        file = os.path.join(self._dir.name, self.name + ".py")
        with open(file, "w") as f:
            f.write(text)
        spec = importlib.util.spec_from_file_location(self.name, file)
        self.module = importlib.util.module_from_spec(spec)
        sys.modules[self.name] = self.module
        spec.loader.exec_module(self.module)

    def close(self) -> None:
        sys.modules.pop(self.name, None)
        self._dir.cleanup()


def _select(mapping: Dict[str, outs.Place]) -> str:
    return "\n".join(f"        result[{name!r}] = {outs.expression('out', place)}" for name, place in mapping.items())


def plain(model: nn.Module, mapping: Dict[str, outs.Place]) -> Tuple[nn.Module, Source]:
    source = Source(HEADER + PLAIN.format(select=_select(mapping)))
    return source.module.Adapter(model), source


def split(model: nn.Module, path: str, features, mapping: Dict[str, outs.Place]) -> Tuple[nn.Module, Source]:
    """The model with `path` replaced by a replay module, and the adapter with encode/decode;
    `features` is what the sub-module returned on the sample (a tensor or a dict of tensors)."""
    if not all(part.isidentifier() for part in path.split(".")):
        raise ValueError(f"split='{path}': name a sub-module by attribute names (e.g. 'backbone')")
    encoder = model.get_submodule(path)
    if isinstance(features, torch.Tensor):
        replay, encode = ReplayTensor(), ENCODE_TENSOR
    elif isinstance(features, dict) and features and all(isinstance(v, torch.Tensor) for v in features.values()):
        keys: Sequence[str] = list(features)
        replay = ReplayDict(list(keys))
        encode = ENCODE_DICT.format(keys="\n".join(f"        features.append(f[{k!r}])" for k in keys))
    else:
        raise ValueError(f"split='{path}': '{path}' returns {outs.describe(features)}; a tensor or a dict of "
                         "tensors can be split")
    parts = path.split(".")
    parent = model.get_submodule(".".join(parts[:-1])) if len(parts) > 1 else model
    setattr(parent, parts[-1], replay)
    source = Source(HEADER + SPLIT.format(encode=encode, path=path, select=_select(mapping)))
    return source.module.Adapter(model, encoder), source

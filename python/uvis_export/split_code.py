"""The fast path of a split model: encode(image) runs the split sub-module once (deterministic),
decode(features, dropout_p) the rest of the network T times (SPEC §4).

decode must hand the features to the Replay module that stands where the split sub-module was.
TorchScript keeps a module that is referenced twice as two copies, so decode reaches the Replay
through the network itself, by its attribute path — which is only known at export time; the
class is therefore written for each export into a small Python file (TorchScript compiles from
source) and imported from there.
"""
import importlib.util
import os
import sys
import tempfile
from typing import List

import torch.nn as nn

TEMPLATE = '''
from typing import Dict, List

import torch
import torch.nn as nn


class Split(nn.Module):
    keys: List[str]

    def __init__(self, outputs: nn.Module, encoder: nn.Module, keys: List[str]):
        super().__init__()
        self.outputs = outputs
        self.encoder = encoder
        self.keys = keys

    @torch.jit.export
    def encode(self, image: torch.Tensor) -> List[torch.Tensor]:
{encode}

    @torch.jit.export
    def decode(self, features: List[torch.Tensor], dropout_p: float) -> Dict[str, torch.Tensor]:
        # The image rides along as the last feature: the rest of the network may need its size.
        self.outputs.model.{path}.features = features[:-1]
        return self.outputs(features[-1], dropout_p)

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        return self.decode(self.encode(image), dropout_p)
'''

ENCODE_TENSOR = '''        return [self.encoder(image), image]'''

ENCODE_DICT = '''        f = self.encoder(image)
        features: List[torch.Tensor] = []
        for key in self.keys:
            features.append(f[key])
        features.append(image)
        return features'''


class SplitSource:
    """The generated module, importable while the object lives (scripting reads its source)."""

    def __init__(self, path: str, dict_features: bool):
        if not all(part.isidentifier() for part in path.split(".")):
            raise ValueError(f"split='{path}': name a sub-module by attribute names (e.g. 'backbone')")
        self._dir = tempfile.TemporaryDirectory(prefix="uvis_export_")
        name = "uvis_split_" + "_".join(path.split("."))
        file = os.path.join(self._dir.name, name + ".py")
        with open(file, "w") as f:
            f.write(TEMPLATE.format(encode=ENCODE_DICT if dict_features else ENCODE_TENSOR, path=path))
        spec = importlib.util.spec_from_file_location(name, file)
        self.module = importlib.util.module_from_spec(spec)
        sys.modules[name] = self.module
        spec.loader.exec_module(self.module)

    def make(self, outputs: nn.Module, encoder: nn.Module, keys: List[str]) -> nn.Module:
        return self.module.Split(outputs, encoder, keys)

    def close(self) -> None:
        sys.modules.pop(self.module.__name__, None)
        self._dir.cleanup()

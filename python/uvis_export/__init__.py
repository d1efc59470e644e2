"""uvis_export: bring an existing PyTorch model into uvis as it is.

    import uvis_export
    uvis_export.export(model, "model.pt", outputs={"seg_logits": "out"}, split="backbone",
                       card={"name": "my-model", "input": {"width": 512, "height": 256},
                             "classes": ["road", "car", "person", "sky"]})

export() makes every dropout of the network — nn.Dropout* modules and F.dropout calls — MC
dropout at uvis's run-time rate, each layer keeping its own trained rate (the run-time rate scales
them all); maps the model's outputs to the contract of SPEC §4 (depth_mean, depth_logvar,
seg_logits, seg_logvar); scripts it (with a split, as a deterministic encode and a stochastic
decode, uvis's fast path); writes the model card into the archive; and checks the result by the
rules of `uvis-cli validate-model` — its own copy of them, and uvis-cli itself when it is on PATH
or in $UVIS_CLI — before the file appears. A model without dropout exports with
deterministic=True, for test-time augmentation and deep ensembles. A scripted model or a
TorchScript file is accepted too. Needs PyTorch only (Debian: python3-torch).
"""
from .export import ExportError, ExportWarning, export

__all__ = ["export", "ExportError", "ExportWarning"]
__version__ = "0.3.0"

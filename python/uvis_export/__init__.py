"""uvis_export: bring an existing PyTorch model into uvis as it is.

    import uvis_export
    from torchvision.models.segmentation import deeplabv3_mobilenet_v3_large
    model = deeplabv3_mobilenet_v3_large(num_classes=4)      # your trained weights
    uvis_export.export(model, "deeplab.pt", outputs={"seg_logits": "out"}, split="backbone",
                       card={"name": "deeplab", "input": {"width": 512, "height": 256},
                             "classes": ["road", "car", "person", "sky"]})

export() turns the model's dropout modules into MC dropout at uvis's run-time rate, maps its
outputs to the contract of SPEC §4 (depth_mean, depth_logvar, seg_logits, seg_logvar), scripts it
(with a split, as a deterministic encode and a stochastic decode, uvis's fast path), writes the
model card into the archive, loads the result back and checks it with the rules of
`uvis-cli validate-model` (and runs uvis-cli itself when it is on PATH or in $UVIS_CLI).
Needs PyTorch only (Debian: python3-torch).
"""
from .export import ExportError, export

__all__ = ["export", "ExportError"]
__version__ = "0.2.0"

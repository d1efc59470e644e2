#!/usr/bin/python3
"""Exports torchvision's DeepLabV3-MobileNetV3, FCN-ResNet50 and LRASPP-MobileNetV3 (random
weights, BatchNorm statistics from random images; nothing is downloaded) for uvis, with and
without the split fast path — the models the README's benchmark of `uvis-bench --model` uses.

    PYTHONPATH=python /usr/bin/python3 python/examples/export_torchvision.py OUT_DIR
"""
import os
import sys

import torch
from torchvision.models import segmentation as tvseg

import uvis_export


def alive(model, width=512, height=256):
    torch.manual_seed(0)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(2, 3, height, width))
    return model.eval()


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    # Fully convolutional: they run at any size (the benchmark times 512×256 and 512×512).
    card = {"input": {"width": 512, "height": 256, "resize": "native", "multiple_of": 16},
            "classes": ["road", "car", "person", "sky"]}
    models = {
        "deeplabv3_mobilenet": (tvseg.deeplabv3_mobilenet_v3_large, {}),
        "fcn_resnet50": (tvseg.fcn_resnet50, {}),
        "lraspp_mobilenet": (tvseg.lraspp_mobilenet_v3_large, {"dropout": {"after": ["classifier.cbr"], "p": 0.2}}),
    }
    for name, (make, extra) in models.items():
        model = alive(make(weights=None, weights_backbone=None, num_classes=4))
        for split in (None, "backbone"):
            path = os.path.join(out, f"{name}{'_split' if split else ''}.pt")
            uvis_export.export(model, path, card=dict(card, name=name), outputs={"seg_logits": "out"}, split=split,
                               **extra)
            print(path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "torchvision-models")

#!/usr/bin/python3
"""Builds the TorchScript fixture models of uvis's tests (SPEC §4), small and deterministic.

    /usr/bin/python3 tests/data/models/make_fixtures.py tests/data/models

Needs PyTorch (Debian: apt-get install python3-torch). The network below is also the
bring-your-own-model example of the README: a Bayesian depth + segmentation net whose dropout is
applied with F.dropout(..., training=True) at the rate passed in, scripted (not traced), and saved
with its model card as the extra file model_card.json.
"""
import json
import os
import sys
from typing import Dict, List

import torch
import torch.nn as nn
import torch.nn.functional as F

CARD = {
    "name": "tiny-bayes", "version": "1", "description": "uvis test fixture",
    "tasks": ["depth", "segmentation"],
    "input": {"width": 32, "height": 24, "mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]},
    "depth": {"unit": "m", "min": 0.5, "max": 80.0, "loss": "gaussian"},
    "classes": [{"name": "sky", "color": [70, 130, 180]}, {"name": "road", "color": [128, 64, 128]},
                {"name": "car", "color": [0, 0, 142]}],
    "dropout": {"train_p": 0.3},
    "task_uncertainty": {"depth_log_var": -1.0, "seg_log_var": -0.5},
}


class Layers(nn.Module):
    """The layers both variants share (created in the same order: the same seed, the same weights)."""

    def __init__(self, classes: int = 3, depth: bool = True, segmentation: bool = True):
        super().__init__()
        self.enc1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.enc2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.dec = nn.Conv2d(16, 16, 3, padding=1)
        self.depth_head = nn.Conv2d(16, 2, 1)
        self.seg_head = nn.Conv2d(16, classes + 1, 1)
        self.classes = classes
        self.has_depth = depth
        self.has_segmentation = segmentation


class TinyBayesNet(Layers):
    """Deterministic encoder, stochastic decoder: uvis encodes once and decodes T times."""

    @torch.jit.export
    def encode(self, image: torch.Tensor) -> List[torch.Tensor]:
        return [F.relu(self.enc2(F.relu(self.enc1(image))))]

    @torch.jit.export
    def decode(self, features: List[torch.Tensor], dropout_p: float) -> Dict[str, torch.Tensor]:
        # MC dropout: active whatever train()/eval() says, at the rate uvis asks for.
        x = F.dropout(features[0], p=dropout_p, training=True)
        x = F.relu(self.dec(x))
        out: Dict[str, torch.Tensor] = {}
        if self.has_depth:
            d = self.depth_head(x)
            out["depth_mean"] = F.softplus(d[:, 0:1]) + 0.5   # metres
            out["depth_logvar"] = d[:, 1:2]                   # log σ²
        if self.has_segmentation:
            s = self.seg_head(x)
            out["seg_logits"] = s[:, : self.classes]
            out["seg_logvar"] = s[:, self.classes:]            # log σ² of the logit noise
        return out

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        return self.decode(self.encode(image), dropout_p)


class ForwardOnlyNet(Layers):
    """The same network without encode/decode: uvis runs the full forward per sample."""

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        return self.outputs(image, dropout_p)

    def outputs(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        # (TorchScript has no super(): the variants below call this instead.)
        x = F.relu(self.enc2(F.relu(self.enc1(image))))
        x = F.relu(self.dec(F.dropout(x, p=dropout_p, training=True)))
        d = self.depth_head(x)
        s = self.seg_head(x)
        return {"depth_mean": F.softplus(d[:, 0:1]) + 0.5, "depth_logvar": d[:, 1:2],
                "seg_logits": s[:, : self.classes], "seg_logvar": s[:, self.classes:]}


class FrozenDropoutNet(ForwardOnlyNet):
    """Ignores dropout_p: every pass is the same (what tracing does to dropout)."""

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        return self.outputs(image, 0.0)


class MissingOutputNet(ForwardOnlyNet):
    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        out = self.outputs(image, dropout_p)
        return {"depth_mean": out["depth_mean"], "depth_logvar": out["depth_logvar"]}


class NoVarianceNet(ForwardOnlyNet):
    """Neither variance head (SPEC §4: depth_logvar and seg_logvar are optional): no aleatoric
    depth map, and every consumer says "not predicted by this model"."""

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        out = self.outputs(image, dropout_p)
        return {"depth_mean": out["depth_mean"], "seg_logits": out["seg_logits"]}


class WrongShapeNet(ForwardOnlyNet):
    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        out = self.outputs(image, dropout_p)
        out["seg_logits"] = torch.cat([out["seg_logits"], out["seg_logvar"]], 1)  # K + 1 channels
        return out


class NaNNet(ForwardOnlyNet):
    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        out = self.outputs(image, dropout_p)
        out["depth_mean"] = out["depth_mean"] * float("nan")
        return out


class GarbageNet(ForwardOnlyNet):
    """Finite outputs that mean nothing: a log variance whose exp overflows, or a
    depth that is not a positive distance. uvis must refuse them, not summarise them as 0.0."""

    def __init__(self, output: str, value: float):
        super().__init__()
        self.output = output
        self.value = value

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        out = self.outputs(image, dropout_p)
        out[self.output] = torch.full_like(out[self.output], self.value)
        return out


class HangNet(ForwardOnlyNet):
    """Never returns: an endless loop in forward (the model guard must stop it, not wait)."""

    def forward(self, image: torch.Tensor, dropout_p: float) -> Dict[str, torch.Tensor]:
        x = image
        i = 0
        while i >= 0:  # never false: i only grows
            x = x * 1.0
            i += 1
        return self.outputs(x, dropout_p)


class TracedWrapper(nn.Module):
    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, image: torch.Tensor) -> Dict[str, torch.Tensor]:
        return self.net(image, 0.2)


def card(**changes) -> dict:
    c = json.loads(json.dumps(CARD))
    c.update(changes)
    return c


def save(module: nn.Module, path: str, model_card: dict = None) -> None:
    module.eval()
    scripted = torch.jit.script(module)
    extra = {"model_card.json": json.dumps(model_card)} if model_card is not None else {}
    torch.jit.save(scripted, path, _extra_files=extra)


def save_with_card_text(module: nn.Module, path: str, text: str) -> None:
    """A model whose model_card.json is `text` exactly (hostile cards that json.dumps cannot write)."""
    torch.jit.save(torch.jit.script(module.eval()), path, _extra_files={"model_card.json": text})


def corrupt_entry(source: str, path: str, entry_suffix: str, offset: int = 16) -> None:
    """A copy of the archive `source` with 3 bytes of one entry's data flipped in place (the zip
    structure stays intact: the entries are stored, not compressed)."""
    import zipfile
    data = bytearray(open(source, "rb").read())
    with zipfile.ZipFile(source) as z:
        info = next(i for i in z.infolist() if i.filename.endswith(entry_suffix))
    # The data follows the 30-byte local header, the name and the extra field.
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(3):
        data[start + offset + i] ^= 0x5A
    open(path, "wb").write(bytes(data))


def hostile(out: str) -> None:
    """Model files that once crashed the process that loaded them: each must be a
    refusal (exit 4) naming the file."""
    p = lambda name: os.path.join(out, name)
    text = json.dumps(CARD)
    torch.manual_seed(7)
    save_with_card_text(TinyBayesNet(), p("card_overflow.pt"), text.replace('"train_p": 0.3', '"train_p": 1e999'))
    deep = "[" * 100000 + "]" * 100000
    torch.manual_seed(7)
    save_with_card_text(TinyBayesNet(), p("card_nested.pt"), text[:-1] + ', "extra": ' + deep + "}")
    corrupt_entry(p("encode_decode.pt"), p("corrupt_pickle.pt"), "data.pkl")
    corrupt_entry(p("encode_decode.pt"), p("corrupt_code.pt"), "code/__torch__.py", 40)


def main(out: str) -> None:
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    torch.manual_seed(7)
    save(TinyBayesNet(), p("encode_decode.pt"), CARD)
    torch.manual_seed(7)  # the same weights: forward-only and encode/decode agree
    save(ForwardOnlyNet(), p("forward_only.pt"), CARD)
    torch.manual_seed(7)
    save(TinyBayesNet(depth=False), p("segmentation_only.pt"), card(tasks=["segmentation"]))
    torch.manual_seed(7)
    save(TinyBayesNet(segmentation=False), p("depth_only.pt"), card(tasks=["depth"]))
    torch.manual_seed(7)
    save(TinyBayesNet(), p("sidecar_card.pt"))  # card beside it, as sidecar_card.json
    with open(p("sidecar_card.json"), "w") as f:
        json.dump(CARD, f, indent=1)
    save(FrozenDropoutNet(), p("frozen_dropout.pt"), CARD)
    save(MissingOutputNet(), p("missing_output.pt"), CARD)
    save(WrongShapeNet(), p("wrong_shape.pt"), CARD)
    save(NaNNet(), p("nan_output.pt"), CARD)
    save(HangNet(), p("hang.pt"), CARD)
    save(GarbageNet("depth_logvar", 89.0), p("depth_logvar_89.pt"), CARD)
    save(GarbageNet("seg_logvar", 1000.0), p("seg_logvar_1000.pt"), CARD)
    save(GarbageNet("depth_mean", -1e30), p("negative_depth.pt"), CARD)
    no_input = card()
    del no_input["input"]
    save(TinyBayesNet(), p("card_missing_field.pt"), no_input)
    traced = torch.jit.trace(TracedWrapper(ForwardOnlyNet()).eval(), torch.zeros(1, 3, 24, 32), check_trace=False, strict=False)
    torch.jit.save(traced, p("traced.pt"), _extra_files={"model_card.json": json.dumps(CARD)})
    hostile(out)
    with open(p("not_a_model.pt"), "w") as f:
        f.write("This is a text file with a model's name.\n")
    # Added last, so that the weights of the fixtures above stay as they were.
    save(NoVarianceNet(), p("no_variance.pt"), CARD)
    deterministic(out)


def deterministic(out: str) -> None:
    """A model without dropout: its card has no "dropout" section, and it ignores dropout_p. MC
    dropout does not apply; test-time augmentation and ensembles do."""
    torch.manual_seed(7)
    no_dropout = card()
    del no_dropout["dropout"]
    save(FrozenDropoutNet(), os.path.join(out, "deterministic.pt"), no_dropout)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))

"""uvis_export on real architectures, with random weights (nothing is downloaded):
torchvision's DeepLabV3-MobileNetV3 and FCN-ResNet50 (dropout in their heads) with and without
split="backbone", LRASPP (no dropout: refused, then exported with dropout inserted), a depth U-Net
without a variance head and a depth + segmentation two-head network. Each file is checked by the
exporter, by `uvis-cli validate-model`, run by `uvis-cli infer` (the maps its card promises), and
one is opened by the application offscreen. UVIS_CLI and UVIS_APP name the programs (CTest sets
them); without them those steps are skipped.
"""
import json
import os
import subprocess

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.models import segmentation as tvseg

import uvis_export
from uvis_export import ExportError

W, H = 256, 192
SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "samples", "domainA", "A_000000_rgb.png")
CLI = os.environ.get("UVIS_CLI")
APP = os.environ.get("UVIS_APP")
CLASSES = ["road", "car", "person", "sky"]


def alive(model: nn.Module) -> nn.Module:
    """Random weights with BatchNorm's running statistics from random images: untrained networks
    with default statistics give a constant output that no dropout can move."""
    torch.manual_seed(0)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(2, 3, H, W))
    return model.eval()


def card(name, **extra):
    c = {"name": name, "input": {"width": W, "height": H}}
    c.update(extra)
    return c


def run_cli(*args, timeout=600):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def check_with_uvis(path, tmp_path, expect_files, absent_files=()):
    """validate-model passes; infer writes what the card promises and nothing it does not."""
    if not CLI:
        pytest.skip("UVIS_CLI not set")
    v = run_cli("validate-model", path)
    assert v.returncode == 0, v.stderr
    out = tmp_path / "out"
    r = run_cli("infer", "-q", "-T", "2", "-m", path, "-o", str(out), SAMPLE)
    assert r.returncode == 0, r.stderr
    result = out / "A_000000_rgb"
    for f in expect_files:
        assert (result / f).exists(), f
    for f in absent_files:
        assert not (result / f).exists(), f
    with open(result / "summary.json") as f:
        return json.load(f), v.stdout


def fast_equals_forward(path):
    m = torch.jit.load(path)
    x = torch.rand(1, 3, H, W)
    with torch.no_grad():
        full = m(x, 0.0)
        fast = m.decode(m.encode(x), 0.0)
        a, b = m(x, 0.3), m(x, 0.3)
    for k in full:
        assert torch.allclose(full[k], fast[k], atol=1e-5, rtol=1e-4), k
    assert any(not torch.equal(a[k], b[k]) for k in a), "dropout must be active at p > 0"


@pytest.mark.parametrize("split", [None, "backbone"])
def test_deeplabv3_mobilenet(tmp_path, split):
    model = alive(tvseg.deeplabv3_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4))
    path = str(tmp_path / "deeplab.pt")
    written = uvis_export.export(model, path, card=card("deeplab", classes=CLASSES), split=split,
                                 outputs=lambda o: {"seg_logits": o["out"]})
    assert written["tasks"] == ["segmentation"] and written["dropout"]["train_p"] == 0.5
    assert [c["name"] for c in written["classes"]] == CLASSES
    if split:
        fast_equals_forward(path)
    summary, info = check_with_uvis(path, tmp_path, ["seg_class.npy", "seg_mutual_info.npy", "segmentation.png"],
                                    ["depth_mean.npy"])
    assert ("encode once + decode per sample" in info) == bool(split)
    assert summary["model"]["name"] == "deeplab"
    mi = np.load(tmp_path / "out" / "A_000000_rgb" / "seg_mutual_info.npy")
    assert mi.shape == (H, W) and np.isfinite(mi).all() and mi.max() > 0  # MC dropout moves the classes


@pytest.mark.parametrize("split", ["backbone"])  # the slowest network: the plain path is DeepLabV3's
def test_fcn_resnet50(tmp_path, split):
    model = alive(tvseg.fcn_resnet50(weights=None, weights_backbone=None, num_classes=4))
    path = str(tmp_path / "fcn.pt")
    written = uvis_export.export(model, path, card=card("fcn", classes=CLASSES), split=split,
                                 outputs={"seg_logits": "out"})
    assert written["dropout"]["train_p"] == pytest.approx(0.1)
    if split:
        fast_equals_forward(path)
    check_with_uvis(path, tmp_path, ["seg_class.npy", "seg_entropy.npy"])


def test_lraspp_without_dropout_is_refused_then_inserted(tmp_path):
    model = alive(tvseg.lraspp_mobilenet_v3_large(weights=None, weights_backbone=None, num_classes=4))
    path = str(tmp_path / "lraspp.pt")
    with pytest.raises(ExportError, match="no dropout.*dropout=\\{'after'"):
        uvis_export.export(model, path, card=card("lraspp"), outputs={"seg_logits": "out"})
    assert not os.path.exists(path)
    written = uvis_export.export(model, path, card=card("lraspp"), outputs={"seg_logits": "out"},
                                 split="backbone", dropout={"after": ["classifier.cbr"], "p": 0.2})
    assert written["dropout"]["train_p"] == 0.2
    assert [c["name"] for c in written["classes"]] == ["class 0", "class 1", "class 2", "class 3"]
    fast_equals_forward(path)
    check_with_uvis(path, tmp_path, ["seg_mutual_info.npy"])


class DepthUNet(nn.Module):
    """A small monocular depth U-Net without a variance head: one tensor out, metres."""

    def __init__(self):
        super().__init__()
        self.enc1 = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU())
        self.enc2 = nn.Sequential(nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.drop = nn.Dropout2d(0.2)
        self.up = nn.ConvTranspose2d(32, 16, 2, stride=2)
        self.dec = nn.Sequential(nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(), nn.Dropout(0.1), nn.Conv2d(16, 1, 1))

    def forward(self, x):
        a = self.enc1(x)
        b = self.drop(self.enc2(a))
        y = self.dec(torch.cat([self.up(b), a], 1))
        return F.softplus(y) + 0.5


def test_depth_unet_without_variance_head(tmp_path):
    model = alive(DepthUNet())
    path = str(tmp_path / "unet.pt")
    written = uvis_export.export(model, path, card=card("unet-depth"), outputs="depth_mean")
    assert written["tasks"] == ["depth"] and "classes" not in written
    summary, _ = check_with_uvis(path, tmp_path, ["depth_mean.npy", "depth_epistemic_var.npy", "depth.png"],
                                 ["depth_aleatoric_var.npy", "depth_aleatoric_std.png", "seg_class.npy"])
    assert "not_predicted" in summary["maps"]["depth_aleatoric_var"]
    assert summary["maps"]["depth_epistemic_var"]["mean"] > 0


class TwoHeads(nn.Module):
    """Depth with its log variance and segmentation, as a tuple; encoder without dropout."""

    def __init__(self, classes=3):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                     nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.drop = nn.Dropout2d(0.3)
        self.depth = nn.Conv2d(32, 2, 1)
        self.seg = nn.Conv2d(32, classes, 1)

    def forward(self, x):
        f = self.drop(self.encoder(x))
        d = self.depth(f)
        return F.softplus(d[:, :1]) + 0.5, d[:, 1:], self.seg(f)


def test_two_heads_with_split(tmp_path):
    model = alive(TwoHeads())
    path = str(tmp_path / "two.pt")
    written = uvis_export.export(
        model, path, card=card("two-heads", classes=["road", "car", "sky"]), split="encoder",
        outputs=lambda o: {"depth_mean": o[0], "depth_logvar": o[1], "seg_logits": o[2]})
    assert written["tasks"] == ["depth", "segmentation"]
    fast_equals_forward(path)
    check_with_uvis(path, tmp_path, ["depth_aleatoric_var.npy", "depth_epistemic_var.npy", "seg_mutual_info.npy"])


def test_the_application_opens_an_exported_model(tmp_path):
    if not APP:
        pytest.skip("UVIS_APP not set")
    model = alive(TwoHeads())
    path = str(tmp_path / "two.pt")
    uvis_export.export(model, path, card=card("two-heads", classes=["road", "car", "sky"]), split="encoder",
                       outputs=lambda o: {"depth_mean": o[0], "depth_logvar": o[1], "seg_logits": o[2]})
    shot = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run([APP, "--settings", str(tmp_path / "s.ini"), "--window-size", "1280x720", "--model", path,
                        "--screenshot", str(shot), SAMPLE], capture_output=True, text=True, timeout=300, env=env)
    assert r.returncode == 0, r.stderr
    assert shot.stat().st_size > 10000


def test_clear_refusals(tmp_path):
    model = alive(TwoHeads())
    path = str(tmp_path / "x.pt")
    with pytest.raises(ExportError, match="computed, not selected"):
        uvis_export.export(model, path, card=card("x", classes=["a", "b", "c"]),
                           outputs=lambda o: {"depth_mean": o[0] * 2.0, "seg_logits": o[2]})
    with pytest.raises(ExportError, match="not contract outputs"):
        uvis_export.export(model, path, card=card("x"), outputs={"depth": 0})
    with pytest.raises(ExportError, match="'input' needs 'width' and 'height'"):
        uvis_export.export(model, path, card={"name": "x"}, outputs={"depth_mean": 0})
    with pytest.raises(ExportError, match="contains dropout"):  # dropout inserted after the encoder is in it
        uvis_export.export(model, path, card=card("x"), outputs={"depth_mean": 0}, split="encoder",
                           dropout={"after": ["encoder"]})
    with pytest.raises(ExportError, match="no sub-module 'decoder'"):
        uvis_export.export(model, path, card=card("x"), outputs={"depth_mean": 0}, split="decoder")
    assert not os.path.exists(path)


def test_native_size_model_runs_at_the_images_size(tmp_path):
    """SPEC §4 "input": {"resize": "native", "multiple_of": 16}: a fully convolutional model runs at
    the image's own size (rounded), not squeezed to the card's 256×192."""
    if not CLI:
        pytest.skip("UVIS_CLI not set")
    from torchvision.io import read_image, write_png
    image = read_image(SAMPLE)
    wide = F.interpolate(image[None].float(), size=(150, 330), mode="bilinear", align_corners=False)[0]
    picture = tmp_path / "wide.png"
    write_png(wide.clamp(0, 255).to(torch.uint8), str(picture))
    model = alive(DepthUNet())
    path = str(tmp_path / "native.pt")
    written = uvis_export.export(model, path, outputs="depth_mean",
                                 card={"name": "native-unet",
                                       "input": {"width": W, "height": H, "resize": "native", "multiple_of": 16}})
    assert written["input"]["resize"] == "native"
    out = tmp_path / "out"
    r = run_cli("infer", "-q", "-T", "2", "-m", path, "-o", str(out), str(picture))
    assert r.returncode == 0, r.stderr
    with open(out / "wide" / "summary.json") as f:
        summary = json.load(f)
    assert summary["model_size"] == [336, 144]  # 330×150 to the nearest multiples of 16
    assert np.load(out / "wide" / "depth_mean.npy").shape == (150, 330)  # maps at the input's size

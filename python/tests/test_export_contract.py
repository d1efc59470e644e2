"""What the exporter refuses, and how it says so: mapping mistakes name the mapping and show the
model's real output; without uvis-cli the exporter's own checks refuse what uvis would; a failed
export leaves no file; deterministic models, batch-1 models, TorchScript files, NamedTuple and
dataclass outputs, re-exports after an error, and code TorchScript cannot compile."""
import dataclasses
import json
import numpy as np
import os
import warnings
from collections import OrderedDict
from typing import NamedTuple

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

import uvis_export
from conftest import CLI, alive, infer, run_cli
from uvis_export import ExportError, ExportWarning

W, H = 64, 48
SAMPLE = os.path.join(os.path.dirname(__file__), "..", "..", "resources", "samples", "domainA", "A_000000_rgb.png")


def card(name="m", **extra):
    c = {"name": name, "input": {"width": W, "height": H}}
    c.update(extra)
    return c


class Body(nn.Module):
    def __init__(self, out=4, p=0.2):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.drop = nn.Dropout2d(p)
        self.head = nn.Conv2d(8, out, 1)

    def features(self, x):
        return self.head(self.drop(F.relu(self.conv(x))))


class DictOut(Body):
    def forward(self, x):
        y = self.features(x)
        return {"depth": F.softplus(y[:, :1]) + 0.5, "seg": y}


class TupleOut(Body):
    def forward(self, x):
        y = self.features(x)
        return F.softplus(y[:, :1]) + 0.5, y


class OrderedOut(Body):
    def forward(self, x):
        y = self.features(x)
        out = OrderedDict()
        out["seg"] = y
        return out


class Pair(NamedTuple):
    depth: torch.Tensor
    seg: torch.Tensor


class NamedOut(Body):
    def forward(self, x):
        y = self.features(x)
        return Pair(F.softplus(y[:, :1]) + 0.5, y)


@dataclasses.dataclass
class Prediction:
    depth: torch.Tensor
    seg: torch.Tensor


class DataclassOut(Body):
    def forward(self, x):
        y = self.features(x)
        return Prediction(F.softplus(y[:, :1]) + 0.5, y)


@pytest.mark.parametrize("model, outputs, message", [
    (DictOut(), {"seg_logits": "logits"},
     r"outputs=\{'seg_logits': 'logits'\}: the model's output has no key 'logits'; it returns a dict with keys "
     r"'depth' \(1×1×48×64\), 'seg' \(1×4×48×64\)"),
    (DictOut(), {"seg_logits": 0}, r"outputs=\{'seg_logits': 0\}: the model returns a dict with keys .*; name a key"),
    (OrderedOut(), lambda o: {"seg_logits": o.shape}, r"your function failed with AttributeError.*returns an "
                                                      r"OrderedDict with keys 'seg'"),
    (TupleOut(), {"seg_logits": 2}, r"outputs=\{'seg_logits': 2\}: there is no position 2; the model returns a "
                                    r"tuple of 2 \(\[0\] 1×1×48×64, \[1\] 1×4×48×64\)"),
    (TupleOut(), lambda o: {"seg_logits": o.shape}, r"your function failed with AttributeError.*a tuple of 2"),
    (TupleOut(), "seg_logits", r"outputs='seg_logits' maps the whole output, but the model returns a tuple of 2"),
    (NamedOut(), {"seg_logits": "logits"}, r"no field 'logits'; it returns a NamedTuple Pair with fields depth "
                                           r"\(1×1×48×64\), seg \(1×4×48×64\)"),
    (DictOut(), None, r"say which of the model's outputs are which; it returns a dict with keys 'depth'"),
])
def test_mapping_mistakes_name_the_mapping_and_show_the_output(tmp_path, model, outputs, message):
    path = tmp_path / "m.pt"
    with pytest.raises(ExportError, match=message):
        uvis_export.export(model, str(path), card=card(), outputs=outputs)
    assert not path.exists()


@pytest.mark.parametrize("model", [NamedOut(), DataclassOut()])
def test_fields_by_name(tmp_path, model):
    path = tmp_path / "m.pt"
    written = uvis_export.export(model, str(path), card=card(classes=["a", "b", "c", "d"]),
                                 outputs={"depth_mean": "depth", "seg_logits": "seg"})
    assert written["tasks"] == ["depth", "segmentation"]
    out = torch.jit.load(str(path))(torch.rand(1, 3, H, W), 0.2)
    assert out["depth_mean"].shape == (1, 1, H, W) and out["seg_logits"].shape == (1, 4, H, W)


class FewChannels(nn.Module):
    """Dropout2d over three channels: two passes draw the same mask about a third of the time."""
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.drop = nn.Dropout2d(0.2)
        self.head = nn.Conv2d(3, 4, 1)

    def forward(self, x):
        y = self.head(self.drop(torch.tanh(self.conv(x))))
        return F.softplus(y[:, :1]) + 0.5, y


def test_equal_masks_by_chance_are_not_frozen_dropout(tmp_path):
    # With these seeds the first two passes of the check draw equal masks: a check of two passes
    # called this model frozen; more passes show it is not (both the exporter's and uvis-cli's).
    torch.manual_seed(0)
    path = tmp_path / "m.pt"
    uvis_export.export(FewChannels(), str(path), card=card(), outputs={"depth_mean": 0, "seg_logits": 1})
    assert path.exists()


def without_cli(monkeypatch):
    monkeypatch.delenv("UVIS_CLI", raising=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")


@pytest.mark.parametrize("model, outputs, extra, message", [
    (DictOut(out=2), lambda o: {"depth_mean": o["seg"]}, {}, r"output 'depth_mean' has 2 channels, the contract "
                                                             r"needs 1"),
    (DictOut(out=21), {"depth_mean": "seg"}, {}, r"'depth_mean' has 21 channels, the contract needs 1"),
    (DictOut(), {"seg_logits": "seg"}, {"classes": [{"name": "a", "color": "#ff0000"}, "b", "c", "d"]},
     r"'classes\[0\].color' must be three whole numbers 0–255 \(got '#ff0000'\)"),
    (DictOut(), {"seg_logits": "seg"}, {"classes": [{"name": "a", "color": [1.0, 0.5, 0.0]}, "b", "c", "d"]},
     r"colours as 0–1 fractions\? multiply by 255: \[255, 128, 0\]"),
    (DictOut(), {"seg_logits": "seg"}, {"input": {"width": "256", "height": H}},
     r"'input.width' must be a whole number from 8 to 8192 \(got '256'\)"),
])
def test_without_uvis_cli_the_exporter_refuses_what_uvis_would(tmp_path, monkeypatch, model, outputs, extra,
                                                                 message):
    without_cli(monkeypatch)
    path = tmp_path / "bad.pt"
    with pytest.raises(ExportError, match=message):
        uvis_export.export(model, str(path), card=card(**extra), outputs=outputs)
    assert os.listdir(tmp_path) == []  # no file, no temporary left behind


def test_without_uvis_cli_a_good_model_exports_with_a_note(tmp_path, monkeypatch):
    without_cli(monkeypatch)
    with pytest.warns(ExportWarning, match="uvis-cli not found.*own checks of the contract passed.*UVIS_CLI"):
        uvis_export.export(DictOut(), str(tmp_path / "ok.pt"), card=card(), outputs={"depth_mean": "depth"})


class RandomMask(Body):
    """Its own random op that ignores the rate: the p = 0 passes differ."""

    def forward(self, x):
        y = self.features(x)
        return y * (torch.rand_like(y) > 0.3).float()


def test_a_failed_export_leaves_no_file_and_keeps_an_earlier_one(tmp_path):
    path = tmp_path / "m.pt"
    path.write_bytes(b"an earlier model")
    with pytest.raises(ExportError, match="differs between two passes at p = 0: something random in the network "
                                          "ignores the run-time rate"):
        uvis_export.export(RandomMask(), str(path), card=card(classes=["a", "b", "c", "d"]), outputs="seg_logits")
    assert path.read_bytes() == b"an earlier model"
    assert sorted(os.listdir(tmp_path)) == ["m.pt"]


class NoDropout(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.drop = nn.Dropout(0.0)  # present, at rate 0 (the transformer default)

    def forward(self, x):
        return self.drop(self.conv(x))


def test_all_zero_rates_are_refused_for_mc_and_export_deterministic(tmp_path):
    path = tmp_path / "det.pt"
    with pytest.raises(ExportError, match=r"every dropout rate is 0 \(drop \(Dropout\) p = 0.0\).*"
                                          r"deterministic=True.*dropout=\{'p': 0.1\}"):
        uvis_export.export(NoDropout(), str(path), card=card(classes=["a", "b", "c", "d"]), outputs="seg_logits")
    written = uvis_export.export(NoDropout(), str(path), card=card(classes=["a", "b", "c", "d"]),
                                 outputs="seg_logits", deterministic=True)
    assert "dropout" not in written
    # dropout={'p': ...} runs the zero-rate modules at that rate instead.
    mc = uvis_export.export(NoDropout(), str(tmp_path / "mc.pt"), card=card(classes=["a", "b", "c", "d"]),
                            outputs="seg_logits", dropout={"p": 0.1})
    assert mc["dropout"]["train_p"] == 0.1 and mc["dropout"]["scaling"] == "uniform"
    if not CLI:
        return
    r = run_cli("infer", "-q", "-m", str(path), "-o", str(tmp_path / "out"), SAMPLE)
    assert r.returncode == 2 and "no dropout" in r.stderr and "--method tta" in r.stderr, r.stderr
    folder, summary = infer(path, SAMPLE, tmp_path / "tta", "--method", "tta", "-T", "4")
    assert summary["method"] == "tta" and summary["trained_dropout"] is None


def test_deterministic_models_in_an_ensemble(tmp_path):
    members = []
    for seed in (1, 2):
        torch.manual_seed(seed)
        path = tmp_path / f"member{seed}.pt"
        uvis_export.export(NoDropout(), str(path), card=card("det", classes=["a", "b", "c", "d"]),
                           outputs="seg_logits", deterministic=True)
        members.append(path.name)
    ensemble = tmp_path / "det.ensemble.json"
    ensemble.write_text(json.dumps({"uvis_ensemble": 1, "name": "det-ensemble", "members": members}))
    if not CLI:
        pytest.skip("UVIS_CLI not set")
    folder, summary = infer(ensemble, SAMPLE, tmp_path / "out", "--method", "ensemble")
    assert summary["method"] == "ensemble" and summary["samples_done"] == 2  # one pass per member


class BatchOne(Body):
    """Assumes one image: reshapes with a hard-coded batch of 1."""

    def forward(self, x):
        y = self.features(x)
        return y.reshape(1, 4, y.shape[2], y.shape[3])


def test_a_batch_one_model_runs_one_pass_per_call(tmp_path):
    path = tmp_path / "b1.pt"
    with pytest.warns(ExportWarning, match="assumes one image per call"):
        uvis_export.export(BatchOne(), str(path), card=card(classes=["a", "b", "c", "d"]), outputs="seg_logits")
    v = run_cli("validate-model", str(path))
    assert v.returncode == 0 and "one pass per call" in v.stdout, v.stdout + v.stderr
    folder, summary = infer(path, SAMPLE, tmp_path / "out", "-T", "8")
    assert summary["samples"] == 8 and summary["passes_per_call"] == 1


def test_torchscript_files(tmp_path):
    model = DictOut()
    scripted = tmp_path / "scripted.pt"
    torch.jit.save(torch.jit.script(model), str(scripted))
    written = uvis_export.export(str(scripted), str(tmp_path / "wrapped.pt"), card=card(classes=["a", "b", "c", "d"]),
                                 outputs={"depth_mean": "depth", "seg_logits": "seg"})
    assert written["dropout"]["rates"] == [{"where": "drop (Dropout2d)", "p": 0.2}]
    traced = tmp_path / "traced.pt"
    torch.jit.save(torch.jit.trace(alive(nn.Sequential(nn.Conv2d(3, 4, 1), nn.BatchNorm2d(4)), W, H),
                                   torch.rand(1, 3, H, W)), str(traced))
    with pytest.raises(ExportError, match=r"traced model.*re-export from the nn.Module"):
        uvis_export.export(str(traced), str(tmp_path / "t.pt"), card=card(), outputs="seg_logits")
    with pytest.raises(ExportError, match=r"not a TorchScript file.*torch.load"):
        torch.save(model, str(tmp_path / "pickled.pt"))
        uvis_export.export(str(tmp_path / "pickled.pt"), str(tmp_path / "p.pt"), card=card(), outputs="seg_logits")


class Unscriptable(Body):
    def forward(self, x, *extra):
        return self.features(x)


def test_the_real_error_on_every_attempt(tmp_path):
    for _ in range(2):  # the second attempt used to say "Can't redefine method: forward"
        with pytest.raises(ExportError, match="(?s)variable number of arguments.*test_export_contract.py"):
            uvis_export.export(Unscriptable(), str(tmp_path / "u.pt"), card=card(), outputs="seg_logits")


class UsesNumpy(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = Body()

    def forward(self, x):
        return self.body.features(x) * np.float32(2.0)


def test_numpy_in_forward_is_located(tmp_path):
    with pytest.raises(ExportError, match=r"in UsesNumpy.forward \(.*test_export_contract.py:\d+: return "
                                          r"self.body.features\(x\) \* np.float32\(2.0\)\)"):
        uvis_export.export(UsesNumpy(), str(tmp_path / "n.pt"), card=card(), outputs="seg_logits")


class TwoPlaces(nn.Module):
    """Dropout early (0.1) and late (0.4)."""

    def __init__(self):
        super().__init__()
        self.early = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.Dropout2d(0.1))
        self.late = nn.Sequential(nn.Conv2d(8, 4, 1), nn.Dropout(0.4))

    def forward(self, x):
        return self.late(self.early(x))


def test_only_the_dropout_under_named_modules(tmp_path, monkeypatch):
    without_cli(monkeypatch)
    path = tmp_path / "late.pt"
    written = uvis_export.export(TwoPlaces(), str(path), card=card(classes=["a", "b", "c", "d"]),
                                 outputs="seg_logits", dropout={"only": ["late"]})
    assert written["dropout"]["rates"] == [{"where": "late.1 (Dropout)", "p": 0.4}]
    # The run-time rate drives the late dropout: identical passes at 0, different ones at its rate.
    module = torch.jit.load(str(path))
    x = torch.rand(1, 3, H, W)
    with torch.no_grad():
        assert torch.equal(module(x, 0.0)["seg_logits"], module(x, 0.0)["seg_logits"])
        assert not torch.equal(module(x, 0.4)["seg_logits"], module(x, 0.4)["seg_logits"])

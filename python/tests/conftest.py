"""Shared helpers of the exporter's tests: UVIS_CLI / UVIS_APP name the programs (CTest sets them;
without them the steps that need them are skipped)."""
import json
import os
import subprocess

import pytest
import torch
import torch.nn as nn

CLI = os.environ.get("UVIS_CLI")
APP = os.environ.get("UVIS_APP")


def alive(model: nn.Module, width: int, height: int) -> nn.Module:
    """Random weights with BatchNorm's running statistics from random images: untrained networks
    with default statistics give a constant output that no dropout can move."""
    torch.manual_seed(0)
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.rand(2, 3, height, width))
    return model.eval()


def run_cli(*args, timeout=900):
    if not CLI:
        pytest.skip("UVIS_CLI not set")
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def infer(model_path, image, out, *args):
    """uvis-cli infer on one image; the result folder and its summary."""
    r = run_cli("infer", "-q", "--overwrite", "-m", str(model_path), "-o", str(out), *args, str(image))
    assert r.returncode == 0, r.stderr
    folder = out / os.path.splitext(os.path.basename(str(image)))[0]
    with open(folder / "summary.json") as f:
        return folder, json.load(f)

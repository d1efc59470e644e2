"""The contract checks of SPEC §4 on an exported file, by the rules `uvis-cli validate-model`
applies (core/model_validation.cpp): the exporter runs them itself, so a model uvis would refuse is
never written, whether or not uvis-cli can be found; uvis-cli then runs its own check when it can."""
import json
import os
import shutil
import subprocess
from typing import Dict, List, Optional

import torch

BATCH = 4  # passes per call, as the engine decodes them
TRIES = 8  # passes beyond the first before a model is called frozen (masks can be equal by chance)


def _expected_channels(name: str, card: Dict) -> List[int]:
    classes = len(card.get("classes", []))
    return {"depth_mean": [1], "depth_logvar": [1], "seg_logits": [classes], "seg_logvar": [1, classes]}[name]


def _shape_problems(out: Dict[str, torch.Tensor], names, card: Dict, batch: int, H: int, W: int) -> List[str]:
    problems = []
    for name in names:
        if name not in out:
            problems.append(f"output '{name}' is missing")
            continue
        t = out[name]
        if t.dtype != torch.float32:
            problems.append(f"output '{name}' is {t.dtype}, the contract needs float32")
        if t.dim() != 4:
            problems.append(f"output '{name}' has shape {list(t.shape)}, the contract needs [B, C, H, W]")
            continue
        channels = _expected_channels(name, card)
        if t.shape[0] != batch:
            problems.append(f"output '{name}' has {t.shape[0]} rows for a batch of {batch}")
        if t.shape[1] not in channels:
            want = " or ".join(str(c) for c in channels)
            why = f" (the card names {len(card.get('classes', []))} classes)" if name.startswith("seg") else ""
            problems.append(f"output '{name}' has {t.shape[1]} channels, the contract needs {want}{why}")
        if t.shape[2] > H or t.shape[3] > W:
            problems.append(f"output '{name}' is {t.shape[3]}×{t.shape[2]}, larger than the {W}×{H} input")
        if not torch.isfinite(t).all():
            problems.append(f"output '{name}' is not finite (NaN or inf)")
    return problems


def contract_problems(path: str, card: Dict, names, stochastic: bool) -> List[str]:
    """Loads the file back and checks what uvis will check; [] when it meets the contract."""
    extra = {"model_card.json": ""}
    module = torch.jit.load(path, _extra_files=extra)
    if json.loads(extra["model_card.json"]) != card:
        return ["the card in the archive differs from the one written"]
    H, W = card["input"]["height"], card["input"]["width"]
    torch.manual_seed(0)
    one = torch.rand(1, 3, H, W)
    p = card["dropout"]["train_p"] if stochastic else 0.0
    with torch.no_grad():
        torch.manual_seed(1)
        a = module(one, 0.0)
        problems = _shape_problems(a, names, card, 1, H, W)
        if problems:
            return problems
        torch.manual_seed(2)
        b = module(one, 0.0)
        for name in names:
            if not torch.equal(a[name], b[name]):
                problems.append(f"output '{name}' differs between two passes at p = 0: something random in the "
                                "network ignores the run-time rate (a hard-coded dropout rate, torch.rand, ...)")
        if stochastic and not problems:
            # Two masks can be equal by chance (few channels under Dropout2d): frozen only when
            # up to TRIES more passes all equal the first.
            torch.manual_seed(3)
            c = module(one, p)
            differs = False
            for seed in range(4, 4 + TRIES):
                torch.manual_seed(seed)
                d = module(one, p)
                if not all(torch.equal(c[n], d[n]) for n in names):
                    differs = True
                    break
            if not differs:
                problems.append(f"{TRIES + 1} passes at p = {p} are identical: dropout does not reach the outputs "
                                "(frozen)")
        if not problems and hasattr(module, "encode"):
            fast = module.decode(module.encode(one), 0.0)
            for name in names:
                if not torch.allclose(fast[name], a[name], atol=1e-5, rtol=1e-4):
                    problems.append(f"decode(encode(x), 0) differs from forward(x, 0) in '{name}'")
    return problems


def batch_note(path: str, card: Dict, names) -> Optional[str]:
    """None when the model runs several passes per call as the engine does; else why not."""
    module = torch.jit.load(path)
    H, W = card["input"]["height"], card["input"]["width"]
    try:
        with torch.no_grad():
            out = module(torch.rand(BATCH, 3, H, W), 0.0)
        if all(out[n].dim() == 4 and out[n].shape[0] == BATCH for n in names):
            return None
        return f"a batch of {BATCH} images gives {[list(out[n].shape) for n in names]}"
    except Exception as e:  # the model's own error: shown to the user
        return str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__


def find_cli() -> Optional[str]:
    return os.environ.get("UVIS_CLI") or shutil.which("uvis-cli")


def cli_problems(cli: str, path: str) -> List[str]:
    # Your own model: a generous limit for a large network on a busy machine (the default is 60 s).
    run = subprocess.run([cli, "validate-model", "--timeout", "600", path], capture_output=True, text=True,
                         timeout=900)
    return [] if run.returncode == 0 else [f"uvis-cli validate-model refused it: {run.stderr.strip()}"]

"""export(): a user's nn.Module → a TorchScript file that meets the uvis model contract."""
import copy
import json
import os
import shutil
import subprocess
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from . import card as cards
from . import dropout as mc
from . import split_code, wrappers

CONTRACT = ("depth_mean", "depth_logvar", "seg_logits", "seg_logvar")

Outputs = Union[None, str, Dict[str, Union[str, int]], Callable[[Any], Dict[str, torch.Tensor]]]


class ExportError(Exception):
    """The model cannot be exported as asked; the message says why and what to do."""


def _locate(tensor: torch.Tensor, out: Any) -> Union[None, str, int, Tuple[()]]:
    """Where `tensor` (the very object) lies in the network's output: a dict key, a position, or
    () for the output itself."""
    if out is tensor:
        return ()
    if isinstance(out, dict):
        for key, value in out.items():
            if value is tensor:
                return key
    if isinstance(out, (tuple, list)):
        for i, value in enumerate(out):
            if value is tensor:
                return i
    return None


def _mapping(outputs: Outputs, out: Any) -> Dict[str, Union[str, int, Tuple[()]]]:
    """Contract name → where it is in the network's output."""
    if outputs is None:
        if isinstance(out, dict):
            found = {k: k for k in out if k in CONTRACT}
            if found:
                return found
        raise ExportError("outputs=: say which of the model's outputs are which, e.g. "
                          "outputs={'seg_logits': 'out'} or outputs=lambda o: {'seg_logits': o['out']}")
    if isinstance(outputs, str):  # the whole output is this one contract output
        return {outputs: ()}
    if isinstance(outputs, dict):
        return dict(outputs)
    selected = outputs(out)
    if not isinstance(selected, dict):
        raise ExportError("outputs= must return a dict of contract names to tensors")
    mapping = {}
    for name, tensor in selected.items():
        where = _locate(tensor, out)
        if where is None:
            raise ExportError(f"outputs=: '{name}' is computed, not selected, from the model's output; the "
                              "adapter may only pick outputs. Put the computation in the model (a small "
                              "nn.Module around it) and select its result")
        mapping[name] = where
    return mapping


def _check_names(mapping: Dict[str, Any]) -> List[str]:
    unknown = [n for n in mapping if n not in CONTRACT]
    if unknown:
        raise ExportError(f"outputs=: {unknown} are not contract outputs (those are {list(CONTRACT)})")
    tasks = []
    if "depth_mean" in mapping:
        tasks.append("depth")
    elif "depth_logvar" in mapping:
        raise ExportError("outputs=: depth_logvar without depth_mean")
    if "seg_logits" in mapping:
        tasks.append("segmentation")
    elif "seg_logvar" in mapping:
        raise ExportError("outputs=: seg_logvar without seg_logits")
    if not tasks:
        raise ExportError("outputs=: name depth_mean or seg_logits (or both)")
    return tasks


def _outputs_module(model: nn.Module, rate: torch.Tensor, mapping: Dict[str, Any], out: Any) -> nn.Module:
    if isinstance(out, torch.Tensor):
        if len(mapping) != 1 or list(mapping.values())[0] != ():
            raise ExportError("the model returns one tensor: map exactly one contract output to it")
        return wrappers.TensorOutput(model, rate, list(mapping)[0])
    if isinstance(out, dict):
        bad = [k for k in mapping.values() if not isinstance(k, str) or k not in out]
        if bad:
            raise ExportError(f"outputs=: the model's output has no key(s) {bad} (it has {list(out)})")
        return wrappers.DictOutput(model, rate, [(n, k) for n, k in mapping.items()])
    if isinstance(out, (tuple, list)):
        bad = [k for k in mapping.values() if not isinstance(k, int) or not 0 <= k < len(out)]
        if bad:
            raise ExportError(f"outputs=: the model returns {len(out)} outputs; positions {bad} do not exist")
        return wrappers.SequenceOutput(model, rate, [(n, i) for n, i in mapping.items()])
    raise ExportError(f"the model returns a {type(out).__name__}; uvis needs a tensor, a dict or a tuple of tensors")


def _split_module(outputs: nn.Module, model: nn.Module, split: str, sample: torch.Tensor):
    """The split model and the generated source it needs while it is scripted."""
    try:
        encoder = model.get_submodule(split)
    except AttributeError as e:
        raise ExportError(f"split='{split}': the model has no sub-module '{split}'") from e
    if any(isinstance(m, mc.McDropout) for m in encoder.modules()):
        raise ExportError(f"split='{split}': '{split}' contains dropout, so it is not deterministic; split "
                          "before the first dropout")
    with torch.no_grad():
        features = encoder(sample)
    if isinstance(features, torch.Tensor):
        replay, keys = wrappers.ReplayTensor(), []
    elif isinstance(features, dict) and all(isinstance(v, torch.Tensor) for v in features.values()):
        keys = list(features)
        replay = wrappers.ReplayDict(keys)
    else:
        raise ExportError(f"split='{split}': '{split}' returns a {type(features).__name__}; a tensor or a dict of "
                          "tensors can be split")
    try:
        source = split_code.SplitSource(split, dict_features=bool(keys))
    except ValueError as e:
        raise ExportError(str(e)) from e
    parent, child = mc._parent(model, split)
    setattr(parent, child, replay)
    return source.make(outputs, encoder, keys), source


def _dropout(model: nn.Module, dropout: Optional[Dict], rate: torch.Tensor) -> float:
    """Converts (or inserts) MC dropout; returns the training rate for the card."""
    dropout = dict(dropout or {})
    unknown = set(dropout) - {"only", "after", "kind", "p"}
    if unknown:
        raise ExportError(f"dropout=: unknown keys {sorted(unknown)} (use 'only', 'after', 'kind', 'p')")
    names = mc.find_dropout(model, dropout.get("only"))
    rates = mc.train_rates(model, names)
    mc.convert(model, names, rate)
    after = dropout.get("after") or []
    try:
        mc.insert_after(model, after, rate, dropout.get("kind", "channel"))
    except ValueError as e:
        raise ExportError(str(e)) from e
    if not names and not after:
        where = f" under {dropout['only']}" if dropout.get("only") else ""
        raise ExportError(
            f"the model has no dropout{where} (nn.Dropout, Dropout2d, Dropout3d, AlphaDropout), so MC dropout "
            "has nothing to sample and uvis would show no epistemic uncertainty. Add channel dropout after a "
            "sub-module, e.g. dropout={'after': ['backbone.layer4']} (the names are model.named_modules())")
    if "p" in dropout:
        return float(dropout["p"])
    return max(rates.values()) if rates else 0.1


def export(model: nn.Module, path: str, card: Dict, outputs: Outputs = None, split: Optional[str] = None,
           dropout: Optional[Dict] = None, check: bool = True) -> Dict:
    """Writes `model` as a uvis TorchScript model to `path` and returns its card.

    outputs: how the model's own outputs map to the contract — a dict {"seg_logits": "out"} for a
      dict output or {"depth_mean": 0, "depth_logvar": 1} for a tuple, a name for a model that
      returns one tensor ("depth_mean"), or a function that selects, e.g. lambda o: {"seg_logits": o["out"]}.
      depth_logvar and seg_logvar are optional.
    split: a sub-module (e.g. "backbone") that is deterministic: uvis runs it once per image
      (encode) and the rest T times (decode).
    dropout: {"only": [sub-modules]} converts only the dropout under them; {"after": [sub-modules]}
      inserts channel dropout ("kind": "element" for element-wise) after each; "p": the card's
      training rate (default: the model's own dropout rate).
    card: SPEC §4 — at least "name" and "input": {"width", "height"}; "classes" (names, or
      {"name", "color"}), mean/std (default ImageNet's), depth range; tasks are derived.
    """
    model = copy.deepcopy(model).cpu().eval()  # BatchNorm keeps its running statistics
    rate = torch.zeros(1)
    train_p = _dropout(model, dropout, rate)
    inp = (card or {}).get("input", {})
    if "width" not in inp or "height" not in inp:
        raise ExportError("card: 'input' needs 'width' and 'height' (the size uvis resizes images to)")
    sample = torch.rand(1, 3, int(inp["height"]), int(inp["width"]))
    with torch.no_grad():
        out = model(sample)
    mapping = _mapping(outputs, out)
    tasks = _check_names(mapping)
    classes = 0
    if "seg_logits" in mapping:
        where = mapping["seg_logits"]
        logits = out if where == () else out[where]
        classes = int(logits.shape[1])
    try:
        full_card = cards.complete(card, tasks, classes, train_p)
    except ValueError as e:
        raise ExportError(str(e)) from e
    wrapped = _outputs_module(model, rate, mapping, out)
    source = None
    if split:
        wrapped, source = _split_module(wrapped, model, split, sample)
    try:
        scripted = torch.jit.script(wrapped)
    except Exception as e:  # TorchScript's errors are many kinds
        hint = (" Tracing would freeze dropout, so uvis_export does not trace: make the model scriptable "
                "(TorchScript's message above says where).")
        raise ExportError(f"the model cannot be scripted: {e}".strip() + hint) from e
    finally:
        if source:
            source.close()
    tmp = path + ".part"
    torch.jit.save(scripted, tmp, _extra_files={"model_card.json": json.dumps(full_card, indent=2)})
    os.replace(tmp, path)
    if check:
        problems = check_model(path, full_card, mapping, sample)
        if problems:
            raise ExportError(f"{path}: " + "; ".join(problems))
    return full_card


def check_model(path: str, card: Dict, mapping: Dict, sample: torch.Tensor) -> List[str]:
    """Loads the file back and checks it as `uvis-cli validate-model` does; then runs uvis-cli."""
    problems = []
    extra = {"model_card.json": ""}
    module = torch.jit.load(path, _extra_files=extra)
    if json.loads(extra["model_card.json"]) != card:
        problems.append("the card in the archive differs from the one written")
    with torch.no_grad():
        a, b = module(sample, 0.0), module(sample, 0.0)
        c, d = module(sample, 0.5), module(sample, 0.5)
    for name in mapping:
        if name not in a:
            problems.append(f"output '{name}' is missing")
            continue
        t = a[name]
        if t.dim() != 4 or t.shape[0] != 1:
            problems.append(f"output '{name}' has shape {list(t.shape)}, the contract needs [B, C, H, W]")
        if not torch.isfinite(t).all():
            problems.append(f"output '{name}' is not finite")
        if not torch.equal(t, b[name]):
            problems.append(f"output '{name}' differs between two passes at p = 0: something random besides dropout")
    if not problems and all(torch.equal(c[n], d[n]) for n in mapping):
        problems.append("two passes at p = 0.5 are identical: dropout is not active (frozen)")
    if not problems and hasattr(module, "encode"):
        fast = module.decode(module.encode(sample), 0.0)
        for name in mapping:
            if not torch.allclose(fast[name], a[name], atol=1e-5, rtol=1e-4):
                problems.append(f"decode(encode(x), 0) differs from forward(x, 0) in '{name}'")
    cli = os.environ.get("UVIS_CLI") or shutil.which("uvis-cli")
    if not problems and cli:
        # Your own model: a generous limit for a large network on a busy machine (the default is 60 s).
        run = subprocess.run([cli, "validate-model", "--timeout", "600", path], capture_output=True, text=True,
                             timeout=900)
        if run.returncode != 0:
            problems.append(f"uvis-cli validate-model refused it: {run.stderr.strip()}")
    return problems

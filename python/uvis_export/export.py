"""export(): a user's nn.Module (or TorchScript file) → a TorchScript file that meets the uvis
model contract (SPEC §4), written only when every check passes."""
import copy
import json
import os
import warnings
from typing import Any, Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn

from . import adapter, checks
from . import card as cards
from . import mc_dropout as mc
from . import outputs as outs
from . import scripting


class ExportError(Exception):
    """The model cannot be exported as asked; the message says why and what to do."""


class ExportWarning(UserWarning):
    """Something the user should know about an exported model that still works."""


DROPOUT_KEYS = {"only", "after", "kind", "p"}


def _network(model: Union[nn.Module, str]) -> nn.Module:
    """A private copy on the CPU in eval mode (BatchNorm keeps its running statistics)."""
    if isinstance(model, (str, os.PathLike)):
        try:
            model = torch.jit.load(str(model), map_location="cpu")
        except Exception as e:  # torch.jit.load raises several kinds for a wrong file
            raise ExportError(f"{model}: not a TorchScript file ({str(e).strip().splitlines()[0]}). A model saved with "
                              "torch.save is a pickle: load it with torch.load and pass the nn.Module") from e
        return model.eval()
    if not isinstance(model, nn.Module):
        raise ExportError(f"model: expected an nn.Module, a ScriptModule or a TorchScript file's path, "
                          f"got {type(model).__name__}")
    return copy.deepcopy(model).cpu().eval()


def _dropout_options(dropout: Optional[Dict], scripted: bool) -> Dict:
    options = dict(dropout or {})
    unknown = set(options) - DROPOUT_KEYS
    if unknown:
        raise ExportError(f"dropout=: unknown keys {sorted(unknown)} (use {sorted(DROPOUT_KEYS)})")
    if "p" in options and not (isinstance(options["p"], (int, float)) and 0 < options["p"] < 1):
        raise ExportError(f"dropout={{'p': {options['p']!r}}}: the rate must be a number in (0, 1)")
    if scripted and options.get("after"):
        raise ExportError("dropout={'after': ...} changes the network's modules, which a TorchScript file cannot "
                          "have: pass the nn.Module")
    return options


def _run_sample(network: nn.Module, sample: torch.Tensor) -> Any:
    try:
        with torch.no_grad():
            return network(sample)
    except Exception as e:  # the user's own forward failed: say on what
        raise ExportError(f"running the model on a sample of shape {list(sample.shape)} (card 'input' width and "
                          f"height) failed: {type(e).__name__}: {e}") from e


def _classes(mapping: Dict, out: Any) -> int:
    if "seg_logits" not in mapping:
        return 0
    logits = outs.pick(out, mapping["seg_logits"])
    if not isinstance(logits, torch.Tensor) or logits.dim() != 4:
        raise ExportError(f"outputs=: seg_logits must be a [B, K, H, W] tensor; it is "
                          f"{outs.describe(logits)}")
    return int(logits.shape[1])


def _adapted(network: nn.Module, mapping: Dict, split: Optional[str], sample: torch.Tensor, scripted: bool):
    if not split:
        return adapter.plain(network, mapping)
    if scripted:
        raise ExportError("split= replaces a sub-module, which a TorchScript file cannot have: pass the nn.Module")
    try:
        encoder = network.get_submodule(split)
    except AttributeError as e:
        raise ExportError(f"split='{split}': the model has no sub-module '{split}'") from e
    with torch.no_grad():
        features = encoder(sample)
    try:
        return adapter.split(network, split, features, mapping)
    except ValueError as e:
        raise ExportError(str(e)) from e


def _no_dropout_message(sites: Sequence[mc.DropoutSite], only, traced: bool) -> str:
    under = f" under {list(only)}" if only else ""
    if sites:
        found = ", ".join(f"{s.where} p = {s.p}" for s in sites[:6])
        what = f"every dropout rate{under} is 0 ({found}), so MC dropout has nothing to sample"
        remedy = ("run its dropout at a rate of your choice: dropout={'p': 0.1}; or insert dropout after a "
                  "sub-module: dropout={'after': ['backbone.layer4']}")
    else:
        what = f"the model has no dropout{under} (no nn.Dropout* module, no F.dropout call), so MC dropout has " \
               "nothing to sample"
        remedy = "insert dropout after a sub-module: dropout={'after': ['backbone.layer4']} (the names are " \
                 "model.named_modules())"
    traced_note = (" This looks like a traced model (torch.jit.trace), which froze dropout and BatchNorm into "
                   "constants: re-export from the nn.Module with uvis_export.export(model, ...).") if traced else ""
    return (f"{what}.{traced_note} For test-time augmentation and deep ensembles, export it as a deterministic "
            f"model: export(..., deterministic=True). For MC dropout, {remedy}")


def _dropout_card(sites: Sequence[mc.DropoutSite], uniform: Optional[float]) -> Dict:
    if uniform is not None:
        rates = [{"where": s.where, "p": uniform} for s in sites]
        return {"train_p": uniform, "scaling": "uniform", "rates": rates}
    train_p = max(s.p for s in sites if s.p is not None)
    return {"train_p": train_p, "scaling": "proportional", "rates": [s.card_entry() for s in sites]}


def _write_checked(scripted, path: str, full_card: Dict, names, stochastic: bool, check: bool) -> None:
    """Saves under a temporary name beside `path`, checks, then renames: a failed export leaves no
    file, and an earlier file at `path` is kept until the new one is whole and good."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(folder, f".{os.path.basename(path)}.part-{os.getpid()}")
    try:
        torch.jit.save(scripted, tmp, _extra_files={"model_card.json": json.dumps(full_card, indent=2)})
        if check:
            problems = checks.contract_problems(tmp, full_card, names, stochastic)
            if problems:
                raise ExportError(f"{path}: " + "; ".join(problems))
            note = checks.batch_note(tmp, full_card, names)
            if note:
                warnings.warn(f"{path}: the model assumes one image per call ({note}); uvis runs its passes one "
                              f"call at a time, which is slower than the {checks.BATCH} passes per call it runs "
                              "otherwise. Let forward take a batch [B, 3, H, W] to run faster.", ExportWarning)
            cli = checks.find_cli()
            if cli:
                problems = checks.cli_problems(cli, tmp)
                if problems:
                    raise ExportError(f"{path}: " + "; ".join(problems))
            else:
                warnings.warn("uvis-cli not found (neither on PATH nor in $UVIS_CLI): the exporter's own checks of "
                              "the contract passed; set UVIS_CLI=/path/to/uvis-cli to run `uvis-cli validate-model` "
                              "too", ExportWarning)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def export(model: Union[nn.Module, str], path: str, card: Dict, outputs: outs.Outputs = None,
           split: Optional[str] = None, dropout: Optional[Dict] = None, deterministic: bool = False,
           check: bool = True) -> Dict:
    """Writes `model` as a uvis TorchScript model to `path` and returns its card.

    model: an nn.Module, a scripted ScriptModule, or the path of a TorchScript file (torch.jit.save).
    outputs: how the model's own outputs map to the contract — {"seg_logits": "out"} for a dict,
      {"depth_mean": 0, "depth_logvar": 1} for a tuple, {"depth_mean": "depth"} for a NamedTuple or
      dataclass field, a name for a model that returns one tensor ("depth_mean"), or a function that
      selects, e.g. lambda o: {"seg_logits": o["out"]}. depth_logvar and seg_logvar are optional.
    split: a sub-module (e.g. "backbone") that is deterministic: uvis runs it once per image
      (encode) and the rest T times (decode).
    dropout: by default every dropout of the network — modules and F.dropout calls — keeps its own
      trained rate, and uvis's rate p scales them all (p = the largest rate runs each as trained).
      {"p": 0.1} runs every dropout at one rate instead (also those at 0); {"only": [sub-modules]}
      uses only the dropout under them; {"after": [sub-modules]} inserts channel dropout after each
      ("kind": "element" for element-wise) at rate "p" (default 0.1).
    deterministic: export without MC dropout (no dropout section in the card): for test-time
      augmentation and deep ensembles of models that have no dropout.
    card: SPEC §4 — at least "name" and "input": {"width", "height"}; "classes" (names, or
      {"name", "color": [r, g, b] in 0–255}), mean/std (default ImageNet's), depth range.
    """
    try:
        width, height = cards.input_size(card)
        network = _network(model)
        is_script = isinstance(network, torch.jit.ScriptModule)
        options = _dropout_options(dropout, is_script)
        if options.get("after"):
            mc.insert_after(network, options["after"], float(options.get("p", 0.1)), options.get("kind", "channel"))
        sample = torch.rand(1, 3, height, width)
        out = _run_sample(network, sample)
        mapping = outs.resolve(outputs, out)
        tasks = outs.tasks_of(mapping)
        classes = _classes(mapping, out)
        cards.complete(card, tasks, classes, None)  # the card's own fields, checked before the long steps
        scripting.prepare_dataclass(type(out))
        wrapped, source = _adapted(network, mapping, split, sample, is_script)
        try:
            scripted = scripting.script(wrapped, network)
        finally:
            source.close()
        methods = ["forward"] + (["encode", "decode"] if split else [])
        graphs = {m: getattr(scripted, m).graph for m in methods}
        for g in graphs.values():
            mc.inline(g)
        forward_graph = graphs["forward"]
        sites = mc.select(mc.find_sites(forward_graph), options.get("only"))
        uniform = float(options["p"]) if "p" in options else None
        if deterministic:
            card_dropout = None
        else:
            if uniform is None and not any(s.p is None or s.p > 0 for s in sites):
                raise ExportError(_no_dropout_message(sites, options.get("only"), mc.looks_traced(forward_graph)))
            if split:
                inside = [s for s in mc.select(mc.find_sites(graphs["encode"]), options.get("only"))
                          if uniform is not None or s.p is None or s.p > 0]
                if inside:
                    raise ExportError(f"split='{split}': '{split}' contains dropout ({inside[0].where}), so it is not "
                                      "deterministic; split before the first dropout")
            card_dropout = _dropout_card(sites, uniform)
            train_p = card_dropout["train_p"]
            for name, g in graphs.items():
                if name == "encode":
                    continue
                rate_input = list(g.inputs())[2]  # (self, image or features, dropout_p)
                mc.drive(g, mc.select(mc.find_sites(g), options.get("only")), rate_input, train_p, uniform)
        full_card = cards.complete(card, tasks, classes, card_dropout)
        _write_checked(scripted, path, full_card, list(mapping), card_dropout is not None, check)
        return full_card
    except (cards.CardError, outs.MappingError, scripting.ScriptError) as e:
        raise ExportError(str(e)) from e
    except ValueError as e:  # insert_after / split naming problems
        raise ExportError(str(e)) from e

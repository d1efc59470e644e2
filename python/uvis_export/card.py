"""The model card of SPEC §4, completed from what export() learns about the model and checked by
the rules uvis itself applies when it reads a card (core/model_card.cpp), so that a card uvis
would refuse is refused here, at export, with the field named."""
import copy
import math
from typing import Dict, List, Optional

# Distinct colours for classes given by name only (the Cityscapes palette's first entries, then more).
PALETTE = [[128, 64, 128], [244, 35, 232], [70, 70, 70], [102, 102, 156], [190, 153, 153], [153, 153, 153],
           [250, 170, 30], [220, 220, 0], [107, 142, 35], [152, 251, 152], [70, 130, 180], [220, 20, 60],
           [255, 0, 0], [0, 0, 142], [0, 0, 70], [0, 60, 100], [0, 80, 100], [0, 0, 230], [119, 11, 32]]

IMAGENET = {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}


class CardError(ValueError):
    """A field of the card uvis would refuse; the message names it."""


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _is_whole(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _whole(value, field: str, low: int, high: int) -> int:
    if not _is_whole(value) or not low <= value <= high:
        raise CardError(f"card: '{field}' must be a whole number from {low} to {high} (got {value!r})")
    return value


def _triple(value, field: str) -> List[float]:
    if not isinstance(value, (list, tuple)) or len(value) != 3 or not all(_is_number(v) for v in value):
        raise CardError(f"card: '{field}' must be a list of 3 numbers (got {value!r})")
    return [float(v) for v in value]


def _color(value, field: str) -> List[int]:
    if (isinstance(value, (list, tuple)) and len(value) == 3 and all(_is_number(v) for v in value)
            and all(0 <= v <= 1 for v in value) and not all(_is_whole(v) for v in value)):
        raise CardError(f"card: '{field}' must be three whole numbers 0–255 (got {list(value)}: colours as 0–1 "
                        f"fractions? multiply by 255: {[round(v * 255) for v in value]})")
    if not isinstance(value, (list, tuple)) or len(value) != 3 or not all(_is_whole(v) and 0 <= v <= 255
                                                                           for v in value):
        raise CardError(f"card: '{field}' must be three whole numbers 0–255 (got {value!r})")
    return list(value)


def class_list(classes) -> List[Dict]:
    if not isinstance(classes, (list, tuple)) or not classes:
        raise CardError(f"card: 'classes' must be a non-empty list of names or {{'name', 'color'}} (got {classes!r})")
    out = []
    for i, c in enumerate(classes):
        if isinstance(c, str):
            color = PALETTE[i] if i < len(PALETTE) else [(i * 67) % 256, (i * 131) % 256, (i * 199) % 256]
            out.append({"name": c, "color": color})
        elif isinstance(c, dict) and isinstance(c.get("name"), str):
            out.append({"name": c["name"], "color": _color(c.get("color"), f"classes[{i}].color")})
        else:
            raise CardError(f"card: 'classes[{i}]' must be a name or {{'name': ..., 'color': [r, g, b]}} (got {c!r})")
    return out


def input_size(card: Optional[Dict]) -> tuple:
    """(width, height) from the card, checked: the size the sample runs at."""
    inp = (card or {}).get("input")
    if not isinstance(inp, dict) or "width" not in inp or "height" not in inp:
        raise CardError("card: 'input' needs 'width' and 'height' (the size uvis resizes images to)")
    return (_whole(inp["width"], "input.width", 8, 8192), _whole(inp["height"], "input.height", 8, 8192))


def check(c: Dict) -> None:
    """The checks of uvis's card reader, on a completed card."""
    if not isinstance(c.get("name"), str) or not c["name"]:
        raise CardError("card: 'name' must be a non-empty string")
    for key in ("version", "description"):
        if key in c and not isinstance(c[key], str):
            raise CardError(f"card: '{key}' must be a string (got {c[key]!r})")
    inp = c["input"]
    input_size(c)
    _triple(inp.get("mean"), "input.mean")
    if not all(v > 0 for v in _triple(inp.get("std"), "input.std")):
        raise CardError("card: 'input.std' must hold positive numbers")
    if inp.get("resize", "fixed") not in ("fixed", "keep_aspect", "native"):
        raise CardError(f"card: 'input.resize' must be \"fixed\", \"keep_aspect\" or \"native\" (got {inp['resize']!r})")
    if "multiple_of" in inp:
        _whole(inp["multiple_of"], "input.multiple_of", 1, 256)
    if "depth" in c["tasks"]:
        d = c["depth"]
        if not isinstance(d, dict) or not _is_number(d.get("min")) or not _is_number(d.get("max")) \
                or not 0 <= d["min"] < d["max"]:
            raise CardError(f"card: 'depth' needs numbers min and max with 0 ≤ min < max (got {d!r})")
        if d.get("loss", "gaussian") not in ("gaussian", "laplace"):
            raise CardError("card: 'depth.loss' must be \"gaussian\" or \"laplace\"")
        if d.get("kind", "metric") not in ("metric", "inverse", "disparity"):
            raise CardError("card: 'depth.kind' must be \"metric\", \"inverse\" or \"disparity\"")
        if d.get("kind") == "disparity" and not (_is_number(d.get("scale")) and d["scale"] > 0):
            raise CardError("card: 'depth.scale' (baseline × focal length, m·px) is needed for disparity")
    if "segmentation" in c["tasks"] and len(c["classes"]) > 255:
        raise CardError("card: 'classes' may hold at most 255 classes")


def complete(card: Dict, tasks: List[str], classes: int, dropout: Optional[Dict]) -> Dict:
    """The user's card with every required field present and checked; `dropout` is the card's
    dropout section (None for a deterministic model, which has none)."""
    c = copy.deepcopy(card or {})
    if "name" not in c:
        raise CardError("card: 'name' is missing")
    input_size(c)
    inp = c["input"]
    inp.setdefault("mean", IMAGENET["mean"])
    inp.setdefault("std", IMAGENET["std"])
    c.setdefault("version", "1")
    c.setdefault("description", "exported with uvis_export")
    c["tasks"] = tasks
    if "segmentation" in tasks:
        names = c.get("classes")
        if names is None:
            names = [f"class {k}" for k in range(classes)]
        c["classes"] = class_list(names)
        if len(c["classes"]) != classes:
            raise CardError(f"card: 'classes' names {len(c['classes'])} classes, the model's seg_logits has {classes}")
    else:
        c.pop("classes", None)
    if "depth" in tasks:
        c.setdefault("depth", {"unit": "m", "min": 0.1, "max": 100.0, "loss": "gaussian"})
    else:
        c.pop("depth", None)
    if dropout is None:
        c.pop("dropout", None)
    else:
        c["dropout"] = dropout
    check(c)
    return c

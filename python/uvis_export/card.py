"""The model card of SPEC §4, completed from what export() learns about the model."""
import copy
from typing import Dict, List

# Distinct colours for classes given by name only (the Cityscapes palette's first entries, then more).
PALETTE = [[128, 64, 128], [244, 35, 232], [70, 70, 70], [102, 102, 156], [190, 153, 153], [153, 153, 153],
           [250, 170, 30], [220, 220, 0], [107, 142, 35], [152, 251, 152], [70, 130, 180], [220, 20, 60],
           [255, 0, 0], [0, 0, 142], [0, 0, 70], [0, 60, 100], [0, 80, 100], [0, 0, 230], [119, 11, 32]]

IMAGENET = {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}


def class_list(classes) -> List[Dict]:
    out = []
    for i, c in enumerate(classes):
        if isinstance(c, str):
            out.append({"name": c, "color": PALETTE[i % len(PALETTE)] if i < len(PALETTE) else
                        [(i * 67) % 256, (i * 131) % 256, (i * 199) % 256]})
        else:
            out.append({"name": c["name"], "color": list(c["color"])})
    return out


def complete(card: Dict, tasks: List[str], classes: int, train_p: float) -> Dict:
    """The user's card with every required field present; raises ValueError naming a missing one."""
    c = copy.deepcopy(card or {})
    if "name" not in c:
        raise ValueError("card: 'name' is missing")
    inp = c.setdefault("input", {})
    for key in ("width", "height"):
        if key not in inp:
            raise ValueError(f"card: 'input.{key}' is missing (the size uvis resizes images to)")
    inp.setdefault("mean", IMAGENET["mean"])
    inp.setdefault("std", IMAGENET["std"])
    c.setdefault("version", "1")
    c.setdefault("description", "exported with uvis_export")
    c["tasks"] = tasks
    if "segmentation" in tasks:
        names = c.get("classes")
        if names is None:
            names = [f"class {k}" for k in range(classes)]
        if len(names) != classes:
            raise ValueError(f"card: 'classes' names {len(names)} classes, the model's seg_logits has {classes}")
        c["classes"] = class_list(names)
    else:
        c.pop("classes", None)
    if "depth" in tasks:
        c.setdefault("depth", {"unit": "m", "min": 0.1, "max": 100.0, "loss": "gaussian"})
    else:
        c.pop("depth", None)
    c.setdefault("dropout", {})
    c["dropout"].setdefault("train_p", train_p)
    return c

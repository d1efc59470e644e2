"""MC dropout at uvis's run-time rate, in the scripted graph (SPEC §4: forward(image, dropout_p)).

Every dropout the network applies — nn.Dropout/Dropout2d/Dropout3d/AlphaDropout modules and
functional calls (F.dropout(x, p, training=True), training=self.training, F.dropout2d, ...) —
becomes one aten::dropout-family node once the scripted method is inlined. Each node keeps its
own trained rate p_i and is driven by the run-time argument as

    p_i' = min(p_i · dropout_p / train_p, 0.95),   train_p = max_i p_i,

so at dropout_p = train_p ("as trained", the default) every layer runs at exactly the rate it was
trained with, and the slider scales all of them together. Nodes at rate 0 stay deterministic.
Working on the graph rather than on modules is what reaches functional dropout, dropout inside
a user's TorchScript file, and dropout in code paths that only `self.training` switches on.
"""
from dataclasses import dataclass
from typing import List, Optional, Sequence

import torch
import torch.nn as nn

DROPOUT_NODES = ("aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::feature_dropout_",
                 "aten::alpha_dropout", "aten::alpha_dropout_", "aten::feature_alpha_dropout",
                 "aten::feature_alpha_dropout_")
MODULE_TYPES = ("Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout")
CAP = 0.95  # a scaled rate never reaches 1, where dropout would zero everything


@dataclass
class DropoutSite:
    """One dropout in the network, as the card records it."""
    where: str              # "decoder.drop (Dropout2d)" or "head: F.dropout"
    module: str             # the module path ("" for the network itself)
    p: Optional[float]      # the trained rate; None when computed at run time
    node: object = None     # the graph node (not serialised)

    def card_entry(self) -> dict:
        return {"where": self.where, "p": self.p if self.p is not None else "computed"}


def _hierarchy(node) -> List[tuple]:
    """[(instance, type), ...] from the node's inlined call stack, below the adapter's `model`."""
    text = node.getModuleHierarchy() if hasattr(node, "getModuleHierarchy") else ""
    parts = []
    for item in text.split("."):
        if "(" not in item:
            continue
        name, kind = item.split("(", 1)
        if name in ("UNKNOWN_INSTANCE", "SELF"):  # SELF: a method the module calls on itself
            continue
        parts.append((name, kind.rstrip(")")))
    return parts


def _constant(value) -> Optional[float]:
    node = value.node()
    if node.kind() == "prim::Constant":
        v = node.output().toIValue()
        return float(v) if isinstance(v, (int, float)) else None
    return None


def _functional_name(kind: str) -> str:
    return {"aten::dropout": "F.dropout", "aten::feature_dropout": "F.dropout2d",
            "aten::alpha_dropout": "F.alpha_dropout",
            "aten::feature_alpha_dropout": "F.feature_alpha_dropout"}.get(kind.rstrip("_"), kind)


def inline(graph) -> None:
    torch._C._jit_pass_inline(graph)


def _nodes_in_order(block):
    """Every node of a graph or block, nested blocks included, in the order the network runs them."""
    for node in block.nodes():
        yield node
        for inner in node.blocks():
            yield from _nodes_in_order(inner)


def find_sites(graph, root: str = "model") -> List[DropoutSite]:
    """Every dropout node of an inlined graph, named by the module it belongs to."""
    sites = []
    seen = {}
    for node in _nodes_in_order(graph):
        if node.kind() in DROPOUT_NODES:
            path = _hierarchy(node)
            # The adapter holds the user's network as `model` (and a split encoder as `encoder`).
            if path and path[0][0] in (root, "encoder"):
                path = path[1:]
            module = ".".join(name for name, _ in path)
            if path and path[-1][1] in MODULE_TYPES:
                where = f"{module} ({path[-1][1]})"
            else:
                where = f"{module or '<network>'}: {_functional_name(node.kind())}"
            seen[where] = seen.get(where, 0) + 1
            if seen[where] > 1:
                where = f"{where} #{seen[where]}"
            sites.append(DropoutSite(where, module, _constant(node.inputsAt(1)), node))
    return sites


def select(sites: Sequence[DropoutSite], only: Optional[Sequence[str]]) -> List[DropoutSite]:
    if not only:
        return list(sites)
    return [s for s in sites if any(s.module == p or s.module.startswith(p + ".") for p in only)]


def drive(graph, sites: Sequence[DropoutSite], rate_input, train_p: float, uniform: Optional[float]) -> None:
    """Rewrites the sites to run at the run-time rate `rate_input` (a graph input): each at its
    own trained rate scaled by rate_input / train_p, or — `uniform` given — every one at rate_input.
    Sites at rate 0 are left as they are unless `uniform` is given."""
    float_type = torch._C.FloatType.get()
    for site in sites:
        node = site.node
        if uniform is None and site.p == 0.0:
            continue

        def insert(kind, inputs):
            new = graph.create(kind, inputs)
            new.output().setType(float_type)
            new.insertBefore(node)
            return new.output()

        def const(value):
            v = graph.insertConstant(value)
            v.node().moveBefore(node)
            return v

        if uniform is not None:
            rate = rate_input
        elif site.p is not None:
            rate = insert("aten::mul", [rate_input, const(site.p / train_p)])
        else:  # computed at run time: scaled the same way
            rate = insert("aten::div", [insert("aten::mul", [node.inputsAt(1), rate_input]), const(train_p)])
        node.replaceInput(1, insert("prim::min", [rate, const(CAP)]))
        node.replaceInput(2, const(True))


def insert_after(model: nn.Module, names: Sequence[str], p: float, kind: str) -> None:
    """Adds dropout modules after each named sub-module (for a network that has none); the graph
    rewrite then drives them like the network's own."""
    for name in names:
        try:
            target = model.get_submodule(name)
        except AttributeError as e:
            raise ValueError(f"dropout={{'after': [...]}}: the model has no sub-module '{name}' "
                             f"(the names are model.named_modules())") from e
        parts = name.split(".")
        parent = model.get_submodule(".".join(parts[:-1])) if len(parts) > 1 else model
        drop = nn.Dropout(p) if kind == "element" else nn.Dropout2d(p)
        setattr(parent, parts[-1], nn.Sequential(target, drop))


def looks_traced(graph) -> bool:
    """A traced network reads no `training` flag and checks no argument (BatchNorm and dropout were
    frozen into constants, F.dropout's range check was not recorded); a scripted one does both."""
    reads_training = any(n.s("name") == "training" for n in graph.findAllNodes("prim::GetAttr"))
    checks = bool(graph.findAllNodes("prim::RaiseException"))
    frozen = bool(graph.findAllNodes("aten::batch_norm")) or any(graph.findAllNodes(k) for k in DROPOUT_NODES)
    return frozen and not reads_training and not checks

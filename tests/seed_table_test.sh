#!/usr/bin/env bash
# uvis-train experiment seed-table with every method on a tiny data set: each method has its
# cells and orderings, an ensemble's members are the MC model and models of their own seeds on
# the same subset, a concrete model's regulariser counted likelihood terms, and a second run
# reuses every model (retrains nothing) and gives the same table. CTest runs it ("seed_table").
#   tests/seed_table_test.sh UVIS_TRAIN UVIS_CLI
set -euo pipefail
train=$(realpath "$1")
cli=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "seed-table test: $*" >&2; exit 1; }
cd "$tmp"
"$train" render --domain A --count 6 --seed 1 --size 64x48 --out trainA --quiet
"$train" render --domain A --count 2 --seed 2 --size 64x48 --out testA --quiet
"$train" render --domain B --count 2 --seed 3 --size 64x48 --out testB --quiet
run() {
    "$train" --threads 1 experiment seed-table --train trainA --test-a testA --test-b testB --out table \
        --steps 3 --batch 2 --width 8 --seeds 1,2 --fractions 1,0.5 --samples 2 --methods mc,concrete,ensemble "$@"
}
run --quiet > first.txt
cp table/seed_table.json first.json
stamps() { find table -name '*.uvis' -printf '%p %T@\n' | sort; }
stamps > models.txt
run > second.txt 2> second.err
stamps | diff -q models.txt - > /dev/null || fail "the second run rewrote a model"
grep -q "train" <(grep -v reusing second.err) && fail "the second run trained: $(grep -v reusing second.err | head -3)"
# Per seed and share: the MC model, the concrete one and two more members.
[[ $(grep -c reusing second.err) == 20 ]] || fail "expected 20 reused models, got $(grep -c reusing second.err)"
python3 - first.json table/seed_table.json <<'PY' || fail "seed_table.json: see above"
import json, sys
first, second = (json.load(open(p)) for p in sys.argv[1:3])
assert first["cells"] == second["cells"], "a rerun on the same models gives another table"
t = second
assert t["methods"] == ["mc", "concrete", "ensemble"] and t["ensemble_members"] == 3, t["methods"]
cells = {(c["method"], c["train"], c["test"]) for c in t["cells"]}
want = {(m, f, d) for m in t["methods"] for f in ("100%", "50%") for d in "AB"}
assert cells == want, cells ^ want
for c in t["cells"]:
    assert c["epistemic_rel_std"]["seeds"] == 2, c
data = [o for o in t["orderings"] if o["effect"] == "data"]
assert {o["method"] for o in data} == set(t["methods"]), data
assert {(o["expected_larger"], o["expected_smaller"]) for o in data} == {("50% A", "100% A"), ("50% B", "100% B")}
# Different models: the ensemble's epistemic numbers are not the MC model's.
per = {(r["method"], r["seed"], r["train"], r["test"]): r for r in t["per_seed"]}
assert per[("ensemble", 1, "50%", "A")]["epistemic_rel_std"] != per[("mc", 1, "50%", "A")]["epistemic_rel_std"]
PY
# The models' cards: member seeds, one subset, learned rates with their count of likelihood terms.
card() { "$cli" info "$1" | python3 -c "import sys, json
t = json.loads(sys.stdin.read().split('  card:', 1)[1])['training']
print(t['seed'], t['subset_seed'], t['images'], t.get('concrete_dropout', {}).get('likelihood_terms', '-'))"; }
[[ $(card table/seed2/model_50.uvis) == "2 2 3 -" ]] || fail "seed 2's 50 % model: $(card table/seed2/model_50.uvis)"
[[ $(card table/seed2/model_50-m2.uvis) == "1002 2 3 -" ]] || fail "member 2: $(card table/seed2/model_50-m2.uvis)"
[[ $(card table/seed2/model_50-m3.uvis) == "2002 2 3 -" ]] || fail "member 3: $(card table/seed2/model_50-m3.uvis)"
# 3 images × the 32×24 pixels of the losses
[[ $(card table/seed2/concrete_50.uvis) == "2 2 3 2304" ]] || fail "concrete: $(card table/seed2/concrete_50.uvis)"
echo "seed-table test: passed"

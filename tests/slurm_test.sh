#!/usr/bin/env bash
# Runs docs/slurm/uvis-array.sbatch for real: a single-node Slurm started here —
# munged with a fresh key, slurmctld and slurmd from a generated slurm.conf, all state in a
# temporary folder — submits a 3-task array over a small data set, waits for it, merges the
# shards and compares the table with an unsharded run. Stops every daemon it started.
#   slurm_test.sh UVIS_CLI SOURCE_DIR
set -euo pipefail
cli=$(realpath "$1")
src=$(realpath "$2")
for tool in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
    command -v "$tool" >/dev/null || { echo "slurm_test: $tool is missing (.ci/install-deps installs slurm-wlm and munge)"; exit 1; }
done
tmp=$(mktemp -d /tmp/uvis-slurm.XXXXXX)
chmod 755 "$tmp"
pids=()
cleanup() {
    SLURM_CONF=$tmp/slurm.conf scontrol shutdown >/dev/null 2>&1 || true
    sleep 1
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for f in "$tmp"/*.pid; do [[ -f $f ]] && kill "$(cat "$f")" 2>/dev/null || true; done
    sleep 0.5
    [[ -n ${UVIS_SLURM_KEEP:-} ]] || rm -rf "$tmp"
}
trap cleanup EXIT

# munge: a key of our own and a socket in the temporary folder (never the system's).
mkdir -p "$tmp/munge"
chmod 700 "$tmp/munge"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge/munge.key"
munged --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.sock" \
    --pid-file="$tmp/munged.pid" --log-file="$tmp/munge/munged.log" --seed-file="$tmp/munge/munged.seed"

# Two free ports for the daemons.
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ctld_port=$(port)
d_port=$(port)
host=$(hostname -s)
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/out"
cat > "$tmp/slurm.conf" <<CONF
ClusterName=uvis-test
SlurmctldHost=$host
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.sock
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$tmp/slurm.conf
slurmctld -c
slurmd
for _ in $(seq 1 60); do
    sinfo -h -o %t 2>/dev/null | grep -q -E '^(idle|mix|alloc)' && break
    sleep 1
done
sinfo -h -o %t | grep -q -E '^(idle|mix|alloc)' || { echo "slurm_test: the node did not come up"; sinfo; cat "$tmp/slurmctld.log" "$tmp/slurmd.log"; exit 1; }

# The data set: both sample domains, with their ground truth.
mkdir -p "$tmp/data"
cp -r "$src/resources/samples/domainA" "$src/resources/samples/domainB" "$tmp/data/"
options=(-T 2 --seed 5)
"$cli" infer -q "${options[@]}" -o "$tmp/out/all" "$tmp/data"

# The documented script, as written, as a 3-task array.
cd "$tmp"
job=$(UVIS_CLI=$cli sbatch --parsable --array=0-2 "$src/docs/slurm/uvis-array.sbatch" "$tmp/data" "$tmp/out" "${options[@]}")
echo "slurm_test: submitted array job $job"
for _ in $(seq 1 300); do
    [[ -z $(squeue -h -j "$job" 2>/dev/null) ]] && break
    sleep 1
done
[[ -z $(squeue -h -j "$job") ]] || { echo "slurm_test: the array did not finish in 300 s"; squeue; exit 1; }
for k in 0 1 2; do
    cat "$tmp/uvis-shard-${job}_$k.log" 2>/dev/null || true
    [[ -f $tmp/out/shard-$k/dataset.json ]] || { echo "slurm_test: shard $k wrote no dataset.json"; cat "$tmp/slurmd.log"; exit 1; }
done
"$cli" merge "$tmp/out/merged" "$tmp/out"/shard-*
# Rows number for number (the pooled metrics are compared to 1e-9 in tst_cli).
cmp "$tmp/out/merged/dataset.csv" "$tmp/out/all/dataset.csv"
echo "slurm_test: 3 array tasks merged equal the unsharded run"

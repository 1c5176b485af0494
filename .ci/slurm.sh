#!/usr/bin/env bash
# The Slurm path for real: a single-node Slurm (slurmctld + slurmd + munge) runs the example
# array job (examples/slurm/run_array.sbatch) and the chained merge job; the merged folder must
# be byte-identical to an unsharded run. Installs Debian's slurm-wlm if missing; needs root.
# It never touches a Slurm of the machine: its configuration, state, logs and pid files live in
# a temporary folder (daemons started with -f, clients through SLURM_CONF), and it stops if a
# slurmctld or slurmd is already running. munge: the machine's key is used if there is one,
# else a key is made in /etc/munge (the one file it may leave behind).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if ! command -v slurmctld >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm >/dev/null
fi
cargo build --locked -q -p statecraft-cli
export STATECRAFT="${CARGO_TARGET_DIR:-$root/target}/debug/statecraft"

work=$(mktemp -d)
started_munge=0
stop() { # stop a daemon by the pid in its pid file, and wait until it is gone
    local pid
    pid=$(cat "$1" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
    stop "$work/slurmd.pid"
    stop "$work/slurmctld.pid"
    [ "$started_munge" = 1 ] && stop /run/munge/munged.pid
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "slurm: FAILED: $*" >&2; tail -n 20 "$work/slurmctld.log" "$work/slurmd.log" 2>/dev/null >&2 || true; exit 1; }
if pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null; then
    fail "a Slurm is already running on this machine: not starting a test cluster beside it"
fi

# munge, then a one-node cluster (recipe: shared notes, slurm-single-node).
mkdir -p /run/munge && chown munge:munge /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
    runuser -u munge -- /usr/sbin/munged
    started_munge=1
fi
host=$(hostname -s)
cpus=$(nproc)
chmod 755 "$work"
mkdir -p "$work/ctld" "$work/d"
chown slurm:slurm "$work/ctld"
touch "$work/slurmctld.log" && chown slurm:slurm "$work/slurmctld.log"
export SLURM_CONF="$work/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=local
SlurmctldHost=$host(127.0.0.1)
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=slurm
SlurmdUser=root
StateSaveLocation=$work/ctld
SlurmdSpoolDir=$work/d
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ReturnToService=2
SchedulerParameters=kill_invalid_depend
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
/usr/sbin/slurmctld -f "$SLURM_CONF"
/usr/sbin/slurmd -f "$SLURM_CONF"
for _ in $(seq 1 30); do
    sinfo -h -o %t 2>/dev/null | grep -q idle && break
    sleep 1
done
sinfo -h -o %t | grep -q idle || fail "the node did not come up"

# The example jobs: 4 shards, then the merge chained on their success.
runs=(--runs 400 --rounds 12 --trajectories 50)
out="$work/batch"
cd "$work"
jid=$(sbatch --parsable --array=0-3 \
    --export=ALL,SCENARIO="$root/scenarios/paid_access_2025.ron",OUT="$out",RUN_ARGS="${runs[*]}" \
    "$root/examples/slurm/run_array.sbatch")
timeout 300 sbatch --wait --dependency=afterok:"$jid" --export=ALL,OUT="$out",N=4 \
    "$root/examples/slurm/merge.sbatch" >/dev/null || fail "the merge job failed: $(cat slurm-*.out 2>/dev/null)"

"$STATECRAFT" run "$root/scenarios/paid_access_2025.ron" "${runs[@]}" --quiet --out "$work/unsharded"
for f in runs.csv actors.csv trajectories.csv summary.json; do
    cmp "$work/unsharded/$f" "$out/merged/$f" || fail "$f of the merged Slurm batch differs from the unsharded run"
done
echo "slurm: array job $jid (4 shards) and merge: byte-identical to the unsharded run"
echo "slurm: 1 passed, 0 failed"

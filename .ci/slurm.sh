#!/usr/bin/env bash
# The Slurm path for real: a single-node Slurm (slurmctld + slurmd + munge) runs the example
# array job (examples/slurm/run_array.sbatch) and the chained merge job; the merged folder must
# be byte-identical to an unsharded run. Installs Debian's slurm-wlm if missing; needs root.
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
    stop /run/slurmd.pid
    stop /run/slurmctld.pid
    [ "$started_munge" = 1 ] && stop /run/munge/munged.pid
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "slurm: FAILED: $*" >&2; tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log 2>/dev/null >&2 || true; exit 1; }

# munge, then a one-node cluster (recipe: shared notes, slurm-single-node).
mkdir -p /run/munge && chown munge:munge /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
    runuser -u munge -- /usr/sbin/munged
    started_munge=1
fi
host=$(hostname -s)
cpus=$(nproc)
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /etc/slurm
chown slurm:slurm /var/spool/slurmctld /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
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
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ReturnToService=2
SchedulerParameters=kill_invalid_depend
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
rm -f /run/slurmctld.pid /run/slurmd.pid
/usr/sbin/slurmctld
/usr/sbin/slurmd
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

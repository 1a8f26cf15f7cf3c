/**
 * `tierlab capture`: a POSIX sh script (no bash, no Tierlab needed on the machine) that collects
 * what `import-machine` reads into one tar.gz: `numactl --hardware`, `lstopo --of xml`,
 * `cxl list`, `daxctl list` when those tools exist, and the sysfs node, HMAT access and memory-tier
 * files. Tools that are missing are noted in capture.log, which the importer skips. Set
 * TIERLAB_CAPTURE_DIR to choose where the bundle goes (default: the current folder, or TMPDIR or
 * /tmp when that is read-only). Checked under dash, busybox sh, posh, mksh and bash --posix, as root
 * and as nobody, with and without the tools: only POSIX sh, `tar` with `-z` and the commands a
 * busybox system has are used, and an older cxl-cli without `-X` (ndctl 76) still lists regions.
 */
export const CAPTURE_LOG = 'capture.log'

export function captureScript(): string {
  return `#!/bin/sh
# Tierlab machine capture: collects this machine's NUMA and memory-tier description into one
# tar.gz for \`tierlab import-machine\`. Read-only; root is not needed (cxl list may show more as root).
set -u
say() { echo "tierlab capture: $*" >&2; }
# Whether a file can be made in folder $1: tried, since test -w says yes to root on read-only places.
writable() { [ -d "$1" ] && ( : > "$1/.tierlab-capture-probe.$$" ) 2>/dev/null && rm -f "$1/.tierlab-capture-probe.$$"; }
host="$(hostname 2>/dev/null || uname -n 2>/dev/null || echo machine)"
stamp="$(date +%Y%m%d-%H%M%S 2>/dev/null || echo now)"
name="tierlab-capture-$host-$stamp-$$"

# Where the bundle goes: TIERLAB_CAPTURE_DIR as given, else here, else the temporary folder.
if [ -n "\${TIERLAB_CAPTURE_DIR:-}" ]; then
  out_dir="$TIERLAB_CAPTURE_DIR"
  if ! writable "$out_dir"; then
    say "TIERLAB_CAPTURE_DIR=$out_dir is not a folder you can write to; set it to one that is"
    exit 1
  fi
else
  out_dir=.
  for d in . "\${TMPDIR:-/tmp}" /tmp; do
    if writable "$d"; then out_dir="$d"; break; fi
  done
  [ "$out_dir" = . ] || say "this folder is read-only; writing the bundle to $out_dir"
fi

# A private work folder: mktemp where it exists, else a name from the shell's pid.
work=""
for d in "\${TMPDIR:-/tmp}" /tmp "$out_dir"; do
  writable "$d" || continue
  work="$(mktemp -d "$d/tierlab-capture.XXXXXX" 2>/dev/null)" && break
  work="$d/tierlab-capture.$$"
  mkdir -m 700 "$work" 2>/dev/null && break
  work=""
done
if [ -z "$work" ]; then
  say "no writable temporary folder (tried \${TMPDIR:-/tmp}, /tmp, $out_dir); set TMPDIR to one"
  exit 1
fi
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
dir="$work/$name"
mkdir -p "$dir" || exit 1
log="$dir/${CAPTURE_LOG}"
echo "tierlab capture $stamp on $host ($(uname -sr 2>/dev/null))" > "$log"

run() { # run FILE CMD...: CMD's stdout into FILE when CMD exists and succeeds
  file="$1"; shift
  if command -v "$1" >/dev/null 2>&1; then
    if ! "$@" > "$dir/$file" 2>> "$log"; then echo "failed: $*" >> "$log"; rm -f "$dir/$file"
    # An empty JSON list ("[ ]"): the tool found no device, which is no file to import.
    elif [ -z "$(tr -d ' \\t\\r\\n\\133\\135' < "$dir/$file")" ]; then echo "empty: $*" >> "$log"; rm -f "$dir/$file"
    else echo "ok: $*" >> "$log"; fi
  else
    echo "missing: $1" >> "$log"
  fi
}
run numactl.txt numactl --hardware
if command -v lstopo-no-graphics >/dev/null 2>&1; then run lstopo.xml lstopo-no-graphics --of xml; else run lstopo.xml lstopo --of xml; fi
# -X (each region's DAX device and NUMA node) needs ndctl 77+; older cxl-cli still lists regions.
run cxl-list.json cxl list -RXMv
[ -f "$dir/cxl-list.json" ] || run cxl-list.json cxl list -RMv
run daxctl-list.json daxctl list

# sysfs: the files import-machine reads, copied with their paths (POSIX: no cp --parents).
copy() {
  for f in "$@"; do
    [ -f "$f" ] && [ -r "$f" ] || continue
    d="$dir$(dirname "$f")"
    mkdir -p "$d" && cat "$f" > "$dir$f" 2>/dev/null
  done
}
# TIERLAB_SYSFS_NODE: another copy of /sys/devices/system/node (a chroot's, a saved one).
n="\${TIERLAB_SYSFS_NODE:-/sys/devices/system/node}"
copy "$n/online" "$n/possible" "$n/has_cpu" "$n/has_memory" "$n/has_normal_memory"
numa_nodes=0
for node in "$n"/node[0-9]*; do
  [ -d "$node" ] || continue
  numa_nodes=$((numa_nodes + 1))
  copy "$node/cpulist" "$node/meminfo" "$node/distance"
  for a in "$node"/access[0-9]*; do
    [ -d "$a/initiators" ] || continue
    copy "$a/initiators/read_latency" "$a/initiators/write_latency" "$a/initiators/read_bandwidth" "$a/initiators/write_bandwidth"
  done
done
for t in /sys/devices/virtual/memory_tiering/memory_tier[0-9]*; do
  [ -d "$t" ] && copy "$t/nodelist"
done
# No NUMA nodes in sysfs (some containers and VMs, kernels without CONFIG_NUMA): the online CPU
# count and MemTotal describe the machine as one node.
if [ "$numa_nodes" -eq 0 ]; then
  cpus="$(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null || echo 0)"
  { echo "tierlab capture: no NUMA nodes in $n"; echo "cpus: $cpus"; grep '^MemTotal:' /proc/meminfo 2>/dev/null; } > "$dir/no-numa.txt"
  echo "no NUMA node in $n: wrote no-numa.txt (CPU count and MemTotal)" >> "$log"
fi

tarball="$out_dir/$name.tar.gz"
if ! tar -czf "$tarball" -C "$work" "$name" 2>> "$log"; then
  rm -f "$tarball"
  say "tar could not write $tarball; set TIERLAB_CAPTURE_DIR to a folder with room"
  exit 1
fi
echo "$tarball"
say "wrote $tarball; import it with: tierlab import-machine $tarball --out machine.json"
`
}

/**
 * `tierlab capture`: a POSIX sh script (no bash, no Tierlab needed on the machine) that collects
 * what `import-machine` reads into one tar.gz: `numactl --hardware`, `lstopo --of xml`,
 * `cxl list`, `daxctl list` when those tools exist, and the sysfs node, HMAT access and memory-tier
 * files. Tools that are missing are noted in capture.log, which the importer skips. Set
 * TIERLAB_CAPTURE_DIR to choose where the bundle goes (default: the current folder).
 */
export const CAPTURE_LOG = 'capture.log'

export function captureScript(): string {
  return `#!/bin/sh
# Tierlab machine capture: collects this machine's NUMA and memory-tier description into one
# tar.gz for \`tierlab import-machine\`. Read-only; root is not needed (cxl list may show more as root).
set -u
out_dir="\${TIERLAB_CAPTURE_DIR:-.}"
host="$(hostname 2>/dev/null || echo machine)"
stamp="$(date +%Y%m%d-%H%M%S)"
name="tierlab-capture-$host-$stamp"
work="$(mktemp -d "\${TMPDIR:-/tmp}/tierlab-capture.XXXXXX")" || exit 1
trap 'rm -rf "$work"' EXIT INT TERM
dir="$work/$name"
mkdir -p "$dir"
log="$dir/${CAPTURE_LOG}"
echo "tierlab capture $stamp on $host ($(uname -sr 2>/dev/null))" > "$log"

run() { # run FILE CMD...: CMD's stdout into FILE when CMD exists and succeeds
  file="$1"; shift
  if command -v "$1" >/dev/null 2>&1; then
    if "$@" > "$dir/$file" 2>> "$log"; then echo "ok: $*" >> "$log"; else echo "failed: $*" >> "$log"; rm -f "$dir/$file"; fi
  else
    echo "missing: $1" >> "$log"
  fi
}
run numactl.txt numactl --hardware
if command -v lstopo-no-graphics >/dev/null 2>&1; then run lstopo.xml lstopo-no-graphics --of xml; else run lstopo.xml lstopo --of xml; fi
run cxl-list.json cxl list -RXMv
run daxctl-list.json daxctl list

# sysfs: the files import-machine reads, copied with their paths (POSIX: no cp --parents).
copy() {
  for f in "$@"; do
    [ -f "$f" ] && [ -r "$f" ] || continue
    d="$dir$(dirname "$f")"
    mkdir -p "$d" && cat "$f" > "$dir$f" 2>/dev/null
  done
}
n=/sys/devices/system/node
copy "$n/online" "$n/possible" "$n/has_cpu" "$n/has_memory" "$n/has_normal_memory"
for node in "$n"/node[0-9]*; do
  [ -d "$node" ] || continue
  copy "$node/cpulist" "$node/meminfo" "$node/distance"
  for a in "$node"/access[0-9]*; do
    [ -d "$a/initiators" ] || continue
    copy "$a/initiators/read_latency" "$a/initiators/write_latency" "$a/initiators/read_bandwidth" "$a/initiators/write_bandwidth"
  done
done
for t in /sys/devices/virtual/memory_tiering/memory_tier[0-9]*; do
  [ -d "$t" ] && copy "$t/nodelist"
done

tarball="$out_dir/$name.tar.gz"
tar -czf "$tarball" -C "$work" "$name" || exit 1
echo "$tarball"
echo "Wrote $tarball; import it with: tierlab import-machine $tarball --out machine.json" >&2
`
}

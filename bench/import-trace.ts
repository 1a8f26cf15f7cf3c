import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importTraceFile } from '../main/services/import/trace/read-trace'

/**
 * `npm run bench:import`: streams a synthetic Valgrind Lackey trace of TRACE_MB megabytes (default
 * 512) through `import-trace` and prints throughput and peak RSS. The trace touches 64 MiB (16384
 * pages), 10 % of them hot; memory must follow that footprint, not the file's size.
 * Targets: ≥ 20 MB/s, peak RSS ≤ 400 MiB whatever TRACE_MB is.
 */
const targetBytes = Number(process.env.TRACE_MB ?? 512) * 1e6
const dir = mkdtempSync(join(tmpdir(), 'tierlab-bench-trace-'))
const file = join(dir, 'bench.lackey')

async function writeTrace(): Promise<void> {
  const out = createWriteStream(file)
  let written = 0
  let x = 12345
  const pages = 16384
  while (written < targetBytes) {
    const lines: string[] = []
    for (let i = 0; i < 10000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      const page = x % 10 === 0 ? x % pages : x % 1638
      const addr = (0x10000000 + page * 4096 + (x & 0xff8)).toString(16).toUpperCase()
      lines.push(`I  0040${(x & 0xffff).toString(16)},3`, ` ${x & 1 ? 'L' : 'S'} ${addr},8`)
    }
    const chunk = `${lines.join('\n')}\n`
    written += chunk.length
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r) => out.end(() => r()))
}

try {
  await writeTrace()
  const size = statSync(file).size
  const t0 = process.hrtime.bigint()
  const r = await importTraceFile(file)
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9
  const result = {
    traceMB: Number((size / 1e6).toFixed(1)),
    accesses: r.summary.accesses,
    footprintMiB: r.summary.footprintBytes / 2 ** 20,
    wallS: Number(wallS.toFixed(2)),
    throughputMBps: Number((size / 1e6 / wallS).toFixed(1)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }
  console.log(JSON.stringify(result, null, 2))
} finally {
  rmSync(dir, { recursive: true, force: true })
}

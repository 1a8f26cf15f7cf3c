import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation } from '../../../../../main/engine'
import { compileWorkload, sampleFrame } from '../../../../../main/engine/workload'
import { Rng } from '../../../../../main/engine/rng'
import { importTraceData } from '../../../../../main/services/import/trace/import-trace'
import {
  importTraceFile,
  importTraceFiles,
} from '../../../../../main/services/import/trace/read-trace'
import type { Workload } from '../../../../../shared/formats'
import { experiment, socketPlusCxl } from '../../engine/sim/fixtures'
import { FIXTURES } from './helpers'
import { pagesInWorkloadOrder } from './trace-pages'

const path = (p: string) => join(FIXTURES, p)

/**
 * Per-page counts of a Lackey file, read independently of the importer (L, S, M lines; with
 * `fetches` the I lines too). An access counts on every page its bytes cover: an instruction or
 * an unaligned load that crosses a page boundary touches both pages.
 */
function lackeyCounts(file: string, fetches = false): Map<number, number> {
  const counts = new Map<number, number>()
  const access = fetches ? /^(?: [LSM]|I ) ([0-9A-Fa-f]+),(\d+)$/ : /^ [LSM] ([0-9A-Fa-f]+),(\d+)$/
  for (const line of gunzipSync(readFileSync(file)).toString('utf8').split('\n')) {
    const m = access.exec(line)
    if (!m) continue
    const first = Math.floor(parseInt(m[1], 16) / 4096)
    const last = Math.floor((parseInt(m[1], 16) + Number(m[2]) - 1) / 4096)
    for (let page = first; page <= last; page++) counts.set(page, (counts.get(page) ?? 0) + 1)
  }
  return counts
}

/** Sum of a workload's trace counts per page, regions in file order, pages in address order. */
function tracedCounts(w: Workload): number[] {
  const out: number[] = []
  for (const r of w.regions) {
    const pages = Math.round((r.sizeGiB * 2 ** 30) / 4096)
    const sum = new Array<number>(pages).fill(0)
    for (const t of w.traces ?? []) {
      if (!t.id.startsWith(`${r.id}.`)) continue
      let i = 0
      for (const [n, c] of t.pages) for (let k = 0; k < n; k++) sum[i++] += c
    }
    out.push(...sum)
  }
  return out
}

describe('import-trace: Valgrind Lackey', () => {
  it('counts instruction fetches only when asked, and says what it left out', async () => {
    const data = await importTraceFile(path('lackey/hot.lackey.gz'))
    expect(data.warnings.join('\n')).toMatch(/\d+ instruction fetches \(I lines\) are not counted/)
    const all = lackeyCounts(path('lackey/hot.lackey.gz'), true)
    const code = await importTraceFile(path('lackey/hot.lackey.gz'), { instructions: true })
    expect(all.size).toBeGreaterThan(lackeyCounts(path('lackey/hot.lackey.gz')).size)
    expect(code.summary.footprintBytes).toBe(all.size * 4096)
    const order = pagesInWorkloadOrder(code.workload, all.keys())
    expect(tracedCounts(code.workload)).toEqual(order.map((p) => all.get(p)))
    expect(code.warnings.join('\n')).not.toMatch(/instruction fetches/)
  })

  it('keeps the trace footprint and every page count exactly', async () => {
    const counts = lackeyCounts(path('lackey/hot.lackey.gz'))
    const { workload, summary, format } = await importTraceFile(path('lackey/hot.lackey.gz'))
    expect(format).toBe('lackey')
    expect(summary.footprintBytes).toBe(counts.size * 4096)
    const regionBytes = workload.regions.reduce((s, r) => s + r.sizeGiB * 2 ** 30, 0)
    expect(regionBytes).toBe(counts.size * 4096)
    const order = pagesInWorkloadOrder(workload, counts.keys())
    expect(order).toHaveLength(counts.size)
    expect(tracedCounts(workload)).toEqual(order.map((p) => counts.get(p)))
    expect(workload.processes).toHaveLength(1)
    expect(workload.processes[0].initiator).toBe('s0')
  })

  it('lists regions in the order the trace first touched them, as first-touch placement saw them', async () => {
    const firstAccess = new Map<number, number>()
    let n = 0
    const text = gunzipSync(readFileSync(path('lackey/hot.lackey.gz'))).toString('utf8')
    for (const line of text.split('\n')) {
      const m = /^ [LSM] ([0-9A-Fa-f]+),\d+$/.exec(line)
      if (!m) continue
      const page = Math.floor(parseInt(m[1], 16) / 4096)
      if (!firstAccess.has(page)) firstAccess.set(page, n)
      n++
    }
    const { workload } = await importTraceFile(path('lackey/hot.lackey.gz'))
    expect(workload.regions.length).toBeGreaterThan(1)
    // Each region's first access, from the pages in its address range.
    const firsts = workload.regions.map((r) =>
      Math.min(
        ...pagesInWorkloadOrder({ ...workload, regions: [r] }, firstAccess.keys()).map((p) =>
          firstAccess.get(p)!,
        ),
      ),
    )
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b))
  })

  it('replays the hot pages as the hottest frames', async () => {
    const counts = lackeyCounts(path('lackey/hot.lackey.gz'))
    // The program writes each buffer page once and reads 8 of them 2000 times: 2001 accesses each.
    const hot = [...counts.entries()].filter(([, c]) => c === 2001).map(([p]) => p)
    expect(hot).toHaveLength(8)
    const total = [...counts.values()].reduce((s, x) => s + x, 0)
    const { workload } = await importTraceFile(path('lackey/hot.lackey.gz'), { phases: 1 })
    const pages = pagesInWorkloadOrder(workload, counts.keys())
    const c = compileWorkload(workload, 4096, 1)
    const rng = new Rng(3)
    const hits = new Map<number, number>()
    const draws = 100000
    for (const a of c.processes[0].phases[0].accesses)
      for (let i = 0; i < Math.round(draws * a.share); i++) {
        const f = sampleFrame(c, a, rng, 0)
        hits.set(f, (hits.get(f) ?? 0) + 1)
      }
    // Frames are the touched pages, regions in workload order: frame i is pages[i].
    const rank = [...hits.entries()].sort((a, b) => b[1] - a[1]).map(([f]) => pages[f])
    for (const p of hot) {
      expect(rank.indexOf(p)).toBeLessThan(16)
      expect((hits.get(pages.indexOf(p)) ?? 0) / draws).toBeCloseTo(2001 / total, 2)
    }
  })

  it('runs: with room for a fifth of the footprint in DRAM, the oracle serves far more than a fifth there', async () => {
    const { workload, summary } = await importTraceFile(path('lackey/hot.lackey.gz'), { phases: 1 })
    const dramGiB = (Math.floor(summary.footprintBytes / 4096 / 5) * 4096) / 2 ** 30
    const topo = socketPlusCxl(dramGiB, 4 / 1024)
    const res = runSimulation(
      experiment(topo, workload, 'oracle', {}, { pageBytes: 4096, durationS: 2 }),
      BUILTIN_POLICIES,
    )
    expect(res.summary.topTierHitRatio).toBeGreaterThan(0.6)
  })

  it('warns when one Lackey log holds several processes, not when each has its own file', async () => {
    const parent = '==100== Lackey, an example Valgrind tool\n L 04a2c000,8\n S 04a2d000,8\n'
    const child = '==101== Lackey, an example Valgrind tool\n L 04a2e000,8\n'
    const one = importTraceData('children.lackey', Buffer.from(parent + child))
    expect(one.warnings.join('\n')).toMatch(
      /several processes' \(==100==, ==101== …\): each access is given to the process whose ==PID== line came last; record with --log-file=trace\.%p/,
    )
    const dir = mkdtempSync(join(tmpdir(), 'tierlab-trace-'))
    try {
      writeFileSync(join(dir, 'trace.100'), parent)
      writeFileSync(join(dir, 'trace.101'), child)
      const two = await importTraceFiles([join(dir, 'trace.100'), join(dir, 'trace.101')])
      expect(two.warnings.join('\n')).not.toMatch(/several processes/)
      expect(two.workload.processes.map((p) => p.name)).toEqual(['pid 100', 'pid 101'])
    } finally {
      rmSync(dir, { recursive: true })
    }
  })

  it('splits an untimed trace into phases by access count', async () => {
    const { workload, warnings } = await importTraceFile(path('lackey/hot.lackey.gz'), {
      phases: 4,
      durationS: 40,
    })
    const phases = workload.processes[0].phases
    expect(phases.length).toBeGreaterThanOrEqual(2)
    expect(phases.length).toBeLessThanOrEqual(4)
    // The 40 s are shared by access count: each phase lasts its traces' share of all accesses.
    const total = [...lackeyCounts(path('lackey/hot.lackey.gz')).values()].reduce(
      (s, x) => s + x,
      0,
    )
    expect(phases.reduce((s, ph) => s + ph.durationS, 0)).toBeCloseTo(40, 9)
    for (const ph of phases) {
      const ids = new Set(
        ph.accesses.map((a) => (a.pattern.kind === 'trace' ? a.pattern.trace : '')),
      )
      const n = (workload.traces ?? [])
        .filter((t) => ids.has(t.id))
        .reduce((s, t) => s + t.pages.reduce((q, [k, c]) => q + k * c, 0), 0)
      expect(ph.durationS).toBeCloseTo((40 * n) / total, 9)
    }
    expect(warnings.join('\n')).toMatch(/no timestamps/)
  })

  it('counts an access on every page it covers: a page touched only by a crossing load is in the footprint', () => {
    // Written by hand: an 8-byte load at offset 4092 (pages 0x4a2b and 0x4a2c), a store on 0x4a2d,
    // and a 4-byte M crossing a 2 MiB boundary at a 64-bit address (past 2^53, where a JS number
    // would round the address).
    const text = [
      '==7== Lackey',
      'I  00108000,3',
      ' L 04a2bffc,8',
      ' S 04a2d000,4',
      ' M ffffffffff5ffffe,4',
      '',
    ].join('\n')
    const lackey = importTraceData('cross.lackey', Buffer.from(text))
    expect(lackey.summary.footprintBytes).toBe(5 * 4096)
    expect(tracedCounts(lackey.workload).sort()).toEqual([1, 1, 1, 1, 1])
    // At 2 MiB pages the first two accesses share one page (counted once each), the M crosses.
    const huge = importTraceData('cross.lackey', Buffer.from(text), { pageBytes: 2 ** 21 })
    expect(huge.summary.footprintBytes).toBe(3 * 2 ** 21)
    // drmemtrace prints the size too.
    const dr = importTraceData(
      'cross.view',
      Buffer.from('T1 read 8 byte(s) @ 0x00007ffc0ffc\nT1 write 4 byte(s) @ 0x00007ffc2000\n'),
    )
    expect(dr.summary.footprintBytes).toBe(3 * 4096)
  })
})

describe('import-trace: perf script, drmemtrace, damo', () => {
  it('makes one process per thread from perf script, phases from its timestamps', async () => {
    const { workload, format } = await importTraceFile(path('perf/two-threads-page-faults.script'))
    expect(format).toBe('perf')
    expect(workload.processes.map((p) => p.name)).toEqual([
      'pid 11016',
      'pid 11016 thread 11023',
      'pid 11016 thread 11024',
    ])
    // Threads of one pid share its regions.
    const regionIds = new Set(workload.regions.map((r) => r.id))
    for (const p of workload.processes)
      for (const ph of p.phases)
        for (const a of ph.accesses) expect(regionIds.has(a.region)).toBe(true)
    expect(workload.processes[0].phases[0].durationS).toBeLessThan(1)
  })

  it('reads a perf mem load sample (the documented column layout)', () => {
    const data = readFileSync(path('perf/perf-mem-load.script'))
    const { workload } = importTraceData('perf-mem.script', data)
    expect(workload.regions[0].name).toContain('0x7ffdf1391000')
    expect(workload.processes[0].writeFraction).toBe(0)
  })

  // Lines of a real `perf record -d -c 1 -e page-faults` of a 4-thread program, printed three ways.
  it('refuses perf script default fields, which print the ip where the data address goes', () => {
    const data = Buffer.from(
      '         threads  2701 43043.849931:          1 page-faults:  ffffffff8177d51a elf_load+0x28a ([kernel.kallsyms])\n',
    )
    expect(() => importTraceData('default.script', data)).toThrow(
      /default\.script: line 1 has an instruction address \(ip, then its symbol\) where perf script puts the data address.*perf script -F comm,pid,tid,time,event,addr/,
    )
  })

  it('reads -F comm,pid,tid,time,addr (no event) with threads grouped by pid', () => {
    const data = Buffer.from(
      [
        '         threads  2701/2701  43043.849931:     55e0d6501028',
        '         threads  2701/2703  43043.852785:     7f220506d010',
        '         threads  2701/2704  43043.852791:     7f220516f010',
      ].join('\n'),
    )
    const { workload, warnings } = importTraceData('noevent.script', data)
    expect(workload.processes.map((p) => p.name)).toEqual([
      'pid 2701',
      'pid 2701 thread 2703',
      'pid 2701 thread 2704',
    ])
    expect(workload.regions.reduce((s, r) => s + r.sizeGiB * 2 ** 30, 0)).toBe(3 * 4096)
    expect(warnings.join('\n')).not.toMatch(/one id per sample/)
  })

  it('warns that threads printed without their pid are taken as separate address spaces', () => {
    const data = Buffer.from(
      [
        '         threads  2701 43043.849931: page-faults:     55e0d6501028 __TMC_END__ ffffffff8177d51a elf_load',
        '         threads  2704 43043.852536: page-faults:     7f220626ef78 [unknown]     7f2206b7d8ea clone3',
      ].join('\n'),
    )
    const { workload, warnings } = importTraceData('tids.script', data)
    expect(workload.processes).toHaveLength(2)
    expect(warnings.join('\n')).toMatch(/one id per sample.*-F comm,pid,tid,time,event,addr/)
  })

  it('reads drmemtrace view output per thread with its write share', async () => {
    const { workload, format } = await importTraceFile(path('drmemtrace/two-threads.view.txt.gz'))
    expect(format).toBe('drmemtrace')
    expect(workload.processes).toHaveLength(2)
    for (const p of workload.processes) expect(p.writeFraction).toBeGreaterThan(0.2)
    // Each thread's 4 hot pages out of 64 take about 80 % of its accesses.
    const counts = tracedCounts(workload)
    const total = counts.reduce((s, x) => s + x, 0)
    const top8 = [...counts]
      .sort((a, b) => b - a)
      .slice(0, 8)
      .reduce((s, x) => s + x, 0)
    expect(top8 / total).toBeGreaterThan(0.75)
  })

  it('reads damo json and json_compressed records alike, with phases from snapshot times', async () => {
    // 64 KiB hotness pages keep the 543-snapshot record quick to read.
    const full = await importTraceFile(path('damo/damon.data.json_compressed'), {
      pageBytes: 65536,
    })
    const first = await importTraceFile(path('damo/damon.data.first20.json'), {
      phases: 1,
      pageBytes: 65536,
    })
    expect(full.format).toBe('damo')
    expect(full.workload.processes[0].phases.length).toBeGreaterThan(1)
    expect(first.workload.regions.length).toBe(full.workload.regions.length)
    // 20 snapshots of 100 ms aggregation: one phase spanning about 2 s.
    expect(first.workload.processes[0].phases[0].durationS).toBeGreaterThan(1)
  })
})

describe('import-trace: bad input', () => {
  it('imports a trace cut short mid-line up to its last whole line, with a warning', async () => {
    const lines = gunzipSync(readFileSync(path('lackey/phases.lackey.gz')))
      .toString('utf8')
      .split('\n')
      .slice(0, 5000)
    const whole = lines.filter((l) => /^ [LSM] [0-9A-Fa-f]+,\d+$/.test(l)).length
    const cut = Buffer.from(`${lines.join('\n')}\n L 1ffefff`)
    const dir = mkdtempSync(join(tmpdir(), 'tierlab-trace-'))
    try {
      writeFileSync(join(dir, 'cut.lackey'), cut)
      writeFileSync(join(dir, 'cut.lackey.gz'), gzipSync(cut))
      for (const r of [
        importTraceData('cut.lackey', cut),
        await importTraceFile(join(dir, 'cut.lackey')),
        await importTraceFile(join(dir, 'cut.lackey.gz')),
      ]) {
        expect(r.summary.accesses).toBe(whole)
        expect(r.warnings.join('\n')).toMatch(
          /cut\.lackey(\.gz)?: its last line \(5001: " L 1ffefff"\) is not a whole Valgrind Lackey line, so the trace looks cut short/,
        )
      }
    } finally {
      rmSync(dir, { recursive: true })
    }
    // A program's own output after the trace (raw stderr) ends with its newline: no warning.
    const chatty = Buffer.from(`${lines.join('\n')}\nresult 42\n`)
    expect(importTraceData('stderr.txt', chatty).warnings.join('\n')).not.toMatch(/cut short/)
  })

  it('names --format when the file is another format than the one forced', () => {
    const data = Buffer.from(' L BE801950,4\n S BE80199C,4\n')
    expect(() => importTraceData('t.lackey', data, { format: 'perf' })).toThrow(
      /t\.lackey: line 1 is Valgrind Lackey, not perf script as --format perf says; leave --format out/,
    )
  })

  it('refuses a trace with no memory accesses', () => {
    const data = Buffer.from('I  0023C790,2\nI  0023C792,5\n')
    expect(() => importTraceData('fetch-only.lackey', data)).toThrow(
      /fetch-only\.lackey: has no memory accesses/,
    )
  })

  it('reads Lackey with --trace-superblocks=yes, and says what is missing without --trace-mem', () => {
    // Line shapes of real Lackey 3.19 output (`SB 0401ab70` per superblock entered).
    const sb = Buffer.from(
      '==7== Lackey, an example Valgrind tool\n' +
        'SB 0401ab70\nI  0401ab70,4\n L 1ffefff0a8,8\n'.repeat(200),
    )
    expect(importTraceData('sb.lackey', sb).summary.accesses).toBe(200)
    // valgrind -v -v -v: many `--PID--` lines of its own among the trace.
    const verbose = Buffer.from(
      '--7-- Valgrind options:\n--7--    -v\n L 1ffefff0a8,8\n'.repeat(300),
    )
    const v = importTraceData('v.lackey', verbose)
    expect(v.summary.accesses).toBe(300)
    expect(v.workload.processes[0].name).toBe('pid 7')
    const counts = Buffer.from(
      '==8731== Lackey, an example Valgrind tool\n==8731== Command: ./chatty\n==8731== Counted 1 call to main()\n',
    )
    expect(() => importTraceData('counts.lackey', counts)).toThrow(
      /counts\.lackey: is Valgrind Lackey output without its memory trace \(only the counts\); run lackey with --trace-mem=yes/,
    )
  })

  it('refuses mixed formats with the line number', () => {
    const data = Buffer.from(
      ' L BE801950,4\n S BE80199C,4\nthr 11016/11023  1732.630566: page-faults:     7fd7cd439b70\n',
    )
    expect(() => importTraceData('mixed.txt', data)).toThrow(
      /mixed\.txt: line 3 is perf script but the file began as Valgrind Lackey/,
    )
  })

  it('refuses binary garbage from its first bytes, whatever its size', async () => {
    const junk = Buffer.alloc(1 << 20, 7)
    expect(() => importTraceData('junk.bin', junk)).toThrow(/junk\.bin: is not text/)
    const text = Buffer.from('lorem ipsum\n'.repeat(5000))
    expect(() => importTraceData('words.txt', text)).toThrow(/words\.txt: is not a trace format/)
  })
})

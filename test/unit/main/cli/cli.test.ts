import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { listPolicyInfos } from '../../../../main/services'
import { openStore } from '../../../../main/store'
import { seedRuns, tempDb, topologyDoc, type TempDb } from '../services/fixtures'
import { ROOT, runCli, startServe } from './run-cli'

const GiB = 2 ** 30
const PRESETS = join(ROOT, 'resources', 'presets', 'topologies')

// Every test starts real processes (tsx compiles on first use); a loaded 2-core machine is slow.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 })

let db: TempDb
beforeEach(() => {
  db = tempDb()
})
afterEach(() => {
  db.cleanup()
})

function writeJson(name: string, value: unknown): string {
  const file = join(db.dir, name)
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value))
  return file
}

const ACCESS_KEYS = ['readBandwidthMBps', 'readLatencyNs', 'writeBandwidthMBps', 'writeLatencyNs']

describe('tierlab analyze', () => {
  it('prints the DESIGN §8 shape for a preset file, and never opens the database', async () => {
    const file = join(PRESETS, '2s-cxl.json')
    const raw = JSON.parse(readFileSync(file, 'utf8')) as {
      components: Array<{ id: string; kind: string }>
    }
    const r = await runCli(['analyze', file, '--json', '--db', db.dbPath])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    // NUMA ids: sockets in file order, then the other memory-bearing components in file order.
    const memory = raw.components.filter((c) => c.kind !== 'cxl-switch')
    const expected = [
      ...memory.filter((c) => c.kind === 'socket'),
      ...memory.filter((c) => c.kind !== 'socket'),
    ]
    expect(out.nodes.map((n: { component: string }) => n.component)).toEqual(
      expected.map((c) => c.id),
    )
    for (const [i, n] of out.nodes.entries()) {
      expect(n.node).toBe(i)
      for (const key of [
        'node',
        'component',
        'kind',
        'cpus',
        'capacityBytes',
        'access1',
        'adistance',
        'tier',
      ]) {
        expect(n).toHaveProperty(key)
      }
      expect(Object.keys(n.access1).sort()).toEqual(ACCESS_KEYS)
      expect(out.distance[i][i]).toBe(10)
    }
    expect(out.distance).toHaveLength(out.nodes.length)
    const tiered = out.tiers.flatMap((t: { nodes: number[] }) => t.nodes).sort()
    expect(tiered).toEqual(out.nodes.map((n: { node: number }) => n.node))
    expect(typeof out.demotionTargets).toBe('object')
    expect(Array.isArray(out.warnings)).toBe(true)
    expect(existsSync(db.dbPath)).toBe(false)
  })

  it('analyses a file written by hand, with numbers worked out by hand', async () => {
    const file = writeJson('machine.json', topologyDoc())
    const r = await runCli(['analyze', file, '--json', '--db', db.dbPath])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(
      out.nodes.map((n: Record<string, unknown>) => [
        n.node,
        n.component,
        n.kind,
        n.cpus,
        n.capacityBytes,
      ]),
    ).toEqual([
      [0, 's0', 'socket', 8, 64 * GiB],
      [1, 'c0', 'cxl-memory', 0, 128 * GiB],
    ])
    // Node 1 from the socket: device 170 ns + link 70 ns = 240 ns; bandwidth is the narrower of the
    // device (36 GB/s) and the Gen5 x8 link (8 lanes × 32 GT/s × 128/130 ÷ 8 = 31.51 GB/s).
    expect(out.nodes[1].access1.readLatencyNs).toBe(240)
    expect(out.nodes[1].access1.readBandwidthMBps).toBeGreaterThanOrEqual(31_507)
    expect(out.nodes[1].access1.readBandwidthMBps).toBeLessThan(31_508)
    // DRAM: adistance 576 → tier 576 >> 7 = 4. CXL: 576 × 480/220 = 1256 (integer), × 600000 /
    // 63015 ≈ 11959 → tier 11959 >> 7 = 93 (mm/memory-tiers.c arithmetic).
    expect(out.tiers.map((t: { tier: number; nodes: number[] }) => [t.tier, t.nodes])).toEqual([
      [4, [0]],
      [93, [1]],
    ])
    // DRAM demotes to the CXL node; the lowest tier has nowhere to go.
    expect(out.demotionTargets).toEqual({ '0': [1], '1': [] })
    expect(existsSync(db.dbPath)).toBe(false)
  })

  it('prints a numactl-like table without --json', async () => {
    const file = writeJson('machine.json', topologyDoc())
    const r = await runCli(['analyze', file, '--db', db.dbPath])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('available: 2 nodes (0-1)')
    expect(r.stdout).toContain('node 0 cpus: 0-7')
    // 64 GiB = 65536 MiB, which numactl prints as "MB".
    expect(r.stdout).toContain('node 0 size: 65536 MB')
    expect(r.stdout).toContain('node distances:\nnode   0   1\n  0:  10')
    expect(r.stdout).toContain('memory_tier4/nodelist: 0')
    expect(r.stdout).toContain('memory_tier93/nodelist: 1')
  })

  const dram = (topologyDoc().components as Array<{ memory: Record<string, unknown> }>)[0].memory
  const malformed: Array<[string, () => unknown, string]> = [
    [
      'wrong types',
      () =>
        topologyDoc({ components: [{ id: 's0', kind: 'socket', cores: 'many', memory: dram }] }),
      'components[0].cores',
    ],
    [
      'a missing field',
      () => {
        const { readLatencyNs: _drop, ...memory } = dram
        return topologyDoc({
          components: [{ id: 's0', kind: 'socket', cores: 4, memory }],
          links: [],
        })
      },
      'components[0].memory.readLatencyNs',
    ],
    [
      'an unknown component id in a link',
      () =>
        topologyDoc({
          links: [{ a: 's0', b: 'ghost', kind: 'cxl', bandwidthGBps: 30, latencyNs: 70 }],
        }),
      'links[0].b',
    ],
    [
      'a negative capacity',
      () =>
        topologyDoc({
          components: [
            { id: 's0', kind: 'socket', cores: 4, memory: { ...dram, capacityGiB: -8 } },
          ],
          links: [],
        }),
      'components[0].memory.capacityGiB',
    ],
    ['a newer format version', () => topologyDoc({ format: 'tierlab.topology/v2' }), 'format'],
    ['invalid JSON', () => '{ "format": "tierlab.topology/v1", ', 'not valid JSON'],
  ]

  it.each(malformed)(
    'refuses %s with one line naming the file and field, exit 2',
    async (_what, doc, field) => {
      const file = writeJson('bad.json', doc())
      const r = await runCli(['analyze', file, '--json', '--db', db.dbPath])
      expect(r.code).toBe(2)
      expect(r.stdout).toBe('')
      const lines = r.stderr.trimEnd().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(file)
      expect(lines[0]).toContain(field)
      expect(existsSync(db.dbPath)).toBe(false)
    },
  )

  it('refuses a missing file with one line and exit 2', async () => {
    const file = join(db.dir, 'nowhere.json')
    const r = await runCli(['analyze', file, '--db', db.dbPath])
    expect(r.code).toBe(2)
    expect(r.stderr.trimEnd().split('\n')).toEqual([`${file}: does not exist; check the path`])
  })
})

describe('tierlab presets and policies', () => {
  it('presets --json lists id, name and description of every preset file', async () => {
    const r = await runCli(['presets', '--json', '--db', db.dbPath])
    expect(r.code).toBe(0)
    const presets = JSON.parse(r.stdout) as Array<Record<string, string>>
    const ids = readdirSync(PRESETS)
      .map((f) => f.replace(/\.json$/, ''))
      .sort()
    expect(presets.map((p) => p.id)).toEqual(ids)
    for (const p of presets) {
      expect(Object.keys(p).sort()).toEqual(['description', 'id', 'name'])
      expect(p.name).toBe(JSON.parse(readFileSync(join(PRESETS, `${p.id}.json`), 'utf8')).name)
    }
    expect(existsSync(db.dbPath)).toBe(false)
  })

  it('policies --json prints the policies with their knobs', async () => {
    const r = await runCli(['policies', '--json', '--db', db.dbPath])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(listPolicyInfos())))
  })

  it('policies lists a knob that refuses 0 without an allowed minimum of 0', async () => {
    const r = await runCli(['policies', '--db', db.dbPath])
    expect(r.code).toBe(0)
    // hotThresholdMs is .positive(): 0 is refused, so its range starts above 0.
    expect(r.stdout).toMatch(/\n +hotThresholdMs +1000 +ms +>0\.\.3600000 +Hot threshold: /)
    // scanDelayMs accepts 0.
    expect(r.stdout).toMatch(/\n +scanDelayMs +\d+ +ms +0\.\.3600000 +Scan delay: /)
  })
})

describe('tierlab list and show', () => {
  let ids: { doneId: number; queuedId: number }
  beforeEach(() => {
    const store = openStore(db.dbPath)
    ids = seedRuns(store)
    store.close()
  })

  it('list --json prints the runs newest first, filtered by status', async () => {
    const all = await runCli(['list', '--json', '--db', db.dbPath])
    expect(all.code).toBe(0)
    expect(JSON.parse(all.stdout).map((r: { id: number }) => r.id)).toEqual([
      ids.queuedId,
      ids.doneId,
    ])
    const done = await runCli(['list', '--json', '--status', 'done', '--db', db.dbPath])
    expect(JSON.parse(done.stdout).map((r: { name: string }) => r.name)).toEqual(['finished run'])
    const text = await runCli(['list', '--json', '--text', 'QUEUED', '--db', db.dbPath])
    expect(JSON.parse(text.stdout).map((r: { id: number }) => r.id)).toEqual([ids.queuedId])
  })

  it('list refuses an unknown status with exit 2', async () => {
    const r = await runCli(['list', '--status', 'finished', '--db', db.dbPath])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--status')
  })

  it('show --json prints one run with its per-process results', async () => {
    const r = await runCli(['show', String(ids.doneId), '--json', '--db', db.dbPath])
    expect(r.code).toBe(0)
    const run = JSON.parse(r.stdout)
    expect(run).toMatchObject({
      id: ids.doneId,
      status: 'done',
      summary: { throughputOpsPerS: 1000 },
    })
    expect(run.processes).toEqual([{ id: 'p', throughputOpsPerS: 1000, meanLatencyNs: 200 }])
    expect(run.experiment.name).toBe('exp')
  })

  it('show explains an unknown run (exit 1) and a malformed id (exit 2)', async () => {
    const missing = await runCli(['show', '999', '--db', db.dbPath])
    expect(missing.code).toBe(1)
    expect(missing.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(missing.stderr).toContain('999')
    const bad = await runCli(['show', 'abc', '--db', db.dbPath])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('"abc"')
  })

  it('leaves a database it cannot read exactly as it was (exit 1, one line)', async () => {
    const junk = writeJson('junk.db', 'this is not an SQLite database, just text'.repeat(200))
    const before = readFileSync(junk)
    const r = await runCli(['list', '--json', '--db', junk])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(r.stderr).toContain(junk)
    expect(readFileSync(junk).equals(before)).toBe(true)
    expect(existsSync(`${junk}-wal`)).toBe(false)
  })

  it('list on a database that does not exist prints [] and creates nothing', async () => {
    const other = join(db.dir, 'none', 'x.db')
    const r = await runCli(['list', '--json', '--db', other])
    expect(JSON.parse(r.stdout)).toEqual([])
    expect(existsSync(join(db.dir, 'none'))).toBe(false)
  })
})

describe('tierlab serve', () => {
  it('serves the API with the printed token and stops on SIGTERM', async () => {
    const { child, url } = await startServe(['--port', '0', '--db', db.dbPath])
    try {
      const u = new URL(url)
      expect(u.hostname).toBe('127.0.0.1')
      const token = u.searchParams.get('token') ?? ''
      const res = await fetch(new URL('/api/app.info', u), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      })
      expect(await res.json()).toMatchObject({
        ok: true,
        value: { host: 'web', databasePath: db.dbPath },
      })
      const refused = await fetch(new URL('/api/app.info', u), { method: 'POST', body: '{}' })
      expect(refused.status).toBe(401)
    } finally {
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      )
      child.kill('SIGTERM')
      expect(await exited).toBe(0)
    }
  })
})

describe('npx tierlab', () => {
  it('runs from the project folder', async () => {
    const r = await runCli(
      ['presets', '--json', '--db', db.dbPath],
      ['npx', '--no-install', 'tierlab'],
    )
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).length).toBe(readdirSync(PRESETS).length)
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunDetail } from '../../../../shared/runs'
import {
  dispatch,
  openServices,
  resolveResourcesDir,
  type Services,
} from '../../../../main/services'
import { dryRunExperiment } from '../../../../main/services/user-policy-dry-run'
import { tempDb, type TempDb } from './fixtures'

vi.setConfig({ testTimeout: 240_000 })

const PROMOTE = readFileSync(
  join(resolveResourcesDir(), 'policy-templates', 'promote-sampled.js'),
  'utf8',
)

let db: TempDb
let services: Services
beforeEach(() => {
  db = tempDb()
  services = openServices({ dbPath: db.dbPath, host: 'web', runs: { poolSize: 2 } })
})
afterEach(() => {
  services.close()
  db.cleanup()
})

async function call<T>(method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const reply = await dispatch(services, method, input)
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.value as T
}

async function settled(id: number): Promise<RunDetail> {
  for (;;) {
    const run = await call<RunDetail>('runs.get', { id })
    if (['done', 'failed', 'cancelled', 'interrupted'].includes(run.status)) return run
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('user policies in the services', () => {
  it('a script that blows its memory limit fails its own run; the run beside it finishes', async () => {
    const bomb = `const hoard = []
export default { name: 'bomb', create() { return { onEpoch() { for (;;) hoard.push(new Float64Array(1e5)) } } } }`
    const exp = dryRunExperiment({}, 1)
    const [bad, good] = await Promise.all([
      call<{ id: number }>('runs.start', {
        experiment: { ...exp, policy: { script: 'bomb.js', source: bomb } },
      }),
      call<{ id: number }>('runs.start', {
        experiment: { ...exp, policy: { script: 'promote.js', source: PROMOTE } },
      }),
    ])
    const [b, g] = await Promise.all([settled(bad.id), settled(good.id)])
    expect(b.status).toBe('failed')
    expect(b.error).toBe(
      'policy script "bomb.js" line 2: in onEpoch exceeded its memory limit of 64 MiB; keep less state (typed arrays, bounded maps) or raise the experiment\'s policy.limits.memoryMiB (16 to 1024)',
    )
    expect(g.status).toBe('done')
    expect(g.summary!.promotions).toBeGreaterThan(0)
  })

  it("applies the experiment's policy.limits: a script needing 40 MiB runs at the default 64 MiB and is refused at 16", async () => {
    // Before: the memory error said "raise limits.memoryMiB", which no experiment could set.
    const keeper = `const kept = new Float64Array(5 * 1024 * 1024)
export default { name: 'keeper', create() { return { onEpoch() { kept[0]++ } } } }`
    const exp = dryRunExperiment({}, 1)
    const policy = { script: 'keeper.js', source: keeper }
    const fits = await call<{ id: number }>('runs.start', { experiment: { ...exp, policy } })
    expect((await settled(fits.id)).status).toBe('done')
    const reply = await dispatch(services, 'runs.start', {
      experiment: { ...exp, policy: { ...policy, limits: { memoryMiB: 16 } } },
    })
    expect(reply.ok).toBe(false)
    if (!reply.ok) expect(reply.error.message).toContain('memory limit of 16 MiB')
    const builtIn = await dispatch(services, 'runs.start', {
      experiment: { ...exp, policy: { id: 'first-touch', limits: { memoryMiB: 128 } } },
    })
    expect(builtIn.ok).toBe(false)
    if (!builtIn.ok) expect(builtIn.error.message).toContain('policy script only')
  })

  it('saves versions, checks with line numbers, and runs library:NAME with its archived source', async () => {
    const v1 = await call<{ version: number }>('policies.user.save', {
      name: 'mine.js',
      source: PROMOTE,
    })
    const v2 = await call<{ version: number }>('policies.user.save', {
      name: 'mine.js',
      source: PROMOTE + '\n',
    })
    expect([v1.version, v2.version]).toEqual([1, 2])
    const bad = await call<{ ok: boolean; diagnostics: Array<{ line: number }> }>(
      'policies.check',
      {
        name: 'bad.js',
        source: 'export default {\n  name: "x",\n  create( {\n}\n',
      },
    )
    expect(bad.ok).toBe(false)
    expect(bad.diagnostics[0].line).toBeGreaterThan(1)
    const run = await call<{ id: number }>('runs.start', {
      experiment: {
        ...dryRunExperiment({ period: 499 }, 1),
        policy: { script: 'library:mine.js', params: { period: 499 } },
      },
    })
    const done = await settled(run.id)
    expect(done.status).toBe('done')
    expect(done.policyId).toBe('script:mine.js')
    expect(done.experiment.policy.source).toBe(PROMOTE + '\n')
    const templates = await call<Array<{ name: string }>>('policies.templates', {})
    expect(templates.map((t) => t.name)).toEqual([
      'first-touch.js',
      'numa-balancing-tiering.js',
      'promote-sampled.js',
    ])
  })
})

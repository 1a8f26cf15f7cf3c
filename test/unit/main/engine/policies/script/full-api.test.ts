import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { definePolicy, runSimulation } from '../../../../../../main/engine'
import { experiment, singleRegion, socketPlusCxl, twoSocketsPlusCxl } from '../../sim/fixtures'
import { runScript } from './helpers'

/**
 * The script context is the built-ins' context: thread placement, queued migrations, changing
 * subscriptions mid-run, accessed-bit scans and the hint fault's cpupid fields all reach a script
 * and do what they do for a built-in.
 */
const script = (create: string, subs = '{}') => `export default {
  name: 'api probe',
  knobs: {},
  subscriptions: () => (${subs}),
  reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
  create(knobs, ctx) { ${create} },
}`

const seriesOf = (r: { series: { key: string; values: number[] }[] }, key: string) =>
  r.series.find((s) => s.key === key)?.values ?? []

describe('the script context has the whole policy API', () => {
  const twoSockets = experiment(
    twoSocketsPlusCxl(1 / 16, 1 / 4),
    singleRegion(1 / 32, { kind: 'uniform' }, { threads: 2 }),
    'x',
    {},
    { durationS: 1 },
  )

  it('moveThread and threadSocket move one thread as a built-in does', async () => {
    const r = await runScript(
      twoSockets,
      script(`return { onEpoch(ctx) {
        if (ctx.epoch === 49) { console.log(ctx.threadSocket(0, 1)); ctx.moveThread(0, 1, 's1'); console.log(ctx.threadSocket(0, 1)) }
      } }`),
      'mover.js',
    )
    expect(r.logs).toEqual(['s0', 's1'])
    expect(r.summary.threadMigrations).toBe(1)
    expect(seriesOf(r, 'localAccessRatio')[80]).toBeCloseTo(0.5, 12)
    // The same move from a built-in gives the same run.
    const def = definePolicy({
      id: 'x',
      name: 'x',
      description: 'tests only',
      knobs: z.strictObject({}),
      subscriptions: () => ({}),
      reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
      create: (_k, ctx) => ({
        onEpoch: () => {
          if (ctx.epoch === 49) ctx.moveThread(0, 1, 's1')
        },
      }),
    })
    const builtIn = runSimulation({ ...twoSockets, policy: { id: 'x', params: {} } }, def)
    expect(JSON.stringify(r.summary)).toBe(JSON.stringify(builtIn.summary))
  })

  it('swapThreads swaps and keeps the process home node in step', async () => {
    const r = await runScript(
      twoSockets,
      script(`return { onEpoch(ctx) {
        if (ctx.epoch === 10) { ctx.moveThread(0, 1, 's1'); ctx.swapThreads(0, 0, 0, 1); console.log(ctx.threadSocket(0, 0), ctx.processes[0].initiator, ctx.processes[0].homeNode) }
      } }`),
      'swap.js',
    )
    expect(r.logs).toEqual(['s1 s1 1'])
  })

  it('a bad socket name is one clear error naming the script', async () => {
    await expect(
      runScript(
        twoSockets,
        script(`return { onEpoch(ctx) { ctx.moveThread(0, 0, 'nowhere') } }`),
        'bad.js',
      ),
    ).rejects.toThrow(/bad\.js.*"nowhere" is not a socket/)
  })

  it('migrate checks its numbers and who pays, with one clear error each', async () => {
    // Every form of the 4th argument is read, and a bad number names the argument.
    const ok = await runScript(
      twoSockets,
      script(`return { onEpoch(ctx) {
        if (ctx.epoch !== 3) return
        console.log(ctx.migrate(0, 1, 'sync', 0), ctx.migrate(1, 1, 'async', { chargeProcess: 0, kernelThread: 'kmig' }), ctx.migrate(2, 1, 'sync', { kernelThread: 'kmig' }), ctx.migrate(3, 1, 'sync'))
      } }`),
      'ok.js',
    )
    expect(ok.logs).toEqual(['migrated queued migrated migrated'])
    const bad = async (call: string) =>
      runScript(twoSockets, script(`return { onEpoch(ctx) { ${call} } }`), 'bad.js')
    await expect(bad(`ctx.migrate(1.5, 1, 'sync')`)).rejects.toThrow(
      /bad\.js.*frame must be a whole number >= 0, got 1\.5/,
    )
    await expect(bad(`ctx.migrate(0, Infinity, 'sync')`)).rejects.toThrow(
      /targetNode must be a whole number >= 0, got null/,
    )
    await expect(bad(`ctx.migrate(0, 1, 'sync', -1)`)).rejects.toThrow(
      /chargeProcess must be a whole number >= 0, got -1/,
    )
    await expect(bad(`ctx.migrate(0, 1, 'sync', 'p0')`)).rejects.toThrow(
      /migrate: the 4th argument is a process number or \{ chargeProcess, kernelThread \}/,
    )
    await expect(bad(`ctx.frameNode(NaN)`)).rejects.toThrow(/frame must be a whole number/)
  })

  const cxl = experiment(
    socketPlusCxl(1 / 16, 1 / 4),
    singleRegion(1 / 8, { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 }),
    'first-touch',
    {},
    { pageBytes: 4096, durationS: 2 },
  )

  it('subscribe turns sampling on mid-run and subscriptions() reports it', async () => {
    const r = await runScript(
      cxl,
      script(`let seen = 0; let first = -1
        return {
          onSamples(s, ctx) { if (first < 0) first = ctx.epoch; seen += s.length },
          onEpoch(ctx) {
            if (ctx.epoch === 50) { console.log(JSON.stringify(ctx.subscriptions())); ctx.subscribe({ samples: { period: 997 } }) }
            if (ctx.epoch === 51) console.log(JSON.stringify(ctx.subscriptions()))
            if (ctx.epoch === 150) { ctx.subscribe({ samples: null }); console.log(String(first), String(seen > 0)) }
          },
        }`),
      'subscribe.js',
    )
    expect(r.logs[0]).toBe('{}')
    expect(JSON.parse(r.logs[1])).toEqual({ samples: { period: 997 } })
    expect(Number(r.logs[2].split(' ')[0])).toBeGreaterThan(50)
    expect(r.logs[2].split(' ')[1]).toBe('true')
  })

  it('a bad subscription is refused with the field and the fix', async () => {
    await expect(
      runScript(
        cxl,
        script(`return { onEpoch(ctx) { ctx.subscribe({ samples: { period: -3 } }) } }`),
        'sub.js',
      ),
    ).rejects.toThrow(
      /sub\.js.*ctx\.subscribe\(changes\) was given a bad value at "samples\.period"/,
    )
  })

  it('accessed-bit scans reach onAccessedBits', async () => {
    const r = await runScript(
      cxl,
      script(
        `let scans = 0, hot = 0
        return {
          onAccessedBits(scan, ctx) { scans++; hot += scan.accessed.length; if (scan.accessed.some((f) => ctx.frameNode(f) !== scan.node)) console.log('wrong node') },
          onEpoch(ctx) { if (ctx.epoch === 199) console.log(String(scans), String(hot)) },
        }`,
        `{ accessedBits: { periodMs: 100, framesPerScan: 4096, nodes: 'slow' } }`,
      ),
      'abits.js',
    )
    const [scans, hot] = r.logs[0].split(' ').map(Number)
    expect(r.logs).toHaveLength(1)
    expect(scans).toBeGreaterThan(10)
    expect(hot).toBeGreaterThan(0)
  })

  it('async migrations on a named kernel thread queue (queuedToNode) and run on a kernel thread', async () => {
    const r = await runScript(
      cxl,
      script(`return { place: () => 1, onEpoch(ctx) {
        if (ctx.epoch === 20) {
          let n = 0
          for (let f = 0; f < ctx.totalFrames && n < 4000; f++) if (ctx.frameNode(f) === 1) { ctx.migrate(f, 0, 'async', { kernelThread: 'my-promoter' }); n++ }
          console.log(String(ctx.queuedToNode(0) > 0))
        }
      } }`),
      'queue.js',
    )
    expect(r.logs).toEqual(['true'])
    expect(r.summary.promotions).toBeGreaterThan(0)
    expect(r.summary.meanQueueDelayMs).toBeGreaterThan(0)
    // The copies ran on a kernel thread: its CPU is the migration's, none is the process's.
    expect(r.summary.migrationCpuS).toBeGreaterThan(0)
  })

  it('a hint fault carries the faulting thread and the cpupid fields', async () => {
    const r = await runScript(
      cxl,
      script(
        `let ok = 0, bad = 0
        return {
          onHintFault(f, ctx) { if (Number.isInteger(f.thread) && typeof f.private === 'boolean' && f.lastCpuNode >= -1 && f.lastProcess >= -1) ok++; else bad++ },
          onEpoch(ctx) { if (ctx.epoch === 199) console.log(String(ok > 0), String(bad)) },
        }`,
        `{ hintFaults: { mode: 'tiering', scanDelayMs: 100 } }`,
      ),
      'fault.js',
    )
    expect(r.logs).toEqual(['true 0'])
  })
})

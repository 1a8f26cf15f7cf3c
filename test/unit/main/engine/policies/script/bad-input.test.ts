import { describe, expect, it } from 'vitest'
import {
  compileScriptPolicy,
  PolicyScriptError,
} from '../../../../../../main/engine/policies/script'
import { runScript, smallExperiment } from './helpers'

const exp = smallExperiment

/** A script with `body` as its create() hooks object, subscribing to samples. */
const withHooks = (hooks: string, extra = '') => `${extra}
export default {
  name: 'bad',
  description: 'misbehaves',
  knobs: {},
  subscriptions: () => ({ samples: { period: 997 } }),
  create(knobs, ctx) {
    return ${hooks}
  },
}
`

async function loadError(source: string, fileName = 'bad.js'): Promise<PolicyScriptError> {
  try {
    const s = await compileScriptPolicy(source, { fileName })
    s.dispose()
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyScriptError)
    return err as PolicyScriptError
  }
  throw new Error('the script loaded')
}

async function runError(
  source: string,
  fileName = 'bad.js',
  limits = {},
): Promise<PolicyScriptError> {
  try {
    await runScript(exp(), source, fileName, limits)
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyScriptError)
    return err as PolicyScriptError
  }
  throw new Error('the run succeeded')
}

describe('bad policy scripts get one clear error naming the script, line and fix', () => {
  it('syntax error in JavaScript: the line', async () => {
    const e = await loadError('export default {\n  name: "x",\n  create(k, ctx) { return { } \n}\n')
    expect(e.message).toMatch(
      /^policy script "bad.js" line \d+: has a syntax error: .+; fix the code there$/,
    )
  })

  it('syntax error in TypeScript: the line of the source as written', async () => {
    const e = await loadError(
      'const a: number = 1\n\nconst b = (a as number\nexport default {}\n',
      'bad.ts',
    )
    expect(e.message).toMatch(/^policy script "bad.ts" line 4: has a syntax error/)
  })

  it('TypeScript runtime errors point at the line the user wrote', async () => {
    const src = `interface K { n: number }\n\n\nconst boom = (k: K): number => {\n  throw new Error('boom ' + k.n)\n}\n${withHooks('{ onEpoch: () => boom({ n: 1 }) }')}`
    const e = await runError(src, 'p.ts')
    expect(e.message).toBe(
      'policy script "p.ts" line 5: in onEpoch threw Error: boom 1; fix the script',
    )
  })

  it('missing default export', async () => {
    const e = await loadError('export const policy = { name: "x" }\n')
    expect(e.message).toContain('has no default export; end it with `export default')
  })

  it('a knob without a default', async () => {
    const e = await loadError(
      'export default { name: "x", knobs: { period: { min: 1, unit: "accesses" } }, create: () => ({}) }',
    )
    expect(e.message).toBe(
      'policy script "bad.js": knob "period" has no default; add default: <value> to it (every knob needs one so an experiment may leave it out)',
    )
  })

  it('no create function, no name', async () => {
    expect((await loadError('export default { name: "x" }')).message).toContain(
      'has no create(knobs, ctx) function',
    )
    expect((await loadError('export default { create: () => ({}) }')).message).toContain(
      'has no `name`',
    )
  })

  it('a hook that throws ends the run with the hook and line', async () => {
    const e = await runError(
      withHooks(`{
      onSamples(samples, ctx) {
        const s = samples[0]
        null.frame
      },
    }`),
    )
    expect(e.message).toMatch(
      /^policy script "bad.js" line 11: in onSamples threw TypeError: .+; fix the script$/,
    )
  })

  it('bad subscriptions are refused with the field', async () => {
    const src = withHooks('{}').replace(
      '{ samples: { period: 997 } }',
      '{ samples: { period: -3 } }',
    )
    const e = await runError(src)
    expect(e.message).toMatch(/subscriptions\(knobs\) returned a bad value at "samples.period"/)
  })
})

describe('hostile scripts are refused in bounded time', () => {
  it('an infinite loop in a hook stops at the per-call CPU budget', async () => {
    const e = await runError(withHooks('{ onEpoch() { for (;;) {} } }'), 'spin.js', {
      cpuTicksPerHookCall: 50,
    })
    expect(e.message).toBe(
      'policy script "spin.js" line 8: in onEpoch used more than its CPU budget of 50 ticks per hook call (an endless loop?); make the hook do less per call or raise the experiment\'s policy.limits.cpuTicksPerHookCall',
    )
  })

  it('an infinite loop at load time stops too, even inside try/catch', async () => {
    const e = await loadError('try { while (true) {} } catch (e) {}\nexport default {}', 'spin.js')
    expect(e.message).toContain('while loading used more than its CPU budget')
  })

  it('many cheap calls stop at the per-simulated-second budget', async () => {
    const e = await runError(
      withHooks('{ onEpoch() { let x = 0; for (let i = 0; i < 20000; i++) x += i } }'),
      'busy.js',
      { cpuTicksPerSimulatedS: 20 },
    )
    expect(e.message).toContain('ticks per simulated second')
  })

  it('a memory bomb stops at the memory limit', async () => {
    const e = await runError(
      withHooks(
        '{ onEpoch() { for (;;) hoard.push(new Float64Array(1 << 20)) } }',
        'const hoard = []',
      ),
      'bomb.js',
      { memoryMiB: 16, cpuTicksPerHookCall: 100000, cpuTicksPerSimulatedS: 1000000 },
    )
    expect(e.message).toBe(
      'policy script "bomb.js" line 8: in onEpoch exceeded its memory limit of 16 MiB; keep less state (typed arrays, bounded maps) or raise the experiment\'s policy.limits.memoryMiB (16 to 1024)',
    )
  })

  it('an allocation loop under the default limits ends within its CPU or memory budget', async () => {
    // Array.prototype.fill was native and uninterruptible: this ran for tens of seconds before.
    const e = await runError(
      withHooks(
        '{ onEpoch() { for (;;) hoard.push(new Array(1e6).fill(0)) } }',
        'const hoard = []',
      ),
      'hoard.js',
    )
    expect(e.message).toMatch(
      /^policy script "hoard\.js" line \d+: in onEpoch (exceeded its memory limit|used more than its)/,
    )
  })

  it('a map that grows until QuickJS cannot build an error object is still a memory error', async () => {
    const e = await runError(
      withHooks(
        '{ onEpoch() { for (;;) m.set(n++, [n, n, n]) } }',
        'const m = new Map(); let n = 0',
      ),
      'map.js',
      { memoryMiB: 16, cpuTicksPerHookCall: 100000 },
    )
    expect(e.message).toContain('exceeded its memory limit of 16 MiB')
  })

  it('fill keeps its semantics (negative and missing bounds)', async () => {
    const out = await loadError(
      'const a = [1, 2, 3, 4, 5].fill(0, -3, -1); const b = new Array(3).fill(7); throw new Error(a.join() + "|" + b.join())\nexport default {}',
      'fill.js',
    )
    expect(out.message).toContain('1,2,0,0,5|7,7,7')
  })

  it('deep recursion is a clear error, not a crash', async () => {
    const e = await loadError('const f = (n) => f(n + 1) + 1\nf(0)\nexport default {}', 'deep.js')
    expect(e.message).toContain('recursed too deep')
  })

  it.each([
    ['static import of fs', 'import fs from "fs"\nexport default {}', 'tried to import "fs"'],
    [
      'require',
      'const fs = require("fs")\nexport default {}',
      'used "require", which does not exist in the policy sandbox',
    ],
    ['process', 'process.exit(1)\nexport default {}', 'used "process", which does not exist'],
    ['setTimeout', 'setTimeout(() => {}, 1)\nexport default {}', 'used "setTimeout"'],
    ['fetch', 'fetch("http://example.com")\nexport default {}', 'used "fetch"'],
  ])('%s is refused at load', async (_, src, expected) => {
    const e = await loadError(src, 'hostile.js')
    expect(e.message).toContain(expected)
    expect(e.message).toMatch(/^policy script "hostile.js"/)
  })

  it('a dynamic import() inside a hook ends the run', async () => {
    const e = await runError(
      withHooks('{ onEpoch() { import("node:fs").then((m) => m.writeFileSync("/tmp/x", "y")) } }'),
      'dyn.js',
    )
    expect(e.message).toContain('in onEpoch tried to import "node:fs"')
  })

  it('the host realm is not reachable through constructors or globals', async () => {
    const probe = `
      const seen = []
      const F = (function () {}).constructor
      try { seen.push(F('return typeof process')()) } catch (e) { seen.push(e.name) }
      seen.push(typeof globalThis.require, typeof globalThis.process, typeof globalThis.Buffer)
      seen.push(Date.now(), new Date().getTime())
      export default { name: 'probe', description: JSON.stringify(seen), create: () => ({}) }`
    const s = await compileScriptPolicy(probe, { fileName: 'probe.js' })
    try {
      expect(JSON.parse(s.def.description)).toEqual([
        'EvalError',
        'undefined',
        'undefined',
        'undefined',
        0,
        0,
      ])
    } finally {
      s.dispose()
    }
  })
})

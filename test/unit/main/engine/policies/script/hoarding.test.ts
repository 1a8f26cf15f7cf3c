import { describe, expect, it } from 'vitest'
import {
  compileScriptPolicy,
  PolicyScriptError,
} from '../../../../../../main/engine/policies/script'
import { runScript, smallExperiment } from './helpers'

/**
 * Hostile scripts that hoard memory, spin or recurse, in every place a script runs: its module's
 * top level, create(), a hook, a getter the host reads, a knob-dependent subscriptions(). Each
 * must end with its limit's sentence naming the script. How long they take is measured by
 * `npx tsx scripts/...`-style runs, never here: these assert the error only.
 */
const exp = smallExperiment

type Place = 'top' | 'create' | 'hook'

/** A module whose `hoard()` (the body) runs at `place`. */
function placed(body: string, place: Place): string {
  const fn = `function hoard() {\n  ${body}\n}\n`
  if (place === 'top')
    return `${fn}hoard()\nexport default { name: 'h', description: 'd', create: () => ({}) }`
  if (place === 'create')
    return `${fn}export default { name: 'h', description: 'd', create() { hoard(); return {} } }`
  return `${fn}export default { name: 'h', description: 'd', create: () => ({ onEpoch() { hoard() } }) }`
}

async function refusal(source: string, fileName: string, limits = {}): Promise<PolicyScriptError> {
  try {
    await runScript(exp(), source, fileName, limits)
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyScriptError)
    return err as PolicyScriptError
  }
  throw new Error('the script ran to the end')
}

const DURING: Record<Place, string> = {
  top: 'while loading',
  create: 'in create',
  hook: 'in onEpoch',
}
const MEMORY = (file: string, place: Place, mib = 64) =>
  new RegExp(
    `^policy script "${file.replace('.', '\\.')}"( line \\d+)?: ${DURING[place]} exceeded its memory limit of ${mib} MiB; keep less state \\(typed arrays, bounded maps\\) or raise the experiment's policy\\.limits\\.memoryMiB \\(16 to 1024\\)$`,
  )

const HOARD_CPU = { cpuTicksPerHookCall: 20_000, cpuTicksPerSimulatedS: 200_000 }

describe('memory hoarding ends at the memory limit, wherever the script hoards', () => {
  const HOARDS: Array<[string, string]> = [
    ['small arrays', 'const h = []; for (;;) h.push([1, 2, 3])'],
    ['one growing array', 'const a = []; for (let i = 0; ; i++) a[i] = i * 0.5'],
    ['objects in a Map', 'const m = new Map(); let n = 0; for (;;) m.set(n++, { a: n, b: [n] })'],
    ['8 MiB typed arrays', 'const h = []; for (;;) h.push(new Float64Array(1 << 20))'],
    ['4 KiB typed arrays', 'const h = []; for (;;) h.push(new Uint8Array(4096))'],
    [
      'array literals',
      'const h = []; for (;;) h.push([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15])',
    ],
    ['strings kept', 'const h = []; let s = "x"; for (let i = 0; ; i++) { s = s + i; h.push(s) }'],
    ['strings doubled and flattened', 'let s = "x"; for (;;) s = (s + s).toUpperCase()'],
    ['a chain of closures', 'let c = () => 0; for (;;) { const p = c; c = () => p() + 1 }'],
    ['object keys', 'const o = {}; for (let i = 0; ; i++) o["k" + i] = i'],
    ['Array.from of a huge length', 'const a = Array.from({ length: 1e9 }, (_, i) => i)'],
    ['one 1 GiB ArrayBuffer', 'const b = new ArrayBuffer(2 ** 30)'],
    ['arrays concatenated with themselves', 'let a = ["x"]; for (;;) a = a.concat(a)'],
  ]
  const places: Place[] = ['top', 'create', 'hook']
  // Every hoard in one place (rotating), the first three in all three: 19 runs, not 39.
  const cases = HOARDS.flatMap(([what, body], i) =>
    (i < 3 ? places : [places[i % 3]]).map((place) => [what, place, body] as const),
  )
  it.each(cases)('%s (%s)', async (_, place, body) => {
    // CPU budgets raised so that memory, not CPU, is what stops them.
    const e = await refusal(placed(body, place), 'hoard.js', HOARD_CPU)
    expect(e.message).toMatch(MEMORY('hoard.js', place))
  })

  it('the limit counts bytes: 40 MiB of typed arrays fail under 32 MiB, 8 MiB pass', async () => {
    // QuickJS's own limit counted 8 bytes an allocation in this build: both used to load.
    const five = await compileScriptPolicy(
      placed(
        'globalThis.h = []; for (let i = 0; i < 5; i++) h.push(new Float64Array(1 << 20))',
        'top',
      ),
      { fileName: 'five.js', limits: { memoryMiB: 32 } },
    ).then(
      (s) => (s.dispose(), null),
      (e: unknown) => e,
    )
    expect(five).toBeInstanceOf(PolicyScriptError)
    expect((five as Error).message).toMatch(/while loading exceeded its memory limit of 32 MiB/)
    const one = await compileScriptPolicy(
      placed('globalThis.h = [new Float64Array(1 << 20)]', 'top'),
      { fileName: 'one.js', limits: { memoryMiB: 32 } },
    )
    try {
      expect(one.usage().memoryBytes).toBeGreaterThanOrEqual(8 * 2 ** 20)
      expect(one.usage().memoryBytes).toBeLessThanOrEqual(32 * 2 ** 20)
    } finally {
      one.dispose()
    }
  })

  it('catching the out-of-memory error does not let the script go on', async () => {
    const e = await refusal(
      placed(
        'const h = []; for (;;) { try { h.push(new Float64Array(1 << 16)) } catch (e) {} }',
        'hook',
      ),
      'hoard.js',
    )
    expect(e.message).toMatch(MEMORY('hoard.js', 'hook'))
  })

  it('state kept a little on every call ends at the limit in a later call', async () => {
    const src = `const h = []
export default {
  name: 'keeper',
  subscriptions: () => ({ samples: { period: 97 } }),
  create: () => ({ onSamples(s) { h.push(s, new Array(s.length * 50).fill(s)) } }),
}`
    const e = await refusal(src, 'keeper.js', { memoryMiB: 16 })
    expect(e.message).toBe(
      'policy script "keeper.js" line 5: in onSamples exceeded its memory limit of 16 MiB; keep less state (typed arrays, bounded maps) or raise the experiment\'s policy.limits.memoryMiB (16 to 1024)',
    )
  })

  it("a string doubled as a rope stops at QuickJS's length cap with its own sentence", async () => {
    const e = await refusal(placed('let s = "x"; for (;;) s += s', 'hook'), 'rope.js')
    expect(e.message).toBe(
      'policy script "rope.js" line 2: in onEpoch built a string longer than the sandbox allows (2^30 - 1 characters); keep less text or keep it in pieces',
    )
  })
})

describe('endless loops and deep recursion end with the script named, wherever they run', () => {
  const CPU = /used more than its CPU budget of 500 ticks per hook call \(an endless loop\?\)/
  it.each([
    ['in create', `export default { name: 'x', create() { for (;;) {} } }`, 'in create'],
    [
      'in a getter of the returned hooks',
      `export default { name: 'x', create() { return Object.defineProperty({}, 'onEpoch', { enumerable: true, get() { for (;;) {} } }) } }`,
      'in create',
    ],
    [
      'in subscriptions(knobs), depending on a knob',
      `export default { name: 'x', knobs: { p: { default: 5 } }, subscriptions: (k) => { while (k.p > 0) {} return {} }, create: () => ({}) }`,
      'in subscriptions',
    ],
    [
      'in place()',
      `export default { name: 'x', create: () => ({ place() { for (;;) {} } }) }`,
      'in place',
    ],
    [
      'in a getter of the default export',
      `export default { get name() { for (;;) {} }, create: () => ({}) }`,
      'while loading',
    ],
  ])('%s', async (_, src, during) => {
    const e = await refusal(src, 'spin.js')
    expect(e.message).toMatch(/^policy script "spin\.js" line 1: /)
    expect(e.message).toContain(during)
    expect(e.message).toMatch(CPU)
  })

  it('catastrophic regular-expression backtracking stops at the CPU budget', async () => {
    const e = await refusal(placed("/(a+)+b/.test('a'.repeat(40))", 'hook'), 'regex.js')
    expect(e.message).toMatch(
      /^policy script "regex\.js" line 2: in onEpoch used more than its CPU budget/,
    )
  })

  it.each(['top', 'create', 'hook'] as const)('recursion too deep (%s)', async (place) => {
    const e = await refusal(placed('const f = (n) => f(n + 1) + 1; f(0)', place), 'deep.js')
    expect(e.message).toBe(
      `policy script "deep.js" line 2: ${DURING[place]} recursed too deep (stack overflow in 256 KiB); use a loop instead of recursion`,
    )
  })

  it('recursion in subscriptions and through toString', async () => {
    const subs = await refusal(
      `const f = (n) => f(n + 1) + 1\nexport default { name: 'x', subscriptions: () => f(0), create: () => ({}) }`,
      'deep.js',
    )
    expect(subs.message).toContain('in subscriptions recursed too deep')
    const str = await refusal(
      placed('const o = { toString() { return String(o) } }; String(o)', 'hook'),
      'deep.js',
    )
    expect(str.message).toContain('in onEpoch recursed too deep')
  })
})

describe('native work the CPU budget cannot see is refused or walked in bytecode first', () => {
  it.each([
    ['join of a sparse array', "new Array(2 ** 32 - 1).join('')"],
    ['String() of a sparse array', 'String(new Array(2 ** 32 - 1))'],
    ['indexOf on an array-like', 'Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1)'],
    ['forEach over holes', 'new Array(2 ** 32 - 1).forEach(() => {})'],
    ['concat of a sparse array', '[].concat(new Array(2 ** 32 - 1))'],
    ['flat of a nested sparse array', '[new Array(2 ** 32 - 1)].flat()'],
    ['flatMap returning a sparse array', '[1].flatMap(() => new Array(2 ** 32 - 1))'],
    ['unshift onto a sparse array', 'const a = []; a[2 ** 32 - 2] = 1; a.unshift(0)'],
    ['a 50 MB fill, again and again', 'const a = new Uint8Array(5e7); for (;;) a.fill(1)'],
    ['a typed-array sort, again and again', 'const a = new Float64Array(4e6); for (;;) a.sort()'],
    ['a 50 MB buffer allocated again and again', 'for (;;) new Uint8Array(5e7)'],
    ['a search of a 40 M character string', "const s = 'ab'.repeat(2e7); for (;;) s.indexOf('c')"],
    ['JSON of a million numbers', 'const a = new Array(1e6).fill(1.5); for (;;) JSON.stringify(a)'],
    ['Array.from of 2 M elements', 'const a = new Array(2e6).fill(1); for (;;) Array.from(a)'],
    ['a spread of 2 M elements', 'const a = new Array(2e6).fill(1); for (;;) [...a]'],
  ])('%s', async (_, body) => {
    const e = await refusal(placed(body, 'hook'), 'native.js')
    expect(e.message).toMatch(
      /^policy script "native\.js" line 2: in onEpoch used more than its CPU budget/,
    )
  })

  it('metered typed arrays are still the built-ins to instanceof, subclasses and from()', async () => {
    const probe = `class V extends Float64Array {}
const v = new V(3)
const u = new Uint8Array([1, 2])
const out = [v instanceof Float64Array, v instanceof V, u instanceof Uint8Array, Uint8Array.name,
  Uint8Array.from([3])[0], new Uint8Array(new ArrayBuffer(8), 2, 3).length, Object.prototype.toString.call(u)]
export default { name: 'probe', description: JSON.stringify(out), create: () => ({}) }`
    const s = await compileScriptPolicy(probe, { fileName: 'probe.js' })
    try {
      expect(JSON.parse(s.def.description)).toEqual([
        true,
        true,
        true,
        'Uint8Array',
        3,
        3,
        '[object Uint8Array]',
      ])
    } finally {
      s.dispose()
    }
  })

  it('the guarded Array methods keep their results, names and arities', async () => {
    const probe = `const out = [
  [[1, [2]], 3].flat(), [1, 2].flatMap((x) => [x, x * 10]), [5, 6, 7].indexOf(6),
  [1, 2, 3].reduce((a, b) => a + b), [1].concat([2], 3), [1, 2].join('-'), String([1, [2, 3]]),
  [3, 1, 2].sort(), [1, 2, 3].slice(-2), [].reduce.length, [].indexOf.name,
  [...new Set([1, 1, 2])], Array.from(new Map([[1, 2]]).keys()), [...[4, 5].entries()],
  [][Symbol.iterator] === [].values,
]
let empty = 'none'
try { [].reduce((a, b) => a) } catch (e) { empty = e.name }
out.push(empty)
export default { name: 'probe', description: JSON.stringify(out), create: () => ({}) }`
    const s = await compileScriptPolicy(probe, { fileName: 'probe.js' })
    try {
      expect(JSON.parse(s.def.description)).toEqual([
        [1, [2], 3],
        [1, 10, 2, 20],
        1,
        6,
        [1, 2, 3],
        '1-2',
        '1,2,3',
        [1, 2, 3],
        [2, 3],
        1,
        'indexOf',
        [1, 2],
        [1],
        [
          [0, 4],
          [1, 5],
        ],
        true,
        'TypeError',
      ])
    } finally {
      s.dispose()
    }
  })

  it.each([
    ['a BigInt literal', 'const x = 7n ** 300000n\nfor (;;) x.toString()', 'uses a BigInt literal'],
    ['BigInt()', 'BigInt(7) ** BigInt(300000)', 'used "BigInt", which policy scripts do not have'],
    [
      'eval',
      'eval("7n ** 300000n")',
      'threw EvalError: policy scripts cannot compile code at run time',
    ],
    [
      'the Function constructor reached through a function',
      '(() => {}).constructor("return 7n")()',
      'threw EvalError: policy scripts cannot compile code at run time',
    ],
    ['Function', 'new Function("return 1")', 'threw EvalError'],
  ])('%s is refused (BigInt arithmetic ignores the CPU budget)', async (_, body, expected) => {
    const e = await refusal(`${body}\nexport default { name: 'b', create: () => ({}) }`, 'big.js')
    expect(e.message).toMatch(/^policy script "big\.js" line 1: /)
    expect(e.message).toContain(expected)
  })

  it('a BigInt literal in TypeScript is refused at the line written', async () => {
    const e = await refusal(
      'const a: number = 1\n\nconst b = 10n * 3n\nexport default { name: "b", create: () => ({}) }',
      'big.ts',
    )
    expect(e.message).toBe(
      'policy script "big.ts" line 3: uses a BigInt literal, which policy scripts do not have (BigInt arithmetic cannot be stopped by the CPU budget); use a Number',
    )
  })
})

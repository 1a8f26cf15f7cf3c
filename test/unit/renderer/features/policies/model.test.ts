import { describe, expect, it } from 'vitest'
import {
  completeAt,
  parseApiDts,
} from '../../../../../renderer/src/features/policies/model/apiCompletions'
import { toRanges } from '../../../../../renderer/src/features/policies/model/lineDiagnostics'
import DTS from '../../../../../resources/policy-api.d.ts?raw'

describe('policy API completion from the generated .d.ts', () => {
  const api = parseApiDts(DTS)

  it('offers the context methods after ctx., with their docs, and no parameter names', () => {
    const names = api.get('PolicyContext')!.map((m) => m.name)
    expect(names).toEqual(
      expect.arrayContaining(['migrate', 'exchange', 'nodeFreeBytes', 'isTopTier', 'rng']),
    )
    expect(names).not.toContain('frame')
    const a = completeAt('    if (ctx.nodeF', api)!
    expect(a.from).toBe('    if (ctx.'.length)
    expect(a.options.map((o) => o.name)).toEqual(['nodeFreeBytes'])
    expect(a.options[0].kind).toBe('method')
  })

  it('knows events, processes and the rng by their usual names', () => {
    expect(completeAt('f(fault.', api)!.options.map((o) => o.name)).toEqual(
      expect.arrayContaining(['frame', 'node', 'cpuNode', 'faultTimeMs', 'scanTimeMs']),
    )
    expect(completeAt('ctx.processes[s.process].home', api)!.options.map((o) => o.name)).toEqual([
      'homeNode',
    ])
    expect(completeAt('ctx.rng.ne', api)!.options.map((o) => o.name)).toEqual(
      expect.arrayContaining(['next', 'nextInt']),
    )
    expect(completeAt('unknownThing.', api)).toBeNull()
  })

  it('offers hook names where an object key is typed', () => {
    expect(completeAt('      onS', api)!.options.map((o) => o.name)).toEqual(['onSamples'])
  })
})

describe('diagnostics as editor ranges', () => {
  it('covers the named line, clamps beyond the end, and uses line 1 when unknown', () => {
    const text = 'a\nbb\nccc'
    expect(toRanges(text, [{ line: 2, message: 'x' }])).toEqual([
      { from: 2, to: 4, severity: 'error', message: 'x' },
    ])
    expect(toRanges(text, [{ line: 9, message: 'y' }])[0]).toMatchObject({ from: 5, to: 8 })
    expect(toRanges(text, [{ line: null, message: 'z' }])[0]).toMatchObject({ from: 0, to: 1 })
  })
})

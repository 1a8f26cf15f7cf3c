import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDb, type TempDb } from '../services/fixtures'
import { ROOT, runCli } from './run-cli'

// pghot's bad knobs (issue 9) end the CLI with exit 2 and one sentence, before a run is archived.

let dir: TempDb
beforeEach(() => {
  dir = tempDb()
})
afterEach(() => dir.cleanup())

function pghotExample(params: Record<string, unknown>): string {
  const doc = JSON.parse(
    readFileSync(join(ROOT, 'resources', 'examples', 'kv-store-first-touch.json'), 'utf8'),
  )
  const file = join(dir.dir, 'experiment.json')
  writeFileSync(file, JSON.stringify({ ...doc, policy: { id: 'pghot', params } }))
  return file
}

describe('tierlab run with pghot refuses bad knobs', () => {
  for (const [what, params, message] of [
    [
      'an unknown source',
      { sources: ['ibs', 'pmu'] },
      /knob "sources.1" names an unknown source "pmu"; use "hint-faults"/,
    ],
    [
      'a target node that is not a top-tier memory node',
      { targetNode: 1 },
      /knob "targetNode" is 1, not a top-tier memory node: .*use one of 0/,
    ],
    [
      "a precise-only 'accessor' target in compact mode",
      { sources: ['ibs'], target: 'accessor' },
      /knob "target" 'accessor' needs mode 'precise'/,
    ],
  ] as const)
    it(`${what}: exit 2, one line, nothing stored`, async () => {
      const db = join(dir.dir, 'tierlab.db')
      const r = await runCli(['run', pghotExample(params), '--db', db])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(existsSync(db)).toBe(false)
    })
})

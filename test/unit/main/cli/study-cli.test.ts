import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { rmSync } from 'node:fs'
import { runCli as runCliInProcess } from '../../../../main/cli'
import { runCli, type CliResult } from './run-cli'

/** The CLI in this process (the process-level contract is the first test's). */
async function inProcess(args: string[]): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const code = await runCliInProcess(['node', 'tierlab', ...args], {
    out: (t) => void (stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (stderr += t.endsWith('\n') ? t : `${t}\n`),
  })
  return { code, stdout, stderr }
}

vi.setConfig({ testTimeout: 120_000 })

const dir = mkdtempSync(join(tmpdir(), 'tierlab-study-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A two-second study on the presets: first-touch and a two-value sweep of NUMA balancing. */
function studyFile(name: string, claims: unknown[], patch: Record<string, unknown> = {}): string {
  const folder = join(dir, name)
  mkdirSync(folder, { recursive: true })
  const file = join(folder, 'study.json')
  writeFileSync(
    file,
    JSON.stringify({
      format: 'tierlab.study/v1',
      title: `Fixture ${name}`,
      question: 'Does first-touch ever promote?',
      conclusion: 'It never does.',
      experiment: {
        format: 'tierlab.experiment/v1',
        name: 'fixture',
        topology: { preset: '1s-cxl' },
        workload: { preset: 'kv-store' },
        policy: { id: 'first-touch' },
        durationS: 2,
      },
      variants: [
        { id: 'ft', label: 'first-touch', policy: { id: 'first-touch' } },
        {
          id: 'nbt',
          label: 'NUMA balancing, hot threshold ms',
          policy: { id: 'numa-balancing-tiering', params: { scanDelayMs: 0 } },
          sweep: { knob: 'policy.params.hotThresholdMs', values: [500, 1000] },
        },
      ],
      metrics: ['throughputOpsPerS', 'promotions'],
      claims,
      ...patch,
    }),
  )
  return file
}

const NEVER_PROMOTES = { metric: 'promotions', a: 'ft', op: '<=', b: 0, says: 'never promotes' }

describe('tierlab study', () => {
  it('runs every variant (a sweep as one run per value), checks the claims and writes the report with SVG charts', async () => {
    const db = join(dir, 'ok.db')
    const out = join(dir, 'ok-report')
    const file = studyFile('ok', [
      NEVER_PROMOTES,
      { metric: 'throughputOpsPerS', a: 'nbt@500', op: '>', b: 0 },
    ])
    const res = await runCli([
      'study',
      file,
      '--db',
      db,
      '--out',
      out,
      '--scale',
      '0.00390625',
      '--json',
    ])
    expect(res.stderr).toBe('')
    expect(res.code).toBe(0)
    const json = JSON.parse(res.stdout) as {
      runs: { variant: string; runId: number }[]
      claims: { ok: boolean }[]
    }
    expect(json.runs.map((r) => r.variant)).toEqual(['ft', 'nbt@500', 'nbt@1000'])
    expect(json.claims.map((c) => c.ok)).toEqual([true, true])
    const report = readFileSync(join(out, 'report.md'), 'utf8')
    expect(report).toContain('## Claims: 2 of 2 hold')
    expect(report).toContain('- ✓ never promotes: promotions, ft 0 <= 0')
    expect(report).toContain('![Throughput (ops/s)](throughputOpsPerS.svg)')
    expect(report).toContain(`run ids ${json.runs.map((r) => r.runId).join(', ')}`)
    const svg = readFileSync(join(out, 'throughputOpsPerS.svg'), 'utf8')
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('NUMA balancing, hot threshold ms 1000')
    // The runs are in the archive under the study's tag.
    const list = await runCli(['list', '--db', db, '--tag', 'study:ok', '--json'])
    const ids = (JSON.parse(list.stdout) as { runId?: number; id?: number }[]).map(
      (r) => r.runId ?? r.id,
    )
    expect(ids.sort()).toEqual(json.runs.map((r) => r.runId).sort())
  })

  it('exits non-zero naming the claim that does not hold, and still writes the report', async () => {
    const out = join(dir, 'bad-report')
    const file = studyFile(
      'bad',
      [NEVER_PROMOTES, { metric: 'promotions', a: 'ft', op: '>', b: 0, says: 'promotes' }],
      { variants: [{ id: 'ft', label: 'first-touch', policy: { id: 'first-touch' } }] },
    )
    const res = await inProcess([
      'study',
      file,
      '--db',
      join(dir, 'bad.db'),
      '--out',
      out,
      '--scale',
      '0.00390625',
    ])
    expect(res.code).toBe(1)
    expect(res.stderr.trim()).toMatch(
      /^study bad: 1 of 2 claims do not hold \(first: promotions, ft 0 > 0\)/,
    )
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '- ✗ promotes: promotions, ft 0 > 0',
    )
  })

  it.each([
    [
      ['study', 'no-such-study'],
      /^study "no-such-study" is not in resources\/studies; use one of .*migration-cost/,
    ],
    [['study'], /^study: give a study name/],
    [['study', 'migration-cost', '--scale', '2'], /^--scale: "2" is not a fraction/],
  ])('refuses %j with one sentence and exit 2', async (args, message) => {
    const db = join(dir, 'never.db')
    const res = await inProcess([...args, '--db', db])
    expect(res.code).toBe(2)
    expect(res.stderr.trim()).toMatch(message)
    expect(res.stderr.trim().split('\n')).toHaveLength(1)
    expect(existsSync(db)).toBe(false)
  })

  it.each([
    [
      'a claim naming no variant',
      { claims: [{ metric: 'promotions', a: 'nope', op: '<', b: 'ft' }] },
      /study\.json: claims\[0\]\.a names "nope", which is not a variant; use one of ft, nbt@500, nbt@1000/,
    ],
    [
      'a policy this build lacks',
      { variants: [{ id: 'x', label: 'x', policy: { id: 'no-such-policy' } }] },
      /variants\[0\] \("x"\).*no-such-policy/,
    ],
    ['an unknown metric', { metrics: ['speed'] }, /metrics: "speed" is not a summary metric/],
    [
      'an override of a field that does not exist',
      { variants: [{ id: 'x', label: 'x', overrides: { 'workload.nope.x': 1 } }] },
      /variants\[0\] \("x"\): overrides: .*no field "nope"/,
    ],
  ])(
    'refuses a study with %s before anything is archived (exit 2)',
    async (_what, patch, message) => {
      const file = studyFile(`malformed-${Object.keys(patch)[0]}`, [], patch)
      const db = join(dir, 'malformed.db')
      const res = await inProcess(['study', file, '--db', db])
      expect(res.stderr.trim()).toMatch(message)
      expect(res.stderr.trim().split('\n')).toHaveLength(1)
      expect(res.code).toBe(2)
      expect(existsSync(db)).toBe(false)
    },
  )

  it('--list names every shipped study with its title (each one parses and validates)', async () => {
    const res = await inProcess(['study', '--list', '--json'])
    expect(res.code).toBe(0)
    const list = JSON.parse(res.stdout) as { name: string; claims: number }[]
    expect(list.map((s) => s.name)).toEqual(
      expect.arrayContaining(['migration-cost', 'userspace-policy']),
    )
    for (const s of list) expect(s.claims).toBeGreaterThan(0)
  })
})

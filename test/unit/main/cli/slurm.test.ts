import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { tempDb, type TempDb } from '../services/fixtures'
import { ROOT, runCli } from './run-cli'

// Real CLI processes running real (short) simulations.
vi.setConfig({ testTimeout: 180_000 })

let db: TempDb
beforeAll(() => {
  db = tempDb()
})
afterAll(() => db.cleanup())

describe('tierlab sweep --slurm', () => {
  it('writes an array script and plan whose task bundles merge once with tierlab import', async () => {
    const doc = JSON.parse(
      readFileSync(join(ROOT, 'resources', 'examples', 'kv-store-first-touch.json'), 'utf8'),
    )
    const experiment = join(db.dir, 'exp.json')
    writeFileSync(experiment, JSON.stringify({ ...doc, durationS: 0.2 }))
    const script = join(db.dir, 'sweep.sh')
    const wrote = await runCli([
      'sweep',
      experiment,
      '--knob',
      'seed',
      '--values',
      '1,2,3',
      '--slurm',
      script,
      '--tasks',
      '2',
      '--json',
    ])
    expect(wrote.code).toBe(0)
    const out = JSON.parse(wrote.stdout)
    expect(out).toMatchObject({ runs: 3, tasks: 2 })
    const text = readFileSync(script, 'utf8')
    expect(text).toContain('#SBATCH --array=0-1\n')
    expect(text).toContain(
      `tierlab sweep-task '${out.plan}' --task "\${SLURM_ARRAY_TASK_ID}" --tasks 2`,
    )

    // Task 1 of 2 runs the plan's second run only, into its own database.
    const bundle = join(out.results, 'task-1.json')
    const task = await runCli([
      'sweep-task',
      out.plan,
      '--task',
      '1',
      '--tasks',
      '2',
      '--db',
      join(db.dir, 'task-1.db'),
      '--out',
      bundle,
    ])
    expect(task.stderr).toBe('')
    expect(task.code).toBe(0)
    expect(readdirSync(out.results)).toEqual(['task-1.json'])

    const merged = join(db.dir, 'merged.db')
    const first = JSON.parse((await runCli(['import', bundle, '--db', merged, '--json'])).stdout)
    const again = JSON.parse((await runCli(['import', bundle, '--db', merged, '--json'])).stdout)
    expect(first.imported).toHaveLength(1)
    expect(again).toEqual({ imported: [], duplicates: first.imported })
    const shown = JSON.parse(
      (await runCli(['show', String(first.imported[0]), '--db', merged, '--json'])).stdout,
    )
    expect(JSON.stringify(shown)).toContain('seed=2')
  })
})

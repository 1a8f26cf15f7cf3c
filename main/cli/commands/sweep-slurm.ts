import { mkdir, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { z } from 'zod'
import { ENGINE_VERSION } from '../../engine'
import { planSweepWithPresets, type SweepRequest } from '../../services/runs'
import { printJson, withCommonOptions, type CliIO, type CommonOptions } from '../context'
import { badInput, CliError, EXIT_FAILURE } from '../errors'
import { openRunSession, readJsonFile } from './run'
import type { RegisterCommand } from './types'

/**
 * Slurm, for HPC sites without Redis: `tierlab sweep … --slurm sweep.sh` plans the sweep into
 * `sweep.plan.json` and writes an array script whose task i runs every T-th run of the plan with
 * `tierlab sweep-task` into its own database and exports a bundle; `tierlab import` merges the
 * bundles (a run's job id makes a merge idempotent).
 */

const PLAN_FORMAT = 'tierlab.sweep-plan/v1'

const planSchema = z.strictObject({
  format: z.literal(PLAN_FORMAT),
  batch: z.string().min(1),
  engineVersion: z.string().min(1),
  runs: z
    .array(
      z.strictObject({
        name: z.string(),
        experiment: z.record(z.string(), z.unknown()),
        point: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
        replicate: z.number().int().nonnegative(),
        jobId: z.string().min(1),
      }),
    )
    .min(1),
})

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

export async function writeSlurmSweep(input: {
  file: string
  request: SweepRequest
  options: { slurm?: string; tasks?: string; json?: boolean }
  io: CliIO
}): Promise<void> {
  const { request, options, io } = input
  const tasksWanted = options.tasks === undefined ? 10 : Number(options.tasks)
  if (!Number.isInteger(tasksWanted) || tasksWanted < 1 || tasksWanted > 10_000) {
    throw badInput(
      `--tasks: "${options.tasks}" is not a whole number from 1 to 10000; give the array size`,
    )
  }
  const plan = await planSweepWithPresets(request)
  const script = resolve(options.slurm!)
  const planFile = script.replace(/\.(sh|sbatch)$/, '') + '.plan.json'
  const tasks = Math.min(tasksWanted, plan.runs.length)
  const results = join(dirname(script), `${plan.batch}-results`)
  // Slurm opens --output before the task runs: the folder must exist at submission.
  await mkdir(results, { recursive: true })
  await writeFile(
    planFile,
    JSON.stringify({
      format: PLAN_FORMAT,
      batch: plan.batch,
      engineVersion: ENGINE_VERSION,
      runs: plan.runs.map((r) => ({
        name: r.name,
        experiment: r.experiment,
        point: r.point,
        replicate: r.replicate,
        jobId: r.jobId,
      })),
    }),
  )
  const text = `#!/bin/bash
# Tierlab sweep ${plan.batch}: ${plan.runs.length} runs in ${tasks} array tasks (engine ${ENGINE_VERSION}).
# Submit:  sbatch ${shellQuote(basename(script))}
# Merge:   for f in ${shellQuote(results)}/*.json; do tierlab import "$f"; done
#SBATCH --job-name=tierlab-${plan.batch}
#SBATCH --array=0-${tasks - 1}
#SBATCH --output=${results}/task-%a.log
set -euo pipefail
mkdir -p ${shellQuote(results)}
db="\${TMPDIR:-/tmp}/tierlab-${plan.batch}-\${SLURM_ARRAY_TASK_ID}.db"
tierlab sweep-task ${shellQuote(planFile)} --task "\${SLURM_ARRAY_TASK_ID}" --tasks ${tasks} \\
  --db "$db" --out ${shellQuote(results)}/"task-\${SLURM_ARRAY_TASK_ID}.json"
`
  await writeFile(script, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o755 })
  if (options.json) {
    printJson(io, {
      batch: plan.batch,
      script,
      plan: planFile,
      runs: plan.runs.length,
      tasks,
      results,
    })
  } else {
    io.out(
      `Wrote ${script} (${tasks} array tasks) and ${planFile} (${plan.runs.length} runs). Submit it with sbatch; then merge with: for f in ${results}/*.json; do tierlab import "$f"; done`,
    )
  }
}

interface TaskOptions extends CommonOptions {
  task: string
  tasks: string
  out: string
}

/** `tierlab sweep-task PLAN --task I --tasks T --out FILE`: one Slurm array task's share. */
export const registerSweepTask: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('sweep-task')
      .description('run one Slurm array task of a plan written by `tierlab sweep --slurm`')
      .argument('<plan>', 'a tierlab.sweep-plan/v1 file')
      .requiredOption('--task <i>', 'this task (0-based; $SLURM_ARRAY_TASK_ID)')
      .requiredOption('--tasks <n>', 'how many tasks share the plan')
      .requiredOption('--out <file>', 'where to write the bundle of this task’s runs'),
  ).action(async (file: string, options: TaskOptions) => {
    const tasks = Number(options.tasks)
    const task = Number(options.task)
    if (!Number.isInteger(tasks) || tasks < 1) {
      throw badInput(`--tasks: "${options.tasks}" is not a whole number ≥ 1`)
    }
    if (!Number.isInteger(task) || task < 0 || task >= tasks) {
      throw badInput(`--task: "${options.task}" is not a task from 0 to ${tasks - 1}`)
    }
    const parsed = planSchema.safeParse(await readJsonFile(file))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw badInput(
        `${file}: ${issue.path.join('.') || 'plan'} ${issue.message}; write the plan with tierlab sweep --slurm`,
      )
    }
    const plan = parsed.data
    if (plan.engineVersion !== ENGINE_VERSION) {
      throw badInput(
        `${file}: planned for engine ${plan.engineVersion}, but this Tierlab runs engine ${ENGINE_VERSION}; run the plan with the matching Tierlab`,
      )
    }
    const mine = plan.runs.filter((_, i) => i % tasks === task)
    const session = openRunSession(options)
    try {
      const ids: number[] = []
      for (const run of mine) {
        const record = await session.call('runs.start', {
          experiment: run.experiment,
          batch: plan.batch,
          sweep: { point: run.point, replicate: run.replicate, jobId: run.jobId, name: run.name },
        })
        ids.push(record.id)
      }
      const runs = await session.settled(ids)
      if (ids.length > 0) {
        const bundle = await session.call('runs.export', { ids })
        await writeFile(options.out, bundle.text)
      }
      const notDone = runs.filter((r) => r.status !== 'done')
      if (options.json) printJson(io, { task, runs: ids, out: options.out })
      else
        io.out(
          `Task ${task}: ${runs.length - notDone.length} of ${runs.length} runs done → ${options.out}`,
        )
      if (notDone.length > 0) {
        throw new CliError(
          `${notDone.length} runs did not finish; run ${notDone[0].id} ${notDone[0].status}: ${notDone[0].error ?? 'no reason recorded'}`,
          EXIT_FAILURE,
        )
      }
    } finally {
      session.close()
    }
  })
}

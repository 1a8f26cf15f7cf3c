import { mkdir } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { ApiError } from '../../../shared/api'
import { studyTag } from '../../../shared/formats'
import type { RunDetail } from '../../../shared/runs'
import { ENGINE_VERSION } from '../../engine'
import { resolveResourcesDir } from '../../services'
import { createPresetSource } from '../../services/experiments'
import {
  evaluateClaims,
  listStudyNames,
  loadStudy,
  metricValue,
  planStudy,
  type PlannedStudyRun,
} from '../../services/studies'
import {
  databasePath,
  printJson,
  withCommonOptions,
  type CliIO,
  type CommonOptions,
} from '../context'
import { badInput, CliError, EXIT_FAILURE } from '../errors'
import { renderTable } from '../format/table'
import { renderStudyCharts } from '../study-report/charts'
import { studyReportMarkdown, type StudyReportData } from '../study-report/markdown'
import { formatMetric, metricTitle } from '../study-report/metric-info'
import { writeFileAtomic } from '../write-file'
import { failureOf, openRunSession, settleWithBar } from './run'
import type { RegisterCommand } from './types'

interface StudyOptions extends CommonOptions {
  list?: boolean
  out?: string
  scale?: string
}

function parseScale(value: string | undefined): number {
  if (value === undefined) return 1
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || n > 1)
    throw badInput(
      `--scale: "${value}" is not a fraction above 0 and at most 1; give e.g. 0.0078125 for 1/128 of the memory`,
    )
  return n
}

/** `tierlab study --list`: each shipped study's name, title and question. */
async function listStudies(io: CliIO, options: StudyOptions): Promise<void> {
  const resources = resolveResourcesDir()
  const studies = await Promise.all(
    listStudyNames(resources).map((name) => loadStudy(name, resources)),
  )
  if (options.json) {
    printJson(
      io,
      studies.map((s) => ({
        name: s.name,
        title: s.study.title,
        question: s.study.question,
        variants: s.study.variants.map((v) => v.id),
        claims: s.study.claims.length,
      })),
    )
    return
  }
  io.out(
    renderTable(
      ['study', 'title', 'variants', 'claims'],
      studies.map((s) => [
        s.name,
        s.study.title,
        String(s.study.variants.length),
        String(s.study.claims.length),
      ]),
      [false, false, true, true],
    ),
  )
}

/** Queues every planned run tagged with the study and one batch; waits for all of them. */
async function runPlanned(
  name: string,
  plan: PlannedStudyRun[],
  batch: string,
  options: StudyOptions,
  io: CliIO,
): Promise<RunDetail[]> {
  const session = openRunSession(options)
  try {
    const ids: number[] = []
    session.cancelOnInterrupt(() => ids, io)
    for (const run of plan) {
      const record = await session.call('runs.start', {
        experiment: run.experiment,
        tags: [studyTag(name), `variant:${run.id}`.slice(0, 60)],
        batch,
      })
      ids.push(record.id)
    }
    return await settleWithBar(session, options, ids)
  } finally {
    session.close()
  }
}

/** `tierlab study NAME`: run a study's experiments, check its claims, write its report. */
export const registerStudy: RegisterCommand = (program, io) => {
  withCommonOptions(
    program
      .command('study')
      .description(
        'run a study (resources/studies/NAME): its experiments, its claims checked, a Markdown report with SVG charts',
      )
      .argument('[name]', 'a study in resources/studies, or the path of a study.json')
      .option('--list', 'list the shipped studies')
      .option('--out <dir>', 'where report.md and the charts go (default: ./study-NAME)')
      .option('--scale <f>', 'run at this fraction of the memory and threads, e.g. 0.0078125'),
  ).action(async (nameArg: string | undefined, options: StudyOptions) => {
    if (options.list) return listStudies(io, options)
    if (!nameArg)
      throw badInput(
        'study: give a study name (tierlab study --list shows them) or a study.json path',
      )
    const scale = parseScale(options.scale)
    const resources = resolveResourcesDir()
    // Everything is read and checked before the database is opened: a bad study archives nothing.
    let loaded
    let plan
    try {
      loaded = await loadStudy(nameArg, resources)
      plan = await planStudy(loaded, await createPresetSource(resources).catalog(), { scale })
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid-input') throw badInput(err.message)
      throw err
    }
    const { study, name } = loaded
    const outDir = resolve(options.out ?? `study-${name}`)
    const batch = `study:${name}@${new Date().toISOString()}`
    const runs = await runPlanned(name, plan, batch, options, io)
    const unfinished = runs.map(failureOf).find((f) => f !== null)
    if (unfinished) throw unfinished
    const results = new Map(plan.map((p, i) => [p.id, runs[i]]))
    const claims = evaluateClaims(study.claims, results)
    const baselineId = study.baseline ?? plan[0].id
    const rows = plan.map((p, i) => ({
      id: p.id,
      label: p.label,
      runId: runs[i].id,
      baseline: p.id === baselineId,
      result: runs[i],
    }))
    const chartInputs = study.metrics.map((metric) => ({
      metric,
      bars: rows.map((r) => ({
        label: r.label,
        value: metricValue(r.result, metric),
        baseline: r.baseline,
      })),
    }))
    try {
      await mkdir(outDir, { recursive: true })
    } catch (err) {
      throw badInput(
        `--out ${outDir}: cannot be created (${(err as NodeJS.ErrnoException).code ?? String(err)}); pick a writable folder`,
      )
    }
    const svgs = await renderStudyCharts(chartInputs)
    const charts = svgs && study.metrics.map((metric) => ({ metric, file: `${metric}.svg` }))
    if (svgs && charts)
      for (const [i, c] of charts.entries()) await writeFileAtomic(join(outDir, c.file), svgs[i])
    const report: StudyReportData = {
      name,
      study,
      scale,
      engineVersion: runs[0]?.engineVersion ?? ENGINE_VERSION,
      dbPath: databasePath(options),
      batch,
      runs: rows,
      claims,
      charts,
    }
    const reportFile = join(outDir, 'report.md')
    await writeFileAtomic(reportFile, studyReportMarkdown(report))
    const failed = claims.filter((c) => !c.ok)
    if (options.json) {
      printJson(io, {
        study: name,
        batch,
        scale,
        report: reportFile,
        runs: rows.map((r) => ({
          variant: r.id,
          label: r.label,
          runId: r.runId,
          summary: r.result.summary,
        })),
        claims: claims.map((c) => ({
          ...c.claim,
          ok: c.ok,
          aValue: c.a,
          bValue: c.b,
          detail: c.detail,
        })),
      })
    } else {
      io.out(`Study ${name}: ${study.title}`)
      io.out(
        renderTable(
          ['variant', 'run', ...study.metrics.map(metricTitle)],
          rows.map((r) => [
            r.id,
            String(r.runId),
            ...study.metrics.map((m) => formatMetric(m, metricValue(r.result, m))),
          ]),
          [false, true, ...study.metrics.map(() => true)],
        ),
      )
      for (const c of claims) io.out(`${c.ok ? '✓' : '✗'} ${c.claim.metric}: ${c.detail}`)
      const shown = relative(process.cwd(), reportFile)
      io.out(`Report: ${shown.startsWith('..') ? reportFile : shown}`)
    }
    if (failed.length > 0)
      throw new CliError(
        `study ${name}: ${failed.length} of ${claims.length} claims do not hold (first: ${failed[0].claim.metric}, ${failed[0].detail}); the report says which`,
        EXIT_FAILURE,
      )
  })
}

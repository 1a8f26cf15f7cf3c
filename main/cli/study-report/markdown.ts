import type { Study } from '../../../shared/formats'
import { metricValue, type ClaimOutcome, type StudyRunResult } from '../../services/studies'
import { formatMetric, metricTitle } from './metric-info'

/** Everything the report shows about one finished study. */
export interface StudyReportData {
  name: string
  study: Study
  scale: number
  engineVersion: string
  dbPath: string
  batch: string
  runs: Array<{
    id: string
    label: string
    runId: number
    baseline: boolean
    result: StudyRunResult
  }>
  claims: ClaimOutcome[]
  /** The chart files next to report.md, per metric; null when charts could not be drawn. */
  charts: Array<{ metric: string; file: string }> | null
}

/** Markdown table cells must not contain a bare pipe. */
const cell = (s: string) => s.replace(/\|/g, '\\|')

function scaleText(scale: number): string {
  if (scale === 1) return 'at full size'
  const inverse = 1 / scale
  const fraction = Number.isInteger(inverse) ? `1/${inverse}` : String(scale)
  return `at ${fraction} of the memory and threads (\`--scale ${scale}\`; byte-valued knobs scaled alike)`
}

/** report.md: question, conclusion, results table, claims, charts and where the runs are. */
export function studyReportMarkdown(d: StudyReportData): string {
  const { study } = d
  const passed = d.claims.filter((c) => c.ok).length
  const out: string[] = [
    `# ${study.title}`,
    '',
    `**Question.** ${study.question}`,
    '',
    `**Conclusion.** ${study.conclusion}`,
    '',
  ]
  if (study.sources.length > 0) {
    out.push('Sources:', '', ...study.sources.map((s) => `- ${s}`), '')
  }
  out.push(
    `Study \`${d.name}\`, run ${scaleText(d.scale)} on engine ${d.engineVersion}.`,
    '',
    '## Results',
    '',
    `| variant | run | ${study.metrics.map((m) => cell(metricTitle(m))).join(' | ')} |`,
    `|---|---:|${study.metrics.map(() => '---:').join('|')}|`,
  )
  for (const r of d.runs) {
    const values = study.metrics.map((m) => formatMetric(m, metricValue(r.result, m)))
    const label = r.baseline ? `${r.label} (baseline)` : r.label
    out.push(`| ${cell(label)} \`${r.id}\` | ${r.runId} | ${values.join(' | ')} |`)
  }
  out.push('', `## Claims: ${passed} of ${d.claims.length} hold`, '')
  for (const c of d.claims) {
    const says = c.claim.says ? `${c.claim.says}: ` : ''
    out.push(`- ${c.ok ? '✓' : '✗'} ${says}${c.claim.metric}, ${c.detail}`)
  }
  if (d.claims.length === 0) out.push('(this study states no checkable claim)')
  out.push('', '## Charts', '')
  if (d.charts === null) {
    out.push(
      'Charts were not drawn: ECharts (a development dependency) is not installed; run `npm install` in the Tierlab checkout.',
    )
  } else {
    for (const c of d.charts) out.push(`![${metricTitle(c.metric)}](${c.file})`, '')
  }
  const ids = d.runs.map((r) => r.runId)
  const baseline = d.runs.find((r) => r.baseline)?.runId ?? ids[0]
  out.push(
    '',
    '## Runs in the archive',
    '',
    `Database \`${d.dbPath}\`, batch \`${d.batch}\`, tag \`study:${d.name}\`: run ids ${ids.join(', ')}.`,
    `Open them in the app's Compare (Runs → Studies → Open in Compare, or \`#/compare?runs=${ids.join(',')}&baseline=${baseline}\`), or \`tierlab show ID\`.`,
    '',
  )
  return out.join('\n')
}

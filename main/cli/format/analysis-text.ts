import type { AccessCoordinate, TopologyAnalysis } from '../../../shared/analysis'
import { formatIdList, renderTable } from './table'

const MiB_SHIFT = 20

function pad(n: number, width: number): string {
  return String(n).padStart(width)
}

/**
 * `numactl --hardware` as the kernel would report this machine: CPU ids numbered across sockets in
 * node order, sizes in MiB (numactl prints bytes >> 20 as "MB"), and the SLIT-like distances.
 */
function numactlHardware(analysis: TopologyAnalysis): string[] {
  const lines: string[] = []
  const ids = analysis.nodes.map((n) => n.node)
  lines.push(`available: ${ids.length} nodes (${formatIdList(ids)})`)
  let nextCpu = 0
  for (const n of analysis.nodes) {
    const cpus = Array.from({ length: n.cpus }, (_, i) => nextCpu + i)
    nextCpu += n.cpus
    lines.push(`node ${n.node} cpus:${cpus.length ? ' ' + formatIdList(cpus) : ''}`)
    lines.push(`node ${n.node} size: ${Math.floor(n.capacityBytes / 2 ** MiB_SHIFT)} MB`)
  }
  lines.push('node distances:')
  lines.push('node' + ids.map((id) => pad(id, 4)).join(''))
  analysis.distance.forEach((row, i) => {
    lines.push(`${pad(ids[i], 3)}:` + row.map((d) => pad(d, 4)).join(''))
  })
  return lines
}

const access = (a: AccessCoordinate | null, pick: (a: AccessCoordinate) => string) =>
  a ? pick(a) : '-'

/** Per node: what sysfs shows under nodeN/access1 and memory_tiering. */
function nodeTable(analysis: TopologyAnalysis): string {
  return renderTable(
    ['node', 'component', 'kind', 'media', 'read/write ns', 'read/write MB/s', 'adistance', 'tier'],
    analysis.nodes.map((n) => [
      n.node,
      n.component,
      n.kind,
      n.media,
      access(n.access1, (a) => `${a.readLatencyNs}/${a.writeLatencyNs}`),
      access(n.access1, (a) => `${a.readBandwidthMBps}/${a.writeBandwidthMBps}`),
      n.adistance,
      n.tier,
    ]),
    [true, false, false, false, true, true, true, true],
  )
}

/** The readable `tierlab analyze`: numactl's view, the access1 table, tiers and demotion. */
export function renderAnalysisText(name: string, file: string, analysis: TopologyAnalysis): string {
  const lines = [`${name} (${file})`, '', ...numactlHardware(analysis), '']
  lines.push('access1 (best CPU initiator):', nodeTable(analysis), '')
  lines.push('memory tiers (/sys/devices/virtual/memory_tiering):')
  for (const t of analysis.tiers) {
    lines.push(`  memory_tier${t.tier}/nodelist: ${formatIdList(t.nodes)}`)
  }
  const demotion = Object.entries(analysis.demotionTargets).filter(([, to]) => to.length > 0)
  lines.push(
    demotion.length
      ? `demotion targets: ${demotion.map(([from, to]) => `${from} -> ${formatIdList(to)}`).join('; ')}`
      : 'demotion targets: none',
  )
  if (analysis.warnings.length) {
    lines.push('', 'warnings:')
    for (const w of analysis.warnings) lines.push(`  - ${w.message}`)
  }
  return lines.join('\n')
}

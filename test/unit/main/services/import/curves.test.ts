import { describe, expect, it } from 'vitest'
import { detectMachineText } from '../../../../../main/services/import/detect'

/** A whole default `mlc` run (written in MLC 3.x's layout, CRLF as saved on Windows): four tables. */
const FULL_RUN = [
  'Intel(R) Memory Latency Checker - v3.11',
  'Measuring idle latencies for random access (in ns)...',
  '\t\tNuma node',
  'Numa node\t     0\t     1\t',
  '       0\t  82.0\t 129.6\t',
  '       1\t 131.1\t  81.6\t',
  '',
  'Measuring Memory Bandwidths between nodes within system ',
  'Bandwidths are in MB/sec (1 MB/sec = 1,000,000 Bytes/sec)',
  '\t\tNuma node',
  'Numa node\t     0\t     1\t',
  '       0\t110657.5\t34240.4\t',
  '       1\t34304.7\t110861.6\t',
  '',
  'Measuring Loaded Latencies for the system',
  'Using Read-only traffic type',
  'Inject\tLatency\tBandwidth',
  'Delay\t(ns)\tMB/sec',
  '==========================',
  ' 00000\t261.65\t 225060.9',
  ' 00100\t164.92\t 173186.0',
  ' 00500\t102.88\t  43187.0',
  ' 20000\t 84.01\t   1656.5',
  '',
  'Measuring cache-to-cache transfer latency (in ns)...',
  'Local Socket L2->L2 HIT  latency\t48.3',
].join('\r\n')

describe('MLC curves from whole runs', () => {
  it('takes only the loaded-latency table of a default mlc run', () => {
    const d = detectMachineText(FULL_RUN, 'mlc.txt')
    if (d.kind !== 'curve') throw new Error('not a curve')
    expect(d.curve.peakBandwidthMBps).toBe(225060.9)
    expect(d.curve.idleLatencyNs).toBe(84.01)
    expect(d.curve.points).toHaveLength(4)
    expect(d.curve.points[3]).toEqual({ utilisation: 1, latencyFactor: 261.65 / 84.01 })
  })

  it('says why a one-delay run (-d) is not a curve', () => {
    const oneRow = FULL_RUN.replace(/ 00100.*\r\n 00500.*\r\n 20000.*\r\n/, '')
    expect(() => detectMachineText(oneRow, 'mlc-d.txt')).toThrow(
      /mlc-d\.txt: has a loaded-latency table of one row \(one inject delay, as -d gives\)/,
    )
  })
})

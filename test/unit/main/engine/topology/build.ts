import { parseDocument } from '../../../../../shared/formats'
import type { Topology, TopologyInput } from '../../../../../shared/formats/topology'

/** Test helpers: small topologies written as files would be, parsed by the real schema. */
export function memory(
  readLatencyNs: number,
  readBandwidthGBps: number,
  over: Record<string, unknown> = {},
) {
  return {
    capacityGiB: 64,
    readLatencyNs,
    writeLatencyNs: readLatencyNs,
    readBandwidthGBps,
    writeBandwidthGBps: readBandwidthGBps,
    ...over,
  }
}

export function socket(id: string, m = memory(110, 300)) {
  return { id, kind: 'socket' as const, cores: 8, memory: m }
}

export function cxl(id: string, m = memory(140, 36)) {
  return { id, kind: 'cxl-memory' as const, memory: m }
}

export function gpu(id: string, coherent: boolean, m = memory(100, 3000)) {
  return { id, kind: 'gpu' as const, coherent, memory: m }
}

export function cxlSwitch(id: string, latencyNs: number) {
  return { id, kind: 'cxl-switch' as const, latencyNs }
}

export function link(a: string, b: string, latencyNs: number, bandwidthGBps: number) {
  return { a, b, kind: 'pcie' as const, latencyNs, bandwidthGBps }
}

export function gen5(a: string, b: string, lanes: 8 | 16, latencyNs: number) {
  return { a, b, kind: 'cxl' as const, generation: 5, lanes, latencyNs }
}

export function upi(a: string, b: string, latencyNs: number, bandwidthGBps: number) {
  return { a, b, kind: 'upi' as const, latencyNs, bandwidthGBps }
}

export function topology(
  components: TopologyInput['components'],
  links: NonNullable<TopologyInput['links']> = [],
): Topology {
  const res = parseDocument('topology', {
    format: 'tierlab.topology/v1',
    name: 'test',
    components,
    links,
  })
  if (!res.ok) throw new Error(`test topology is invalid: ${JSON.stringify(res.issues)}`)
  return res.value
}

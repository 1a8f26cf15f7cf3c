/** Sockets in a UPI chain, a CXL switch under each, expanders spread over the switches. */
export function bigTopology(total: number) {
  const sockets = Math.max(1, Math.round(total / 12))
  const switches = sockets
  const expanders = Math.max(0, total - sockets - switches)
  const memory = (capacityGiB: number, latencyNs: number, bandwidthGBps: number) => ({
    capacityGiB,
    media: 'DDR5',
    readLatencyNs: latencyNs,
    writeLatencyNs: latencyNs,
    readBandwidthGBps: bandwidthGBps,
    writeBandwidthGBps: bandwidthGBps,
  })
  const components: unknown[] = []
  const links: unknown[] = []
  for (let s = 0; s < sockets; s++) {
    components.push({ id: `s${s}`, kind: 'socket', cores: 32, memory: memory(256, 110, 307.2) })
    if (s > 0)
      links.push({ a: `s${s - 1}`, b: `s${s}`, kind: 'upi', latencyNs: 54, bandwidthGBps: 55.7 })
    components.push({ id: `sw${s}`, kind: 'cxl-switch', latencyNs: 70 })
    links.push({ a: `s${s}`, b: `sw${s}`, kind: 'cxl', generation: 5, lanes: 16, latencyNs: 70 })
  }
  for (let e = 0; e < expanders; e++) {
    components.push({
      id: `cxl${e}`,
      kind: 'cxl-memory',
      memory: memory(128, 170 + (e % 5) * 20, 36),
    })
    links.push({
      a: `sw${e % switches}`,
      b: `cxl${e}`,
      kind: 'cxl',
      generation: 5,
      lanes: 8,
      latencyNs: 70,
    })
  }
  return { format: 'tierlab.topology/v1', name: `Bench ${total} components`, components, links }
}

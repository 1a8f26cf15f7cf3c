import type { SimCore } from './core'
import { UNREACHABLE_LATENCY_NS, type SimPath } from './machine'

/**
 * Where each thread of each process runs. A process starts with all its threads on its workload
 * initiator; a policy may move a thread or swap two (task_numa_migrate's move and swap [FAIR]).
 * While a process's threads sit on one socket, its paths are the machine's own (no cost, the same
 * arithmetic as before threads could move). Once they are split, its accesses are spread over its
 * threads evenly, so each node is reached through a blend of the sockets' paths: idle latency
 * weighted by thread share, every link any share crosses listed with that share (the
 * performance model loads a link and adds its queueing delay in proportion).
 */
export class ThreadPlacement {
  /** initiator index of each thread of each process */
  private readonly threadIni: Int32Array[]
  private readonly splitFlag: Uint8Array
  /** Blended paths per process (null while not split), indexed by node. */
  private readonly blended: Array<Array<SimPath | null> | null>
  /** Individual thread socket changes over the run. */
  migrations = 0

  constructor(private readonly core: SimCore) {
    this.threadIni = core.w.processes.map((p, i) =>
      new Int32Array(Math.max(1, p.threads)).fill(core.procInitiator[i]),
    )
    this.splitFlag = new Uint8Array(core.P)
    this.blended = core.w.processes.map(() => null)
  }

  count(p: number): number {
    return this.threadIni[p].length
  }

  split(p: number): boolean {
    return this.splitFlag[p] === 1
  }

  initiatorOf(p: number, t: number): number {
    return this.threadIni[p][t]
  }

  homeNode(p: number, t: number): number {
    return this.core.m.initiators[this.threadIni[p][t]].homeNode
  }

  path(p: number, node: number): SimPath | null | undefined {
    const b = this.blended[p]
    return b === null ? undefined : b[node]
  }

  /** Each initiator the process's threads use, with its share of the threads. */
  groups(p: number): Array<{ initiator: number; share: number }> {
    const ini = this.threadIni[p]
    const counts = new Map<number, number>()
    for (let t = 0; t < ini.length; t++) counts.set(ini[t], (counts.get(ini[t]) ?? 0) + 1)
    return [...counts.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([initiator, n]) => ({ initiator, share: n / ini.length }))
  }

  /** Moves thread t of process p to initiator k; returns whether it moved. */
  set(p: number, t: number, k: number): boolean {
    const ini = this.threadIni[p]
    if (ini[t] === k) return false
    ini[t] = k
    this.migrations++
    this.refresh(p)
    return true
  }

  /** Moves every thread of p to k; returns how many moved. */
  setAll(p: number, k: number): number {
    const ini = this.threadIni[p]
    let moved = 0
    for (let t = 0; t < ini.length; t++)
      if (ini[t] !== k) {
        ini[t] = k
        moved++
      }
    this.migrations += moved
    if (moved > 0) this.refresh(p)
    return moved
  }

  private refresh(p: number): void {
    const c = this.core
    const ini = this.threadIni[p]
    c.setInitiator(p, ini[0])
    let same = true
    for (let t = 1; t < ini.length; t++) if (ini[t] !== ini[0]) same = false
    this.splitFlag[p] = same ? 0 : 1
    this.blended[p] = same ? null : this.blend(this.groups(p))
  }

  private blend(groups: Array<{ initiator: number; share: number }>): Array<SimPath | null> {
    const c = this.core
    const out: Array<SimPath | null> = []
    for (let n = 0; n < c.N; n++) {
      let readNs = 0
      let writeNs = 0
      const links: number[] = []
      const dirs: number[] = []
      const shares: number[] = []
      let reachable = false
      for (const g of groups) {
        const path = c.m.paths[g.initiator * c.N + n]
        if (!path) {
          readNs += g.share * UNREACHABLE_LATENCY_NS
          writeNs += g.share * UNREACHABLE_LATENCY_NS
          continue
        }
        reachable = true
        readNs += g.share * path.readNs
        writeNs += g.share * path.writeNs
        for (let h = 0; h < path.links.length; h++) {
          let k = 0
          while (k < links.length && !(links[k] === path.links[h] && dirs[k] === path.writeDir[h]))
            k++
          if (k === links.length) {
            links.push(path.links[h])
            dirs.push(path.writeDir[h])
            shares.push(0)
          }
          shares[k] += g.share
        }
      }
      out.push(
        reachable
          ? {
              readNs,
              writeNs,
              links: Int32Array.from(links),
              writeDir: Uint8Array.from(dirs),
              linkShare: Float64Array.from(shares),
            }
          : null,
      )
    }
    return out
  }
}

import type { LruAging } from '../kernel'
import type { MigrationMode, MigrationOutcome } from '../policies/api'
import type { SimCore } from './core'
import { NODE_SHIFT, PREV_MASK, PREV_SHIFT, UNALLOCATED } from './frames'
import type { HintFaultScanner } from './telemetry/hint-faults'

/**
 * The migration path (mm/migrate.c [MIG]): the target must keep its high watermark plus the
 * frame free, else the move fails and the target's kswapd is woken; a move costs CPU per frame
 * (kernel/migration-cost [MIGOFF]) — synchronous moves are charged to the process that asked
 * (slowing it), asynchronous ones to a kernel thread on the target's socket — and its bytes load
 * the source, the target and the links between them in the next epoch. Every move is counted:
 * promotion (to a faster tier), demotion (to a slower one), exchange, and ping-pong when a frame
 * returns to the node it left within the ping-pong window.
 */
export class Migrator {
  scanner: HintFaultScanner | null = null
  /** kswapd's aging: a migrated frame starts young. */
  lru: LruAging | null = null
  /** Woken by a failed promotion, kswapd starts reclaiming at once (it runs concurrently). */
  kswapd: { runNode(node: number): void } | null = null

  /** The initiator of each node's kswapd/kmigrated CPU (the copier of asynchronous moves). */
  private readonly kernelCopier: Int32Array

  constructor(private readonly core: SimCore) {
    const m = core.m
    this.kernelCopier = Int32Array.from(
      m.nodes.map((n) => m.initiatorIndex.get(m.nodes[n.cpuNode].component) ?? 0),
    )
  }

  /** Room for one more frame above the high watermark [MIG]. */
  hasRoom(node: number): boolean {
    const c = this.core
    return c.freeBytes(node) - c.pageBytes >= c.m.nodes[node].watermarks.highBytes
  }

  migrate(
    f: number,
    target: number,
    mode: MigrationMode,
    chargeProcess?: number,
  ): MigrationOutcome {
    const c = this.core
    const src = c.frames.state[f] >>> NODE_SHIFT
    if (src === UNALLOCATED) return 'not-allocated'
    if (src === target) return 'same-node'
    if (!this.hasRoom(target)) {
      c.counters.failedMigrations++
      c.kswapdWake[target] = 1
      this.kswapd?.runNode(target)
      return 'no-memory'
    }
    this.moveFrame(f, target, mode, chargeProcess)
    return 'migrated'
  }

  exchange(a: number, b: number, mode: MigrationMode, chargeProcess?: number): MigrationOutcome {
    const c = this.core
    const na = c.frames.node[a]
    const nb = c.frames.node[b]
    if (na === UNALLOCATED || nb === UNALLOCATED) return 'not-allocated'
    if (na === nb) return 'same-node'
    this.moveFrame(a, nb, mode, chargeProcess)
    this.moveFrame(b, na, mode, chargeProcess)
    c.counters.exchanges++
    return 'migrated'
  }

  /** Moves without the watermark gate (the caller checked, e.g. kswapd's demotion target test). */
  moveFrame(f: number, target: number, mode: MigrationMode, chargeProcess?: number): void {
    const c = this.core
    const fr = c.frames
    const s0 = fr.state[f]
    const src = s0 >>> NODE_SHIFT
    const prev = (s0 & PREV_MASK) >>> PREV_SHIFT
    c.move(f, target)
    const scanner = this.scanner
    if (scanner !== null) {
      scanner.onMigrated(f)
      scanner.afterChange(f)
    }
    if (this.lru !== null) this.lru.ages[f] = 0
    if (prev === target && c.epoch - fr.lastMoveEpoch[f] <= c.pingPongWindowEpochs)
      c.counters.pingPongs++
    fr.state[f] = (fr.state[f] & ~PREV_MASK) | (src << PREV_SHIFT)
    fr.lastMoveEpoch[f] = c.epoch
    const bytes = c.pageBytes
    c.counters.migratedBytes += bytes
    c.migratedToNodeBytes[target] += bytes
    const from = c.tierOrdinal[src]
    const to = c.tierOrdinal[target]
    if (to < from) {
      c.counters.promotions++
      c.counters.promotedBytes += bytes
    } else if (to > from) {
      c.counters.demotions++
      c.counters.demotedBytes += bytes
    }
    const cost = c.migrationCpuSPerFrame
    c.counters.policyCpuS += cost
    let copier: number
    if (mode === 'sync' && chargeProcess !== undefined) {
      c.procDebtS[chargeProcess] += cost
      copier = c.procInitiator[chargeProcess]
    } else {
      const cpuNode = c.m.nodes[target].cpuNode
      c.kernelCpuS[cpuNode] += cost
      copier = this.kernelCopier[target]
    }
    c.addMigrationTraffic(src, target, copier, bytes)
  }
}

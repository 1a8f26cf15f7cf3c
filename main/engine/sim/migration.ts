import type { LruAging, MigrationCostTable } from '../kernel'
import { migrationNsPerFrame } from '../kernel'
import type { MigrateOptions, MigrationMode, MigrationOutcome } from '../vocabulary'
import type { SimCore } from './core'
import { CPU } from './cpu-ledger'
import { NODE_SHIFT, PREV_MASK, PREV_SHIFT, UNALLOCATED } from './frames'
import type { MigrationQueues } from './migration-queue'
import { REMAP_CPU_SHARE, type ShadowCopies } from './shadow-copies'
import type { TelemetryHub } from './telemetry/sources'

/** Whose CPU a move takes: a process's faulting thread (>= 0) or the target's kernel thread. */
export const KERNEL = -1

/**
 * The migration path (mm/migrate.c [MIG]): the target must keep its high watermark plus the
 * frame free, else the move fails and the target's kswapd is woken. A synchronous move happens
 * now, in the faulting thread (migrate_misplaced_folio: one folio per call, so it pays the single
 * figure of kernel/migration-cost [MIGOFF]) and slows its process; an asynchronous one is queued
 * on the target node's kernel thread (migration-queue.ts), which moves it later in batches. Bytes
 * moved load the source, the target and the links between them in the next epoch. Every move is
 * counted: promotion (to a faster tier), demotion (to a slower one), exchange, and ping-pong when
 * a frame returns to the node it left within the ping-pong window.
 */
export class Migrator {
  hub: TelemetryHub | null = null
  /** kswapd's aging: a migrated frame starts young. */
  lru: LruAging | null = null
  /** Woken by a failed promotion, kswapd starts reclaiming at once (it runs concurrently). */
  kswapd: { runNode(node: number): void } | null = null
  queues: MigrationQueues | null = null
  /** Shadow copies of non-exclusive tiering (shadow-copies.ts); inert until a move asks. */
  shadows: ShadowCopies | null = null
  /** CPU seconds of one frame migrated alone (a fault's promotion, an exchange). */
  readonly singleS: number

  /** The initiator of each node's kernel-thread CPU (the copier of asynchronous moves). */
  private readonly kernelCopier: Int32Array
  private readonly devicePrivate: Uint8Array

  constructor(
    private readonly core: SimCore,
    readonly costTable: MigrationCostTable,
  ) {
    const m = core.m
    this.kernelCopier = Int32Array.from(
      m.nodes.map((n) => m.initiatorIndex.get(m.nodes[n.cpuNode].component) ?? 0),
    )
    this.singleS = this.costS(1)
    this.devicePrivate = Uint8Array.from(m.nodes.map((n) => (n.kind === 'gpu-private' ? 1 : 0)))
  }

  /** CPU seconds per frame when `batch` frames move in one call. */
  costS(batch: number): number {
    return migrationNsPerFrame(this.costTable, this.core.pageBytes, batch) * 1e-9
  }

  /** Room for one more frame above the high watermark [MIG]. */
  hasRoom(node: number): boolean {
    const c = this.core
    return c.freeBytes(node) - c.pageBytes >= c.m.nodes[node].watermarks.highBytes
  }

  /** The failed-target path: counted, and the target's kswapd woken now. */
  noMemory(target: number): MigrationOutcome {
    const c = this.core
    c.counters.failedMigrations++
    c.kswapdWake[target] = 1
    this.kswapd?.runNode(target)
    return 'no-memory'
  }

  migrate(
    f: number,
    target: number,
    mode: MigrationMode,
    opts?: number | MigrateOptions,
  ): MigrationOutcome {
    const c = this.core
    if (!(target >= 0 && target < c.N) || c.m.nodes[target].capacityBytes <= 0)
      return 'not-migratable'
    const src = c.frames.state[f] >>> NODE_SHIFT
    if (src === UNALLOCATED) return 'not-allocated'
    if (src === target) return 'same-node'
    const o = typeof opts === 'number' ? { chargeProcess: opts } : (opts ?? {})
    if (o.keepShadow && this.shadows) this.shadows.request(f, mode === 'async')
    if (mode === 'async' && this.queues) {
      this.queues.enqueue(f, target, o.kernelThread ?? 'kmigrated')
      return 'queued'
    }
    if (!this.hasRoom(target)) return this.noMemory(target)
    this.moveFrame(f, target, o.chargeProcess ?? KERNEL, this.singleS)
    return 'migrated'
  }

  /** Both frames move now (the exchange is one operation), each at the single-folio cost. */
  exchange(a: number, b: number, mode: MigrationMode, chargeProcess?: number): MigrationOutcome {
    const c = this.core
    const na = c.frames.node[a]
    const nb = c.frames.node[b]
    if (na === UNALLOCATED || nb === UNALLOCATED) return 'not-allocated'
    if (na === nb) return 'same-node'
    const payer = mode === 'sync' && chargeProcess !== undefined ? chargeProcess : KERNEL
    this.moveFrame(a, nb, payer, this.singleS)
    this.moveFrame(b, na, payer, this.singleS)
    c.counters.exchanges++
    return 'migrated'
  }

  /**
   * Moves without the watermark gate (the caller checked), charging `costS` CPU seconds to the
   * payer: process `payer`, or (KERNEL) the kernel thread of the target node. Returns false when a
   * transactional promotion aborted (shadow-copies.ts): the copy was paid, the frame stayed.
   */
  moveFrame(f: number, target: number, payer: number, costS: number): boolean {
    const c = this.core
    const fr = c.frames
    const s0 = fr.state[f]
    const src = s0 >>> NODE_SHIFT
    const prev = (s0 & PREV_MASK) >>> PREV_SHIFT
    const sh = this.shadows
    const verdict = sh ? sh.beforeMove(f, src, target) : 'copy'
    if (verdict === 'abort') {
      this.charge(payer, target, costS, src, c.pageBytes)
      return false
    }
    // A split frame carries only the base pages still with it (split-frames.ts).
    const bytes = c.splits === null ? c.pageBytes : c.splits.bytesWithFrame(f)
    c.move(f, target)
    if (c.splits !== null) c.splits.frameMoved(f)
    this.hub?.frameMoved(f)
    if (this.lru !== null) this.lru.ages[f] = 0
    if (prev === target && c.epoch - fr.lastMoveEpoch[f] <= c.pingPongWindowEpochs)
      c.counters.pingPongs++
    fr.state[f] = (fr.state[f] & ~PREV_MASK) | (src << PREV_SHIFT)
    fr.lastMoveEpoch[f] = c.epoch
    const copied = verdict === 'copy' ? bytes : 0
    c.counters.migratedBytes += copied
    c.migratedToNodeBytes[target] += copied
    const from = c.tierOrdinal[src]
    const to = c.tierOrdinal[target]
    // Into or out of device-private memory is neither (sim/device-private.ts).
    if (this.devicePrivate[src] === 1 || this.devicePrivate[target] === 1) {
      // counted as migrated bytes only
    } else if (to < from) {
      c.counters.promotions++
      c.counters.promotedBytes += bytes
    } else if (to > from) {
      c.counters.demotions++
      c.counters.demotedBytes += bytes
    }
    // A remap onto a clean shadow pays the migration's work but the copy, and moves no bytes.
    this.charge(payer, target, copied ? costS : costS * REMAP_CPU_SHARE, src, copied)
    sh?.afterMove(f, src, target)
    return true
  }

  /** A move's CPU (the payer's) and its copy traffic. */
  charge(payer: number, target: number, costS: number, src: number, bytes: number): void {
    const c = this.core
    let copier: number
    if (payer >= 0) {
      c.cpu.toProcess(payer, costS, CPU.migration)
      copier = c.procInitiator[payer]
    } else {
      c.cpu.toKernel(target, costS, CPU.migration)
      copier = this.kernelCopier[target]
    }
    if (bytes > 0) this.addTraffic(src, target, copier, bytes)
  }

  /** Copy traffic for moving bytes from `src` to `dst`, done by a CPU of `copier`. */
  private addTraffic(src: number, dst: number, copierInitiator: number, bytes: number): void {
    const c = this.core
    c.migReadBytes[src] += bytes
    c.migWriteBytes[dst] += bytes
    const rp = c.m.paths[copierInitiator * c.N + src]
    if (rp)
      for (let h = 0; h < rp.links.length; h++)
        c.migLinkBytes[rp.links[h] * 2 + (1 - rp.writeDir[h])] += bytes
    const wp = c.m.paths[copierInitiator * c.N + dst]
    if (wp)
      for (let h = 0; h < wp.links.length; h++)
        c.migLinkBytes[wp.links[h] * 2 + wp.writeDir[h]] += bytes
  }
}

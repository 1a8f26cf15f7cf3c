import { z } from 'zod'
import type {
  AccessSample,
  AccessedBitScan,
  CxlHotRecord,
  GpuCounterNotification,
  HintFault,
  MigrateOptions,
  PolicyContext,
  PolicyDefinition,
  PolicyInstance,
} from '../api'
import { PolicyScriptError } from './errors'
import { scriptKnobs } from './knobs'
import type { BridgeArg, BridgeMethod, HostFunctions, ScriptSandbox } from './sandbox'
import { reclaimSchema, subscriptionChangesSchema, subscriptionsSchema } from './subscriptions'

/**
 * The ONE place that knows today's policy API (policies/api.ts): it turns a loaded script into a
 * PolicyDefinition whose hooks cross into the sandbox. Re-targeting user policies to a new engine
 * API touches this file (and the prelude's context object), nothing else.
 *
 * Crossings are batched where the engine batches: an epoch's samples, CXL records and GPU
 * notifications cross as one Float64Array each; a script that wants an epoch's hint faults at once
 * defines `onHintFaults(faults, ctx)` and gets them as one array after the epoch's faults were
 * counted. `onHintFault` (one fault at a time, in the engine's time order, between the kernel's
 * books of one fault and the next) is what a byte-identical clone of a built-in needs. Actions
 * (migrate, exchange, …) are host calls that answer at once, as the API's return values require.
 */

interface ScriptMeta {
  name?: unknown
  description?: unknown
  knobs?: unknown
  series?: unknown
  hooks: Record<'subscriptions' | 'reclaim' | 'create', string>
}

/** A script's own series, as a built-in declares them (`ctx.publish(name, value)` fills them). */
const seriesSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { error: 'series names are identifiers' }),
  z.strictObject({
    label: z.string().min(1).max(120),
    unit: z.string().max(40),
    better: z.enum(['higher', 'lower', 'neutral']).optional(),
  }),
)

const MIGRATION_OUTCOMES = [
  'migrated',
  'no-memory',
  'same-node',
  'not-allocated',
  'queued',
  'not-migratable',
] as const
const SPLIT_OUTCOMES = ['split', 'already-split', 'not-huge', 'not-allocated'] as const

export interface ScriptPolicyInfo {
  def: PolicyDefinition
  name: string
  description: string
}

function parseMeta(fileName: string, json: string): ScriptMeta {
  return JSON.parse(json) as ScriptMeta
}

function checkedJson<T>(
  fileName: string,
  what: string,
  json: unknown,
  schema: z.ZodType<T>,
  fix: string,
  verb = 'returned',
): T {
  const res = schema.safeParse(typeof json === 'string' ? JSON.parse(json) : undefined)
  if (res.success) return res.data
  const issue = res.error.issues[0]
  const path = issue.path.map(String).join('.')
  throw new PolicyScriptError(
    fileName,
    `${what} ${verb} a bad value${path ? ` at "${path}"` : ''}: ${issue.message.replace(/^Invalid input: /, '')}; ${fix}`,
  )
}

/** What host functions leave for the dispatcher to finish once the hook call returned. */
interface HostState {
  subscribePending: boolean
  /** Base pages a script's migrateBasePages passes one host call each, before the move itself. */
  basePages: number[]
}

/** Alphabet of kernel-thread names crossing as numbers (prelude.ts encodes, 8 characters per number). */
const NAME_ALPHABET = ' abcdefghijklmnopqrstuvwxyz0123456789-_'

function decodeName(parts: readonly number[]): string {
  let out = ''
  for (const part of parts) {
    let v = part
    let chunk = ''
    for (let i = 0; i < 8; i++) {
      chunk = NAME_ALPHABET[v % NAME_ALPHABET.length] + chunk
      v = Math.floor(v / NAME_ALPHABET.length)
    }
    out += chunk
  }
  return out.trim()
}

/** Host side of the sandbox's `H` functions for one run's context. */
function hostFunctions(
  ctx: PolicyContext,
  ev: Float64Array,
  seriesNames: readonly string[],
  state: HostState,
): HostFunctions {
  const sockets = ctx.analysis.initiators.filter((i) => i.kind === 'socket').map((i) => i.component)
  const mode = (m: number) => (m === 1 ? 'async' : 'sync')
  const options = (p: number, k0: number, k1: number, k2: number): MigrateOptions | undefined => {
    const kernelThread = k0 > 0 ? decodeName([k0, k1, k2]) : undefined
    if (kernelThread === undefined) return p >= 0 ? { chargeProcess: p } : undefined
    return p >= 0 ? { chargeProcess: p, kernelThread } : { kernelThread }
  }
  const charge = (p: number) => (p >= 0 ? p : undefined)
  return {
    ev: (a) => ev[a[0]],
    nowS: () => ctx.nowS,
    epoch: () => ctx.epoch,
    rngNext: () => ctx.rng.next(),
    rngUint32: () => ctx.rng.nextUint32(),
    rngInt: (a) => ctx.rng.nextInt(a[0]),
    rngExp: (a) => ctx.rng.exp(a[0]),
    rngNormal: () => ctx.rng.normal(),
    freeBytes: (a) => ctx.nodeFreeBytes(a[0]),
    usedBytes: (a) => ctx.nodeUsedBytes(a[0]),
    counter: (a) => {
      const c = ctx.nodeCounters(a[0])
      return [c.readBytesPerS, c.writeBytesPerS, c.utilisation, c.loadedLatencyNs][a[1]] ?? NaN
    },
    frameNode: (a) => ctx.frameNode(a[0]),
    checkAccessed: (a) => (ctx.checkAccessed(a[0]) ? 1 : 0),
    migrate: (a) =>
      MIGRATION_OUTCOMES.indexOf(
        ctx.migrate(a[0], a[1], mode(a[2]), options(a[3], a[4] ?? 0, a[5] ?? 0, a[6] ?? 0)),
      ),
    exchange: (a) => MIGRATION_OUTCOMES.indexOf(ctx.exchange(a[0], a[1], mode(a[2]), charge(a[3]))),
    moveThreads: (a) => {
      ctx.moveThreads(a[0], sockets[a[1]])
      return ctx.processes[a[0]].homeNode
    },
    wakeKswapd: (a) => {
      ctx.wakeKswapd(a[0])
      return 0
    },
    chargeCpu: (a) => {
      ctx.chargeCpu(a[0], a[1] === 0 ? { process: a[2] } : { kernelNode: a[2] })
      return 0
    },
    publish: (a) => {
      ctx.publish(seriesNames[a[0]], a[1])
      return 0
    },
    migratedToNodeBytes: (a) => ctx.migratedToNodeBytes(a[0]),
    queuedToNode: (a) => ctx.queuedToNode(a[0]),
    threadSocket: (a) => sockets.indexOf(ctx.threadSocket(a[0], a[1])),
    moveThread: (a) => {
      ctx.moveThread(a[0], a[1], sockets[a[2]])
      return 0
    },
    swapThreads: (a) => {
      ctx.swapThreads(a[0], a[1], a[2], a[3])
      return 0
    },
    homeNode: (a) => ctx.processes[a[0]].homeNode,
    splitFrame: (a) => {
      if (!ctx.splitFrame) throw new Error('splitFrame: this run cannot split frames')
      return SPLIT_OUTCOMES.indexOf(ctx.splitFrame(a[0]))
    },
    isSplit: (a) => (ctx.isSplit?.(a[0]) ? 1 : 0),
    basePageNode: (a) => (ctx.basePageNode ? ctx.basePageNode(a[0], a[1]) : ctx.frameNode(a[0])),
    stageBasePage: (a) => state.basePages.push(a[0]),
    migrateBasePages: (a) => {
      const pages = state.basePages.splice(0)
      if (!ctx.migrateBasePages) throw new Error('migrateBasePages: this run cannot split frames')
      const o = options(a[3], a[4] ?? 0, a[5] ?? 0, a[6] ?? 0)
      return MIGRATION_OUTCOMES.indexOf(ctx.migrateBasePages(a[0], pages, a[1], mode(a[2]), o))
    },
    subscribe: () => {
      // The changes wait in the sandbox as JSON; the host takes and checks them when the hook
      // returns (the telemetry hub applies changes from the next epoch either way).
      state.subscribePending = true
      return 0
    },
  }
}

/** What the sandbox sees of the machine once: static facts as plain JSON. */
function environment(ctx: PolicyContext): string {
  const nodes = Array.from({ length: ctx.nodeCount }, (_, n) => n)
  return JSON.stringify({
    analysis: ctx.analysis,
    pageBytes: ctx.pageBytes,
    epochS: ctx.epochS,
    nodeCount: ctx.nodeCount,
    totalFrames: ctx.totalFrames,
    processes: ctx.processes.map((p) => ({ ...p })),
    regions: ctx.regions,
    sockets: ctx.analysis.initiators.filter((i) => i.kind === 'socket').map((i) => i.component),
    topTier: nodes.map((n) => (ctx.isTopTier(n) ? 1 : 0)),
    tierOrdinal: nodes.map((n) => ctx.tierOrdinal(n)),
    capacityBytes: nodes.map((n) => ctx.nodeCapacityBytes(n)),
    watermarks: nodes.map((n) => ctx.watermarks(n)),
    cpuNode: nodes.map((n) => ctx.nearestCpuNode(n)),
    subscriptions: ctx.subscriptions(),
  })
}

/** Piecewise hint-fault cut-off of one epoch: latencyMs[i] up to untilMs[i], the last beyond. */
interface Cutoff {
  untilMs: number[]
  latencyMs: number[]
}

function evalCutoff(c: Cutoff, tMs: number): number {
  for (let i = 0; i < c.untilMs.length; i++) if (tMs <= c.untilMs[i]) return c.latencyMs[i]
  return c.latencyMs[c.latencyMs.length - 1]
}

/** Numbers one event carries into the sandbox at most (a hint fault: 10). */
const EVENT_SLOTS = 16

/**
 * Applies what the script passed to `ctx.subscribe` during the hook call that just returned: each
 * change is checked on the host (nothing from the sandbox is trusted), then the sandbox's view of
 * `ctx.subscriptions()` is refreshed from the engine's.
 */
function applySubscriptions(sb: ScriptSandbox, ctx: PolicyContext): void {
  const changes = JSON.parse(sb.call('takeSubs', [], 'ctx.subscribe') as string) as string[]
  for (const json of changes)
    ctx.subscribe(
      checkedJson(
        sb.fileName,
        'ctx.subscribe(changes)',
        json,
        subscriptionChangesSchema,
        'pass e.g. { samples: { period: 199 } }, or { samples: null } to stop a source',
        'was given',
      ),
    )
  sb.call('setSubs', [JSON.stringify(ctx.subscriptions())], 'ctx.subscribe')
}

/** Builds the instance: only the hooks the script defined exist, so the engine skips the rest. */
function instanceFor(
  sb: ScriptSandbox,
  ctx: PolicyContext,
  hooks: string[],
  seriesNames: readonly string[],
): PolicyInstance {
  const ev = new Float64Array(EVENT_SLOTS)
  const state: HostState = { subscribePending: false, basePages: [] }
  sb.bind(hostFunctions(ctx, ev, seriesNames, state))
  const has = new Set(hooks)
  const settle = (): void => {
    if (!state.subscribePending) return
    state.subscribePending = false
    applySubscriptions(sb, ctx)
  }
  const call = (m: BridgeMethod, what: string, args: BridgeArg[] = []) => {
    sb.enterSecond(Math.floor(ctx.nowS))
    const out = sb.call(m, args, what)
    settle()
    return out
  }
  const bare = (m: BridgeMethod, what: string): number => {
    sb.enterSecond(Math.floor(ctx.nowS))
    const out = sb.callBare(m, what)
    settle()
    return out
  }
  // Batched faults wait here until the next hook of the epoch (onEpoch at the latest).
  let pending: number[] = []
  const flush = (): void => {
    if (pending.length === 0) return
    const batch = Float64Array.from(pending)
    pending = []
    call('faults', 'onHintFaults', [batch])
  }
  const inst: PolicyInstance = {}
  if (has.has('place'))
    inst.place = (req) => {
      flush()
      ev[0] = req.frame
      ev[1] = req.region
      ev[2] = req.process
      ev[3] = req.defaultNode
      ev[4] = req.sequence
      return bare('place', 'place')
    }
  if (has.has('onHintFault'))
    inst.onHintFault = (f: HintFault) => {
      // Straight into the prelude's array when the sandbox found it, else read back with H.ev.
      const out = sb.eventSlots() ?? ev
      out[0] = f.frame
      out[1] = f.node
      out[2] = f.process
      out[3] = f.cpuNode
      out[4] = f.faultTimeMs
      out[5] = f.scanTimeMs
      out[6] = f.thread
      out[7] = f.lastCpuNode
      out[8] = f.lastProcess
      out[9] = f.private ? 1 : 0
      bare('fault', 'onHintFault')
    }
  else if (has.has('onHintFaults'))
    inst.onHintFault = (f: HintFault) => {
      pending.push(
        f.frame,
        f.node,
        f.process,
        f.cpuNode,
        f.faultTimeMs,
        f.scanTimeMs,
        f.thread,
        f.lastCpuNode,
        f.lastProcess,
        f.private ? 1 : 0,
      )
    }
  if (has.has('onSamples'))
    inst.onSamples = (samples: readonly AccessSample[]) => {
      flush()
      const a = new Float64Array(samples.length * 6)
      samples.forEach((s, i) =>
        a.set([s.frame, s.node, s.process, s.latencyNs, s.write ? 1 : 0, s.basePage ?? -1], i * 6),
      )
      call('samples', 'onSamples', [a])
    }
  if (has.has('onCxlHotRecords'))
    inst.onCxlHotRecords = (node: number, recs: readonly CxlHotRecord[]) => {
      flush()
      const a = new Float64Array(recs.length * 2)
      recs.forEach((r, i) => a.set([r.frame, r.count], i * 2))
      call('cxl', 'onCxlHotRecords', [node, a])
    }
  if (has.has('onGpuCounter'))
    inst.onGpuCounter = (notes: readonly GpuCounterNotification[]) => {
      flush()
      const a = new Float64Array(notes.length * 5)
      notes.forEach((n, i) => a.set([n.process, n.frame, n.node, n.count, n.frames ?? 0], i * 5))
      call('gpu', 'onGpuCounter', [a])
    }
  if (has.has('onAccessedBits'))
    inst.onAccessedBits = (scan: AccessedBitScan) => {
      flush()
      call('abits', 'onAccessedBits', [scan.node, scan.checked, Float64Array.from(scan.accessed)])
    }
  if (has.has('onEpoch') || has.has('onHintFaults'))
    inst.onEpoch = () => {
      flush()
      if (has.has('onEpoch')) bare('epoch', 'onEpoch')
    }
  if (has.has('nextScanPeriodMs'))
    inst.nextScanPeriodMs = (pass) => {
      ev[0] = pass.process
      ev[1] = pass.periodMs
      ev[2] = pass.rssBytes
      return bare('nextScan', 'nextScanPeriodMs')
    }
  if (has.has('ignoredHintFaultLatencyMs')) {
    // Asked once per epoch (at the engine's first question in it, before any fault of the epoch
    // is delivered, as a built-in's cached bound is), then evaluated on the host per frame.
    let epoch = -1
    let cutoff: Cutoff = { untilMs: [], latencyMs: [Infinity] }
    inst.ignoredHintFaultLatencyMs = (tMs) => {
      if (epoch !== ctx.epoch) {
        epoch = ctx.epoch
        const raw = JSON.parse(call('cutoff', 'ignoredHintFaultLatencyMs') as string) as {
          untilMs: number[]
          latencyMs: Array<number | null>
        }
        cutoff = {
          untilMs: raw.untilMs.map(Number),
          latencyMs: raw.latencyMs.map((v) => (v === null ? Infinity : Number(v))),
        }
      }
      return evalCutoff(cutoff, tMs)
    }
  }
  return inst
}

/** A PolicyDefinition backed by a loaded sandbox (the module is already evaluated in it). */
export function scriptDefinition(
  sb: ScriptSandbox,
  id: string,
  metaJson: string,
): ScriptPolicyInfo {
  const file = sb.fileName
  const meta = parseMeta(file, metaJson)
  if (typeof meta.name !== 'string' || meta.name.trim() === '')
    throw new PolicyScriptError(file, 'its default export has no `name`; add name: "my policy"')
  if (meta.hooks.create !== 'function')
    throw new PolicyScriptError(
      file,
      'its default export has no create(knobs, ctx) function; add one that returns the hooks',
    )
  const description = typeof meta.description === 'string' ? meta.description : ''
  const schema = scriptKnobs(file, meta.knobs)
  const seriesRes = seriesSchema.safeParse(meta.series ?? {})
  if (!seriesRes.success) {
    const issue = seriesRes.error.issues[0]
    throw new PolicyScriptError(
      file,
      `its \`series\` ${issue.path.length ? `"${issue.path.join('.')}" ` : ''}${issue.message.replace(/^Invalid input: /, '')}; declare series as { name: { label, unit, better? } }`,
    )
  }
  const series = Object.fromEntries(
    Object.entries(seriesRes.data).map(([k, v]) => [k, { ...v, better: v.better ?? 'neutral' }]),
  )
  const seriesNames = Object.keys(series)
  const def: PolicyDefinition = {
    id,
    name: meta.name,
    description,
    knobs: schema,
    series,
    subscriptions: (knobs) =>
      checkedJson(
        file,
        'subscriptions(knobs)',
        sb.call('subscriptions', [JSON.stringify(knobs)], 'subscriptions'),
        subscriptionsSchema,
        'return e.g. { samples: { period: 997 } } or { hintFaults: { mode: "tiering" } }',
      ),
    reclaim: (knobs) =>
      checkedJson(
        file,
        'reclaim(knobs)',
        sb.call('reclaim', [JSON.stringify(knobs)], 'reclaim'),
        reclaimSchema,
        'return { demotionEnabled: true|false, balanceTo: "high"|"promo" }',
      ),
    create: (knobs, ctx) => {
      const state: HostState = { subscribePending: false, basePages: [] }
      sb.bind(hostFunctions(ctx, new Float64Array(EVENT_SLOTS), seriesNames, state))
      const hooks = JSON.parse(
        sb.call('create', [JSON.stringify(knobs), environment(ctx)], 'create') as string,
      ) as string[]
      if (state.subscribePending) applySubscriptions(sb, ctx)
      return instanceFor(sb, ctx, hooks, seriesNames)
    },
  }
  return { def, name: meta.name, description }
}

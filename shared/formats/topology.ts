import { z } from 'zod'
import { PCIE_GENERATIONS } from '../units'

/**
 * `tierlab.topology/v1`: a machine drawn as components (sockets, CXL expanders and switches,
 * GPUs) joined by links (DESIGN.md §2, §8). Field names carry their unit.
 */

const id = z
  .string()
  .min(1, { error: 'must be a non-empty id' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(/^[A-Za-z0-9_.:-]+$/, { error: 'may use only letters, digits and _ . : -' })

const positive = (what: string) =>
  z
    .number({ error: `must be a number (${what})` })
    .positive({ error: `must be greater than 0 (${what})` })

/** A memory device's own performance; the path to it adds link and switch latency. */
export const memorySchema = z.strictObject({
  capacityGiB: z
    .number({ error: 'must be a number of GiB' })
    .nonnegative({ error: 'must be 0 or more GiB' }),
  media: z.string().min(1).default('DDR5'),
  readLatencyNs: positive('ns'),
  writeLatencyNs: positive('ns'),
  readBandwidthGBps: positive('GB/s'),
  writeBandwidthGBps: positive('GB/s'),
  /**
   * Whether firmware reports this memory's performance to the kernel (HMAT / CDAT). When false the
   * kernel cannot place it by performance and uses its default abstract distance
   * (tiering-facts.md §1 [HMATC], [KMEM]); the simulator still uses the numbers above.
   */
  reportsPerformance: z.boolean().default(true),
  /**
   * Optional loaded-latency curve: latency multiplier of the idle latency against utilisation of
   * peak bandwidth (0..1), piecewise linear. Defaults per memory kind come from the engine.
   */
  loadedLatency: z
    .array(
      z.strictObject({
        utilisation: z.number().min(0).max(1.5),
        latencyFactor: z.number().min(1),
      }),
    )
    .min(2)
    .optional(),
})
export type Memory = z.infer<typeof memorySchema>

const base = { id, name: z.string().max(120).optional() }

export const socketSchema = z.strictObject({
  ...base,
  kind: z.literal('socket'),
  cores: z
    .number()
    .int({ error: 'must be a whole number of cores' })
    .min(1, { error: 'a socket needs at least 1 core' }),
  memory: memorySchema,
})

export const cxlMemorySchema = z.strictObject({
  ...base,
  kind: z.literal('cxl-memory'),
  memory: memorySchema,
  /**
   * How the kernel brings this CPU-less memory online. `dax-kmem` (default): a CXL expander or
   * PMEM onlined by dax/kmem, which starts from the DAX abstract distance ([KMEM]). `boot`: memory
   * the firmware hands over at boot, such as on-package HBM/MCDRAM (KNL, Xeon Max), which starts
   * from the DRAM default ([MT] set_node_memory_tier). Imported machines set it from the media.
   */
  onlining: z.enum(['dax-kmem', 'boot']).optional(),
})

export const cxlSwitchSchema = z.strictObject({
  ...base,
  kind: z.literal('cxl-switch'),
  /** Added to every path that traverses the switch (tiering-facts.md §1 [CXL-AC] SSLBIS). */
  latencyNs: z.number().nonnegative({ error: 'must be 0 or more ns' }),
})

export const gpuSchema = z.strictObject({
  ...base,
  kind: z.literal('gpu'),
  /** true: HBM is a CPU-less NUMA node (Grace Hopper); false: device-private memory. */
  coherent: z.boolean(),
  /** Streaming multiprocessors; informative, GPU processes give their own thread counts. */
  sms: z.number().int().min(1).optional(),
  memory: memorySchema,
})

export const componentSchema = z.discriminatedUnion(
  'kind',
  [socketSchema, cxlMemorySchema, cxlSwitchSchema, gpuSchema],
  { error: 'must be one of socket, cxl-memory, cxl-switch, gpu' },
)
export type Component = z.infer<typeof componentSchema>
export type ComponentKind = Component['kind']
export type MemoryComponent = Extract<Component, { memory: Memory }>

export const linkKinds = ['upi', 'cxl', 'pcie', 'nvlink-c2c'] as const
export type LinkKind = (typeof linkKinds)[number]

export const linkSchema = z
  .strictObject({
    a: id,
    b: id,
    kind: z.enum(linkKinds, { error: `must be one of ${linkKinds.join(', ')}` }),
    /** Latency added per traversal, ns. */
    latencyNs: z
      .number({ error: 'must be a number of ns' })
      .nonnegative({ error: 'must be 0 or more ns' }),
    /** Bandwidth per direction, GB/s. Derived from generation and lanes when absent (PCIe/CXL). */
    bandwidthGBps: positive('GB/s').optional(),
    generation: z
      .number()
      .int()
      .refine((g) => g in PCIE_GENERATIONS, { error: 'must be a PCIe/CXL generation from 1 to 6' })
      .optional(),
    lanes: z
      .union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(16)], {
        error: 'must be 1, 2, 4, 8 or 16 lanes',
      })
      .optional(),
  })
  .superRefine(
    (link, ctx) => {
      // Runs on a link with other field errors too (`when` below), so a link missing its bandwidth
      // is reported with its bad latency in one pass; it may see any shape, hence the guards.
      if (link.bandwidthGBps !== undefined) return
      if (!(linkKinds as readonly unknown[]).includes(link.kind)) return
      if (link.kind === 'cxl' || link.kind === 'pcie') {
        if (link.generation === undefined || link.lanes === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['bandwidthGBps'],
            message: `a ${link.kind} link needs bandwidthGBps, or generation and lanes to derive it`,
          })
        }
      } else {
        ctx.addIssue({
          code: 'custom',
          path: ['bandwidthGBps'],
          message: `a ${link.kind} link needs bandwidthGBps (GB/s per direction)`,
        })
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
export type Link = z.infer<typeof linkSchema>

/**
 * The largest machine Tierlab analyses. The analysis keeps a best path from every initiator to
 * every memory node with its hops, so its cost grows with initiators × components × path length:
 * a chain of 64 sockets takes under a second and a few MB, one of 256 sockets 30 s and 1 GB, and
 * 10,000 ran the host out of memory. The largest real machines have 32 sockets and a few dozen
 * CXL devices; the editor's benchmark draws 200 components.
 */
export const TOPOLOGY_LIMITS = Object.freeze({ components: 256, initiators: 64, links: 1024 })

/** One access coordinate as Linux reports it in sysfs accessN/initiators (ns and MB/s). */
export const measuredCoordinateSchema = z.strictObject({
  readLatencyNs: z.number().nonnegative({ error: 'must be 0 or more ns' }),
  writeLatencyNs: z.number().nonnegative({ error: 'must be 0 or more ns' }),
  readBandwidthMBps: z.number().nonnegative({ error: 'must be 0 or more MB/s' }),
  writeBandwidthMBps: z.number().nonnegative({ error: 'must be 0 or more MB/s' }),
})
export type MeasuredCoordinate = z.infer<typeof measuredCoordinateSchema>

/**
 * What a real machine reported about itself (`tierlab import-machine`): the firmware's SLIT and
 * HMAT/CDAT access coordinates. When present, analysis shows these instead of the ones it derives
 * from the drawn paths, so tiers and demotion targets follow the machine's own data; the
 * simulator still uses the components' memory numbers.
 */
export const measuredSchema = z.strictObject({
  /** The machine's own NUMA node id of each Tierlab node (Tierlab order: sockets first). */
  machineNodes: z.array(z.number().int().nonnegative()).optional(),
  /** SLIT rows in Tierlab node order: 10 local, 255 unreachable. */
  distance: z
    .array(z.array(z.number().int().min(0).max(255, { error: 'must be at most 255 (SLIT)' })))
    .optional(),
  /** Per memory component: access0 (best initiator of any kind) and access1 (CPUs only). */
  access: z
    .array(
      z.strictObject({
        component: id,
        access0: measuredCoordinateSchema.optional(),
        access1: measuredCoordinateSchema.optional(),
      }),
    )
    .optional(),
})
export type Measured = z.infer<typeof measuredSchema>

export const topologySchema = z
  .strictObject({
    format: z.string(),
    name: z.string().min(1, { error: 'must not be empty' }).max(200),
    description: z.string().max(4000).optional(),
    /** Where the numbers come from; shown with presets. */
    source: z.string().max(4000).optional(),
    components: z
      .array(componentSchema)
      .min(1, { error: 'needs at least one component' })
      .max(TOPOLOGY_LIMITS.components, {
        error: `has more than ${TOPOLOGY_LIMITS.components} components, the most Tierlab analyses; model a smaller part of the machine`,
      }),
    links: z
      .array(linkSchema)
      .max(TOPOLOGY_LIMITS.links, {
        error: `has more than ${TOPOLOGY_LIMITS.links} links, the most Tierlab analyses; model a smaller part of the machine`,
      })
      .default([]),
    measured: measuredSchema.optional(),
  })
  .superRefine(
    (topo, ctx) => {
      // Runs on a document with field errors too (`when` below), so an import reports duplicate ids
      // and dangling links in the same pass as bad numbers: it may see any shape, hence the guards.
      const components = (Array.isArray(topo.components) ? topo.components : []).filter(
        (c): c is (typeof topo.components)[number] => typeof c === 'object' && c !== null,
      )
      const links = (Array.isArray(topo.links) ? topo.links : []).filter(
        (l): l is (typeof topo.links)[number] => typeof l === 'object' && l !== null,
      )
      const initiators = components.filter((c) => c.kind === 'socket' || c.kind === 'gpu')
      if (initiators.length > TOPOLOGY_LIMITS.initiators) {
        ctx.addIssue({
          code: 'custom',
          path: ['components'],
          message: `has ${initiators.length} sockets and GPUs, more than the ${TOPOLOGY_LIMITS.initiators} Tierlab analyses; model a smaller part of the machine`,
        })
      }
      const seen = new Map<string, number>()
      components.forEach((c, i) => {
        if (typeof c.id !== 'string') return
        if (seen.has(c.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['components', i, 'id'],
            message: `id "${c.id}" is already used by components[${seen.get(c.id)}]; give each component its own id`,
          })
        } else seen.set(c.id, i)
      })
      if (components.length > 0 && !components.some((c) => c.kind === 'socket')) {
        ctx.addIssue({
          code: 'custom',
          path: ['components'],
          message:
            'needs at least one socket: without a CPU nothing runs and the kernel has no DRAM reference',
        })
      }
      const kindOf = new Map(components.map((c) => [c.id, c.kind]))
      links.forEach((l, i) => {
        for (const end of ['a', 'b'] as const) {
          if (typeof l[end] === 'string' && !kindOf.has(l[end])) {
            ctx.addIssue({
              code: 'custom',
              path: ['links', i, end],
              message: `names component "${l[end]}", which does not exist; use one of the component ids (${[...kindOf.keys()].join(', ')})`,
            })
          }
        }
        if (l.a === l.b) {
          ctx.addIssue({
            code: 'custom',
            path: ['links', i, 'b'],
            message: `links "${l.a}" to itself; a link joins two different components`,
          })
        }
        if (l.kind === 'upi' && (kindOf.get(l.a) !== 'socket' || kindOf.get(l.b) !== 'socket')) {
          if (kindOf.has(l.a) && kindOf.has(l.b)) {
            ctx.addIssue({
              code: 'custom',
              path: ['links', i, 'kind'],
              message: 'a upi link joins two sockets; use cxl, pcie or nvlink-c2c for devices',
            })
          }
        }
      })
      // Measured tables are checked against the node list only when both parsed cleanly: on a
      // malformed document the field errors already say what to fix.
      if (
        topo.measured &&
        components.length === topo.components.length &&
        measuredSchema.safeParse(topo.measured).success
      )
        checkMeasured({ components, measured: topo.measured }, ctx)
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
export type Topology = z.infer<typeof topologySchema>
/** What a file may contain before defaults are applied. */
export type TopologyInput = z.input<typeof topologySchema>

type TopologyShape = Pick<z.output<typeof topologySchema>, 'components' | 'measured'>

/** Memory-bearing components in NUMA order (DESIGN.md §8): sockets, then the others in file order. */
function numaComponentIds(topo: TopologyShape): string[] {
  const sockets = topo.components.filter((c) => c.kind === 'socket')
  const others = topo.components.filter(
    (c) => c.kind === 'cxl-memory' || (c.kind === 'gpu' && c.coherent),
  )
  return [...sockets, ...others].map((c) => c.id)
}

function checkMeasured(topo: TopologyShape, ctx: z.RefinementCtx): void {
  const measured = topo.measured
  if (!measured) return
  const nodes = numaComponentIds(topo)
  const n = nodes.length
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: ['measured', ...path], message })
  if (measured.machineNodes && measured.machineNodes.length !== n)
    issue(
      ['machineNodes'],
      `lists ${measured.machineNodes.length} node ids but the machine has ${n} NUMA nodes; give one id per node`,
    )
  if (measured.distance) {
    if (measured.distance.length !== n)
      issue(['distance'], `has ${measured.distance.length} rows; the machine has ${n} NUMA nodes`)
    measured.distance.forEach((row, i) => {
      if (row.length !== n)
        issue(['distance', i], `has ${row.length} values; each row needs one per node (${n})`)
    })
  }
  measured.access?.forEach((a, i) => {
    if (!nodes.includes(a.component))
      issue(
        ['access', i, 'component'],
        `names "${a.component}", which is not a memory node; use one of ${nodes.join(', ')}`,
      )
  })
}

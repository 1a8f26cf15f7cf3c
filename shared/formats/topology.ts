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
  .superRefine((link, ctx) => {
    if (link.bandwidthGBps !== undefined) return
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
  })
export type Link = z.infer<typeof linkSchema>

export const topologySchema = z
  .strictObject({
    format: z.string(),
    name: z.string().min(1, { error: 'must not be empty' }).max(200),
    description: z.string().max(4000).optional(),
    /** Where the numbers come from; shown with presets. */
    source: z.string().max(4000).optional(),
    components: z.array(componentSchema).min(1, { error: 'needs at least one component' }),
    links: z.array(linkSchema).default([]),
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
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
export type Topology = z.infer<typeof topologySchema>
/** What a file may contain before defaults are applied. */
export type TopologyInput = z.input<typeof topologySchema>

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  API_METHODS,
  type ApiEvent,
  type ApiInput,
  type ApiMethod,
  type ApiOutput,
  type ApiReply,
} from '../../../../shared/api'
import { listPolicies } from '../../../../main/engine'
import { ENGINE_VERSION } from '../../../../main/engine/version'
import {
  createServices,
  dispatch,
  resolveProjectRoot,
  resolveResourcesDir,
  type Services,
} from '../../../../main/services'
import { openStore } from '../../../../main/store'
import { servicesWithRuns, tempDb, topologyDoc, workloadDoc, type TempDb } from './fixtures'

const GiB = 2 ** 30

function ok<T>(reply: ApiReply<T>): T {
  if (!reply.ok) throw new Error(`expected ok, got ${JSON.stringify(reply.error)}`)
  return reply.value
}
function err(reply: ApiReply<unknown>) {
  if (reply.ok) throw new Error(`expected an error, got ${JSON.stringify(reply.value)}`)
  return reply.error
}

let db: TempDb
let services: Services
let doneId: number
let queuedId: number
let events: ApiEvent[]

beforeEach(() => {
  db = tempDb()
  ;({ services, doneId, queuedId } = servicesWithRuns(db))
  events = []
  services.events.on((e) => events.push(e))
})
afterEach(() => {
  services.close()
  db.cleanup()
})

const call = <M extends ApiMethod>(method: M, input?: ApiInput<M>) =>
  dispatch(services, method, input) as Promise<ApiReply<ApiOutput<M>>>

describe('contract coverage', () => {
  it('has a handler for every method of the contract', () => {
    for (const m of API_METHODS) expect(typeof services.handlers[m]).toBe('function')
    expect(Object.keys(services.handlers).sort()).toEqual([...API_METHODS].sort())
  })
})

describe('app.info', () => {
  it('reports versions, the database file and the host', async () => {
    const pkg = JSON.parse(readFileSync(join(resolveProjectRoot(), 'package.json'), 'utf8'))
    expect(ok(await call('app.info', {}))).toEqual({
      version: pkg.version,
      engineVersion: ENGINE_VERSION,
      databasePath: resolve(db.dbPath),
      host: 'web',
    })
  })
})

describe('topology.presets', () => {
  it('returns every preset file, validated, with its file name as id', async () => {
    const dir = join(resolveResourcesDir(), 'presets', 'topologies')
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort()
    const presets = ok(await call('topology.presets'))
    expect(presets.map((p) => p.id)).toEqual(files)
    for (const p of presets) {
      const raw = JSON.parse(readFileSync(join(dir, `${p.id}.json`), 'utf8'))
      expect(p.name).toBe(raw.name)
      expect(p.topology.components).toHaveLength(raw.components.length)
      // Defaults are applied by validation: every memory gets reportsPerformance.
      for (const c of p.topology.components) {
        if ('memory' in c) expect(typeof c.memory.reportsPerformance).toBe('boolean')
      }
    }
  })

  it('refuses a broken preset naming the file and the field', async () => {
    const resources = join(db.dir, 'resources')
    mkdirSync(join(resources, 'presets', 'topologies'), { recursive: true })
    const bad = topologyDoc()
    ;(bad.components as Array<{ memory?: { capacityGiB: number } }>)[0].memory!.capacityGiB = -1
    writeFileSync(join(resources, 'presets', 'topologies', 'broken.json'), JSON.stringify(bad))
    const store = openStore(join(db.dir, 'other.db'))
    const s = createServices({
      store,
      resourcesDir: resources,
      appVersion: '1.2.3',
      host: 'electron',
    })
    try {
      const e = err(await dispatch(s, 'topology.presets', {}))
      expect(e.code).toBe('unavailable')
      expect(e.message).toContain('broken.json')
      expect(e.message).toContain('components[0].memory.capacityGiB')
      expect(ok(await dispatch(s, 'app.info', {}))).toMatchObject({
        version: '1.2.3',
        host: 'electron',
      })
    } finally {
      s.close()
    }
  })
})

describe('topology.analyze', () => {
  it('analyses a valid topology', async () => {
    const r = ok(await call('topology.analyze', { topology: topologyDoc() }))
    if (!r.ok) throw new Error('expected analysis')
    // Sockets first, then memory-only components, in file order.
    expect(r.analysis.nodes.map((n) => [n.node, n.component, n.cpus])).toEqual([
      [0, 's0', 8],
      [1, 'c0', 0],
    ])
    // 64 GiB and 128 GiB in bytes.
    expect(r.analysis.nodes.map((n) => n.capacityBytes)).toEqual([64 * GiB, 128 * GiB])
    expect(r.topology.links).toHaveLength(1)
  })

  it('returns issues instead of failing for a bad topology', async () => {
    const doc = topologyDoc({
      links: [{ a: 's0', b: 'zz', kind: 'cxl', bandwidthGBps: 30, latencyNs: 70 }],
    })
    const r = ok(await call('topology.analyze', { topology: doc }))
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.issues[0].path).toBe('links[0].b')
    expect(r.issues[0].message).toContain('"zz"')
  })

  it('returns an issue for a document that is not an object', async () => {
    const r = ok(await call('topology.analyze', { topology: 'nonsense' }))
    // Not an object, so there is no `format` field to point at: the issue is the whole document.
    expect(r).toMatchObject({ ok: false, issues: [{ path: '(file)' }] })
    expect(r.ok === false && r.issues[0].message).toMatch(/holds a string, but .* JSON object/)
  })
})

describe('topology library', () => {
  it('saves, lists, gets, replaces and deletes, announcing each write', async () => {
    const saved = ok(await call('topology.save', { topology: topologyDoc() }))
    expect(saved.name).toBe('test machine')
    expect(events).toEqual([{ type: 'changed', what: 'topologies' }])

    const list = ok(await call('topology.list', {}))
    expect(list).toEqual([
      expect.objectContaining({ id: saved.id, name: 'test machine', components: 2, links: 1 }),
    ])
    expect(ok(await call('topology.get', { id: saved.id })).topology.components[0].id).toBe('s0')

    const replaced = ok(
      await call('topology.save', { id: saved.id, topology: topologyDoc({ name: 'renamed' }) }),
    )
    expect(replaced).toMatchObject({ id: saved.id, name: 'renamed' })
    expect(events).toHaveLength(2)

    expect(ok(await call('topology.delete', { id: saved.id }))).toEqual({ deleted: true })
    expect(events).toHaveLength(3)
    expect(ok(await call('topology.delete', { id: saved.id }))).toEqual({ deleted: false })
    expect(events).toHaveLength(3)
    expect(ok(await call('topology.list', {}))).toEqual([])
  })

  it('refuses an invalid topology per field and stores nothing', async () => {
    const doc = topologyDoc()
    ;(doc.components as Array<Record<string, unknown>>)[0].cores = 'many'
    const e = err(await call('topology.save', { topology: doc }))
    expect(e.code).toBe('invalid-input')
    expect(e.issues?.[0]).toMatchObject({ path: 'components[0].cores' })
    expect(e.message).toContain('components[0].cores')
    expect(ok(await call('topology.list', {}))).toEqual([])
    expect(events).toEqual([])
  })

  it('reports missing rows as not-found', async () => {
    expect(err(await call('topology.get', { id: 999 })).code).toBe('not-found')
    expect(err(await call('topology.save', { id: 999, topology: topologyDoc() })).code).toBe(
      'not-found',
    )
    expect(events).toEqual([])
  })

  it('imports a valid file and saves it', async () => {
    const r = ok(
      await call('topology.import', { fileName: 'm.json', text: JSON.stringify(topologyDoc()) }),
    )
    if (!r.ok) throw new Error('expected a saved topology')
    expect(ok(await call('topology.get', { id: r.saved.id })).name).toBe('test machine')
    expect(events).toEqual([{ type: 'changed', what: 'topologies' }])
  })

  it('adds nothing when the same file is imported again, and renames a different one with a taken name', async () => {
    // Before: every import inserted, so importing a file twice listed the machine twice.
    const text = JSON.stringify(topologyDoc())
    const first = ok(await call('topology.import', { fileName: 'm.json', text }))
    const again = ok(await call('topology.import', { fileName: 'm.json', text }))
    if (!first.ok || !again.ok) throw new Error('expected both imports to succeed')
    expect(first.note).toBeUndefined()
    expect(again.saved.id).toBe(first.saved.id)
    expect(again.note).toContain('already in your library')
    // Key order does not make a document different.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(topologyDoc()).reverse()))
    const third = ok(await call('topology.import', { fileName: 'r.json', text: reordered }))
    if (!third.ok) throw new Error('expected the reordered import to succeed')
    expect(third.saved.id).toBe(first.saved.id)

    const other = topologyDoc({ description: 'another machine with the same name' })
    const renamed = ok(
      await call('topology.import', { fileName: 'o.json', text: JSON.stringify(other) }),
    )
    if (!renamed.ok) throw new Error('expected the import to succeed')
    expect(renamed.saved.name).toBe('test machine (2)')
    expect(renamed.note).toContain('"test machine (2)"')
    const renamedAgain = ok(
      await call('topology.import', { fileName: 'o.json', text: JSON.stringify(other) }),
    )
    if (!renamedAgain.ok) throw new Error('expected the import to succeed')
    expect(renamedAgain.saved.id).toBe(renamed.saved.id)
    expect(ok(await call('topology.list', {})).map((t) => t.name)).toEqual(
      expect.arrayContaining(['test machine', 'test machine (2)']),
    )
    expect(ok(await call('topology.list', {}))).toHaveLength(2)
  })

  it('rejects non-JSON and invalid files with issues, saving nothing', async () => {
    const notJson = ok(await call('topology.import', { fileName: 'm.json', text: '{ "format": ' }))
    expect(notJson).toMatchObject({ ok: false, issues: [{ path: '(file)' }] })
    if (!notJson.ok) expect(notJson.issues[0].message).toContain('not valid JSON')

    const newer = ok(
      await call('topology.import', {
        fileName: 'm.json',
        text: JSON.stringify(topologyDoc({ format: 'tierlab.topology/v2' })),
      }),
    )
    expect(newer).toMatchObject({ ok: false, issues: [{ path: 'format' }] })
    expect(ok(await call('topology.list', {}))).toEqual([])
    expect(events).toEqual([])
  })
})

describe('workload library', () => {
  it('saves, lists, gets and deletes, announcing each write', async () => {
    const saved = ok(await call('workload.save', { workload: workloadDoc() }))
    expect(events).toEqual([{ type: 'changed', what: 'workloads' }])
    expect(ok(await call('workload.list', {}))).toEqual([
      expect.objectContaining({ id: saved.id, name: 'w', regions: 1, processes: 1 }),
    ])
    expect(ok(await call('workload.get', { id: saved.id })).workload.processes[0].id).toBe('p')
    expect(ok(await call('workload.delete', { id: saved.id }))).toEqual({ deleted: true })
    expect(events).toHaveLength(2)
    expect(err(await call('workload.get', { id: saved.id })).code).toBe('not-found')
  })

  it('refuses an invalid workload per field', async () => {
    const doc = workloadDoc({ regions: [{ id: 'r', sizeGiB: 1, firstTouch: 'nobody' }] })
    const e = err(await call('workload.save', { workload: doc }))
    expect(e.code).toBe('invalid-input')
    expect(e.issues?.[0]).toMatchObject({ path: 'regions[0].firstTouch' })
    expect(events).toEqual([])
  })
})

describe('runs', () => {
  it('lists newest first and filters by status and limit', async () => {
    const all = ok(await call('runs.list', {}))
    // The queued run was created second, so it is the newest.
    expect(all.map((r) => r.id)).toEqual([queuedId, doneId])
    expect(ok(await call('runs.list', { status: 'done' })).map((r) => r.id)).toEqual([doneId])
    expect(ok(await call('runs.list', { limit: 1 })).map((r) => r.id)).toEqual([queuedId])
    expect(ok(await call('runs.list', { limit: 1, offset: 1 })).map((r) => r.id)).toEqual([doneId])
    expect(ok(await call('runs.list', { text: 'FINISHED' })).map((r) => r.id)).toEqual([doneId])
  })

  it('gets one run with its results, and not-found for an unknown id', async () => {
    const run = ok(await call('runs.get', { id: doneId }))
    expect(run).toMatchObject({
      status: 'done',
      name: 'finished run',
      summary: { throughputOpsPerS: 1000 },
    })
    expect(run.processes).toEqual([{ id: 'p', throughputOpsPerS: 1000, meanLatencyNs: 200 }])
    expect(err(await call('runs.get', { id: 12345 }))).toMatchObject({ code: 'not-found' })
  })
})

describe('policies.list', () => {
  it("lists the engine's policies with every knob's default and unit", async () => {
    const policies = ok(await call('policies.list', {}))
    expect(policies.map((p) => p.id)).toEqual(listPolicies().map((p) => p.id))
    expect(policies.length).toBeGreaterThan(0)
    for (const p of policies) {
      for (const k of p.knobs) {
        expect(k).toHaveProperty('default')
        expect(typeof k.unit).toBe('string')
      }
    }
  })
})

describe('lifecycle', () => {
  it('stops delivering events after unsubscribe and close', async () => {
    const seen: ApiEvent[] = []
    const off = services.events.on((e) => seen.push(e))
    services.events.emit({ type: 'changed', what: 'runs' })
    off()
    services.events.emit({ type: 'changed', what: 'runs' })
    expect(seen).toHaveLength(1)
    services.close()
    services.close()
    services.events.emit({ type: 'changed', what: 'runs' })
    expect(events).toHaveLength(2)
  })
})

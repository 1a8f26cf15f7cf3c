import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../../../main/store'
import { makeTempDir, sampleTopology, sampleWorkload, steppingClock } from './helpers'

let cleanup: () => void
let store: Store
beforeEach(() => {
  const temp = makeTempDir()
  cleanup = temp.cleanup
  store = openStore(path.join(temp.dir, 'tierlab.db'), { clock: steppingClock() })
})
afterEach(() => {
  store.close()
  cleanup()
})

describe('topologies', () => {
  it('round-trips insert, get, list, update, rename and delete', () => {
    const topology = sampleTopology('socket + CXL')
    const saved = store.topologies.insert(topology)
    // The clock reads 00:00:00 for this insert (one reading for created and updated).
    expect(saved).toEqual({
      id: 1,
      name: 'socket + CXL',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      topology,
    })
    expect(store.topologies.get(1)).toEqual(saved)
    store.topologies.insert(sampleTopology('Alpha'))
    // Sorted by name, case-insensitively; sampleTopology has 3 components and 2 links.
    expect(store.topologies.list().map((t) => [t.name, t.components, t.links])).toEqual([
      ['Alpha', 3, 2],
      ['socket + CXL', 3, 2],
    ])

    const edited = { ...topology, name: 'edited', links: [topology.links[0]] }
    const updated = store.topologies.update(1, edited)
    expect(updated.name).toBe('edited')
    expect(updated.topology).toEqual(edited)
    expect(updated.createdAt).toBe('2026-01-01T00:00:00.000Z')
    expect(updated.updatedAt).toBe('2026-01-01T00:00:02.000Z') // third clock reading

    const renamed = store.topologies.rename(1, 'renamed')
    expect(renamed.name).toBe('renamed')
    expect(renamed.topology.name).toBe('renamed') // the document's name follows the row's
    expect(renamed.topology.links).toEqual(edited.links)

    expect(store.topologies.delete(1)).toBe(true)
    expect(store.topologies.delete(1)).toBe(false)
    expect(store.topologies.get(1)).toBeNull()
    expect(store.topologies.list().map((t) => t.name)).toEqual(['Alpha'])
  })

  it('reports a missing id as not-found on update and rename', () => {
    expect(() => store.topologies.update(42, sampleTopology())).toThrow(
      expect.objectContaining({ code: 'not-found', message: expect.stringContaining('id 42') }),
    )
    expect(() => store.topologies.rename(42, 'x')).toThrow(
      expect.objectContaining({ code: 'not-found' }),
    )
  })
})

describe('workloads', () => {
  it('round-trips like topologies, counting regions and processes', () => {
    const workload = sampleWorkload('kv-store')
    const saved = store.workloads.insert(workload)
    expect(store.workloads.get(saved.id)?.workload).toEqual(workload)
    // sampleWorkload has 2 regions and 1 process.
    expect(store.workloads.list()).toEqual([
      {
        id: saved.id,
        name: 'kv-store',
        createdAt: saved.createdAt,
        updatedAt: saved.updatedAt,
        regions: 2,
        processes: 1,
      },
    ])
    expect(store.workloads.update(saved.id, { ...workload, name: 'kv v2' }).name).toBe('kv v2')
    expect(store.workloads.rename(saved.id, 'kv v3').workload.name).toBe('kv v3')
    expect(store.workloads.delete(saved.id)).toBe(true)
    expect(store.workloads.list()).toEqual([])
    // The libraries are separate tables.
    store.topologies.insert(sampleTopology())
    expect(store.workloads.list()).toEqual([])
  })
})

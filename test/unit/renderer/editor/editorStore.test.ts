import { beforeEach, describe, expect, it } from 'vitest'
import { useEditorStore } from '../../../../renderer/src/features/editor/editorStore'
import type { FakeClient } from '../../../../renderer/src/api/fake-client'
import { setupEditorStores, twoSocketsOneCxl } from './editorFixtures'

let client: FakeClient
beforeEach(() => {
  client = setupEditorStores().client
})

describe('editor store', () => {
  it('builds a machine from the palette, links it, and undoes/redoes each step', () => {
    const store = useEditorStore()
    store.addComponent('socket', { x: 0, y: 0 })
    store.addComponent('cxl-memory', { x: 0, y: 200 })
    store.requestLink('s0', 'cxl0')
    expect(store.pendingLink?.suggested).toBe('cxl')
    store.confirmLink('cxl')
    expect(store.topology.links).toHaveLength(1)
    expect(store.issues).toEqual([])

    store.undo()
    expect(store.topology.links).toHaveLength(0)
    store.undo()
    expect(store.topology.components.map((c) => c.id)).toEqual(['s0'])
    store.redo()
    store.redo()
    expect(store.topology.links).toHaveLength(1)
  })

  it('makes typing into one field a single undo step', () => {
    const store = useEditorStore()
    store.load(twoSocketsOneCxl().topology)
    for (const v of [5, 51, 512]) store.updateComponent('c0', ['memory', 'capacityGiB'], v)
    store.undo()
    const c0 = store.topology.components[2]
    expect('memory' in c0 && c0.memory.capacityGiB).toBe(256)
  })

  it('deletes the selection and copies/pastes with fresh ids', () => {
    const store = useEditorStore()
    store.load(twoSocketsOneCxl().topology)
    store.setSelection({ components: ['s1'], links: [] })
    expect(store.copy()).toBe(true)
    store.paste()
    // s0, s1 exist → the copy of s1 is s2 and becomes the selection.
    expect(store.selection.components).toEqual(['s2'])
    store.paste()
    expect(store.topology.components.map((c) => c.id)).toEqual(['s0', 's1', 'c0', 's2', 's3'])
    store.setSelection({ components: ['s0'], links: [] })
    store.deleteSelection()
    // s0 carried both links; they go with it.
    expect(store.topology.links).toEqual([])
    expect(store.selection.components).toEqual([])
  })

  it('analyses the draft through the client, and skips the call for an invalid draft', async () => {
    const store = useEditorStore()
    store.load(twoSocketsOneCxl().topology)
    await store.analyze()
    expect(store.analysis?.tiers.map((t) => t.tier)).toEqual([4, 7])
    const calls = client.calls.filter((c) => c.method === 'topology.analyze').length
    store.updateComponent('s0', ['cores'], 0)
    await store.analyze()
    expect(client.calls.filter((c) => c.method === 'topology.analyze').length).toBe(calls)
    expect(store.analysis).toBeNull()
    expect(store.analysisIssues[0].path).toBe('components[0].cores')
  })

  it('saves a new topology, then replaces it on the next save, and tracks unsaved changes', async () => {
    const store = useEditorStore()
    store.load(twoSocketsOneCxl().topology)
    expect(store.dirty).toBe(true)
    const first = await store.save()
    expect(first?.id).toBe(1)
    expect(store.dirty).toBe(false)
    store.setName('Renamed')
    expect(store.dirty).toBe(true)
    const second = await store.save()
    expect(second?.id).toBe(1)
    const saves = client.calls.filter((c) => c.method === 'topology.save')
    expect(saves.map((c) => (c.input as { id?: number }).id)).toEqual([undefined, 1])
    // The saved file holds no positions.
    expect(Object.keys((saves[0].input as { topology: object }).topology)).not.toContain(
      'positions',
    )
  })

  it('refuses to save an invalid draft and says which field to fix', async () => {
    const store = useEditorStore()
    store.addComponent('cxl-memory', { x: 0, y: 0 })
    expect(await store.save()).toBeNull()
    expect(store.status?.text).toMatch(/needs at least one socket/)
    expect(client.calls.some((c) => c.method === 'topology.save')).toBe(false)
  })

  it('imports a file through the host and opens it, or reports the field at fault', async () => {
    const store = useEditorStore()
    const bad = { ...twoSocketsOneCxl().topology, components: [] }
    const issues = await store.importFile('bad.json', JSON.stringify(bad))
    expect(issues.map((i) => i.path)).toContain('components')
    expect(store.status?.kind).toBe('error')
    expect(store.topology.components).toHaveLength(0)

    expect(
      await store.importFile('good.json', JSON.stringify(twoSocketsOneCxl().topology)),
    ).toEqual([])
    expect(store.topology.components.map((c) => c.id)).toEqual(['s0', 's1', 'c0'])
    expect(store.savedId).toBe(1)
    expect(store.dirty).toBe(false)
    // Export gives back a clean format file with the same components.
    const file = JSON.parse(store.exportFile().text)
    expect(file.format).toBe('tierlab.topology/v1')
    expect(file.components).toHaveLength(3)
    expect(store.exportFile().fileName).toBe('2s-cxl.topology.json')
  })
})

describe('changing a link kind', () => {
  it('takes the new kind’s latency and bandwidth, not the old kind’s', () => {
    const store = useEditorStore()
    store.addComponent('socket', { x: 0, y: 0 })
    store.addComponent('gpu', { x: 0, y: 200 })
    store.requestLink('s0', 'gpu0')
    expect(store.pendingLink?.suggested).toBe('pcie')
    store.confirmLink('nvlink-c2c')
    expect(store.topology.links[0]).toMatchObject({ latencyNs: 150, bandwidthGBps: 450 })
    store.changeLinkKind(0, 'pcie')
    const link = store.topology.links[0]
    expect(link).toMatchObject({ kind: 'pcie', latencyNs: 100, generation: 5, lanes: 16 })
    expect(link.bandwidthGBps).toBeUndefined()
  })
})

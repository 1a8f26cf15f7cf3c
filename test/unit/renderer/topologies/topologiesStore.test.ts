import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../shared/api/errors'
import type { Topology } from '../../../../shared/formats/topology'
import { useTopologiesStore } from '../../../../renderer/src/features/topologies/topologiesStore'
import { cannedAnalyze, presets, twoSocketCxl, twoSocketCxlAnalysis } from '../helpers/fixtures'
import { settle, setupStores } from '../helpers/setup-app'

const socket = twoSocketCxl.components[0] as Extract<
  Topology['components'][number],
  { kind: 'socket' }
>
const badCapacity = JSON.stringify({
  ...twoSocketCxl,
  name: 'Broken',
  components: [{ ...socket, memory: { ...socket.memory, capacityGiB: -4 } }],
  links: [],
})

describe('topologies store', () => {
  it('loads the presets and the saved topologies', async () => {
    const { client } = setupStores({ presets })
    const store = useTopologiesStore()
    expect(store.listsLoaded).toBe(false)
    await store.load()
    expect(store.presets.map((p) => p.id)).toEqual(['2s-cxl', '1s'])
    expect(store.saved).toEqual([])
    expect(store.listsLoaded).toBe(true)
    expect(client.calls.map((c) => c.method).sort()).toEqual(['topology.list', 'topology.presets'])
  })

  it('reports a failed load instead of throwing', async () => {
    const { client } = setupStores({ presets })
    client.failNext('topology.presets', new ApiError('unauthorized', 'missing token'))
    const store = useTopologiesStore()
    await store.load()
    expect(store.listError).toBe('missing token')
    expect(store.listsLoaded).toBe(true)
  })

  it('analyses the selected preset', async () => {
    const { client } = setupStores({ presets, analyze: cannedAnalyze })
    const store = useTopologiesStore()
    await store.load()
    await store.select({ kind: 'preset', id: '2s-cxl' })
    const analyzeCall = client.calls.find((c) => c.method === 'topology.analyze')
    expect(analyzeCall?.input).toEqual({ topology: twoSocketCxl })
    expect(store.analysis?.tiers).toEqual(twoSocketCxlAnalysis.tiers)
    expect(store.selectedName).toBe('2S + CXL')
    expect(store.analysing).toBe(false)
  })

  it('keeps only the latest of two overlapping selections', async () => {
    const { client } = setupStores({ presets, analyze: cannedAnalyze })
    const store = useTopologiesStore()
    await store.load()
    const first = store.select({ kind: 'preset', id: '2s-cxl' })
    const second = store.select({ kind: 'preset', id: '1s' })
    await Promise.all([first, second])
    expect(store.selected).toEqual({ kind: 'preset', id: '1s' })
    expect(store.selectedName).toBe('One socket')
    expect(client.calls.filter((c) => c.method === 'topology.analyze')).toHaveLength(2)
  })

  it('says which preset is unknown', async () => {
    setupStores({ presets, analyze: cannedAnalyze })
    const store = useTopologiesStore()
    await store.load()
    await store.select({ kind: 'preset', id: 'nope' })
    expect(store.analysisError).toBe('There is no preset "nope".')
    expect(store.analysis).toBeNull()
  })

  it('returns per-field issues for an invalid import and saves nothing', async () => {
    setupStores({ presets })
    const store = useTopologiesStore()
    await store.load()
    const entry = await store.importFile('broken.json', badCapacity)
    expect(entry).toBeNull()
    expect(store.lastImport?.fileName).toBe('broken.json')
    expect(store.lastImport?.issues.map((i) => i.path)).toEqual([
      'components[0].memory.capacityGiB',
    ])
    expect(store.saved).toEqual([])
  })

  it('saves a valid import, lists it, and deleting it clears the selection', async () => {
    setupStores({ presets, analyze: cannedAnalyze })
    const store = useTopologiesStore()
    await store.load()
    const entry = await store.importFile('good.json', JSON.stringify(twoSocketCxl))
    expect(entry?.name).toBe('2S + CXL')
    expect(store.lastImport?.issues).toEqual([])
    expect(store.saved.map((s) => [s.id, s.name, s.components, s.links])).toEqual([
      [1, '2S + CXL', 3, 2],
    ])
    await store.select({ kind: 'saved', id: 1 })
    expect(store.analysis).not.toBeNull()
    await store.remove(1)
    expect(store.saved).toEqual([])
    expect(store.selected).toBeNull()
    expect(store.analysis).toBeNull()
  })

  it('says so when an import was already saved, and lists it once', async () => {
    setupStores({ presets, analyze: cannedAnalyze })
    const store = useTopologiesStore()
    await store.load()
    const first = await store.importFile('good.json', JSON.stringify(twoSocketCxl))
    expect(store.lastImport?.note).toBeUndefined()
    const again = await store.importFile('good.json', JSON.stringify(twoSocketCxl))
    expect(again?.id).toBe(first?.id)
    expect(store.lastImport?.note).toContain('already in your library')
    expect(store.saved).toHaveLength(1)
  })

  it('reloads the saved list when the host says topologies changed', async () => {
    const { client } = setupStores({ presets })
    const store = useTopologiesStore()
    await store.load()
    // Another client (the CLI, another window) imports: the fake emits 'changed' as the host would.
    await client.call('topology.import', { fileName: 'x.json', text: JSON.stringify(twoSocketCxl) })
    await settle()
    expect(store.saved.map((s) => s.name)).toEqual(['2S + CXL'])
  })
})

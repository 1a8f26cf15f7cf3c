import { describe, expect, it } from 'vitest'
import {
  addComponent,
  removeElements,
  renameComponent,
  setComponentField,
} from '../../../../renderer/src/features/editor/model/documentEdits'
import { autoLayout } from '../../../../renderer/src/features/editor/model/autoLayout'
import {
  emptyDocument,
  exportTopology,
} from '../../../../renderer/src/features/editor/model/editorDocument'
import { NODE_SIZE } from '../../../../renderer/src/features/editor/model/nodeGeometry'
import { twoSocketsOneCxl } from './editorFixtures'

describe('document edits', () => {
  it('adds components with the next free id of their kind', () => {
    let doc = emptyDocument()
    const first = addComponent(doc, 'socket', { x: 5, y: 6 })
    doc = first.doc
    const second = addComponent(doc, 'socket', { x: 0, y: 0 })
    expect([first.id, second.id]).toEqual(['s0', 's1'])
    expect(first.doc.positions.s0).toEqual({ x: 5, y: 6 })
    expect(addComponent(doc, 'cxl-memory', { x: 0, y: 0 }).id).toBe('cxl0')
  })

  it('removes a component with every link touching it and its position', () => {
    const next = removeElements(twoSocketsOneCxl(), ['s0'])
    expect(next.topology.components.map((c) => c.id)).toEqual(['s1', 'c0'])
    expect(next.topology.links).toEqual([])
    expect(next.positions.s0).toBeUndefined()
  })

  it('removes links by index', () => {
    const next = removeElements(twoSocketsOneCxl(), [], [0])
    expect(next.topology.links.map((l) => l.kind)).toEqual(['cxl'])
  })

  it('renames a component everywhere it is referenced', () => {
    const next = renameComponent(twoSocketsOneCxl(), 's0', 'cpu0')
    expect(next.topology.components[0].id).toBe('cpu0')
    expect(next.topology.links.map((l) => `${l.a}-${l.b}`)).toEqual(['cpu0-s1', 'cpu0-c0'])
    expect(next.positions.cpu0).toEqual({ x: 0, y: 0 })
    expect(next.positions.s0).toBeUndefined()
  })

  it('sets nested fields immutably and removes emptied ones', () => {
    const doc = twoSocketsOneCxl()
    const next = setComponentField(doc, 'c0', ['memory', 'capacityGiB'], 512)
    const c0 = next.topology.components[2]
    expect('memory' in c0 && c0.memory.capacityGiB).toBe(512)
    const before = doc.topology.components[2]
    expect('memory' in before && before.memory.capacityGiB).toBe(256)
    const cleared = setComponentField(doc, 's0', ['name'], undefined)
    expect('name' in cleared.topology.components[0]).toBe(false)
  })

  it('exports a clean format file without positions', () => {
    const out = exportTopology(twoSocketsOneCxl().topology)
    expect(Object.keys(out)).toEqual(['format', 'name', 'components', 'links'])
  })
})

describe('auto-layout', () => {
  it('puts memory-only devices below their host and sockets side by side', () => {
    const pos = autoLayout(twoSocketsOneCxl().topology)
    const bottom = (id: 's0' | 's1', kind: 'socket') => pos[id].y + NODE_SIZE[kind].height
    expect(pos.c0.y).toBeGreaterThan(bottom('s0', 'socket'))
    expect(pos.s0.y).toBe(pos.s1.y)
    expect(pos.s0.x).not.toBe(pos.s1.x)
  })
})

describe('auto-layout of many expanders', () => {
  it('packs the expanders of one host in rows of LEAF_COLUMNS below it', () => {
    const doc = twoSocketsOneCxl()
    for (let i = 1; i <= 5; i++) {
      doc.topology.components.push({ ...doc.topology.components[2], id: `c${i}` })
      doc.topology.links.push({
        a: 's1',
        b: `c${i}`,
        kind: 'cxl',
        generation: 5,
        lanes: 8,
        latencyNs: 70,
      })
    }
    const pos = autoLayout(doc.topology)
    const row1 = ['c1', 'c2', 'c3', 'c4'].map((id) => pos[id])
    // Four to a row (LEAF_COLUMNS = 4), 200 px wide + 20 px gap → x steps of 220, same y.
    expect(new Set(row1.map((p) => p.y)).size).toBe(1)
    expect(row1.map((p) => p.x - row1[0].x)).toEqual([0, 220, 440, 660])
    // The fifth wraps: first column, one row (96 px + 20 px gap) lower.
    expect(pos.c5).toEqual({ x: row1[0].x, y: row1[0].y + 116 })
    expect(row1[0].y).toBeGreaterThan(pos.s1.y + NODE_SIZE.socket.height)
  })
})

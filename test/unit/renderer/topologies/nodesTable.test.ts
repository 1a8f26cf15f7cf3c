// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import NodesTable from '../../../../renderer/src/components/analysis/NodesTable.vue'
import { twoSocketCxlAnalysis as analysis } from '../helpers/fixtures'

describe('NodesTable', () => {
  it("shows an imported machine's own node ids beside Tierlab's when the import renumbered them", () => {
    const machineNodes = analysis.nodes.map((n) => [5, 0, 2, 3, 4, 1][n.node] ?? n.node)
    const w = mount(NodesTable, {
      props: { nodes: analysis.nodes, tiers: analysis.tiers, machineNodes },
    })
    expect(w.text()).toContain('Machine node')
    expect(w.findAll('[data-testid="machine-node-id"]').map((c) => Number(c.text()))).toEqual(
      machineNodes,
    )
  })

  it('leaves the column out for a drawn machine or ids that already match', () => {
    const same = analysis.nodes.map((n) => n.node)
    for (const machineNodes of [undefined, same]) {
      const w = mount(NodesTable, {
        props: { nodes: analysis.nodes, tiers: analysis.tiers, machineNodes },
      })
      expect(w.text()).not.toContain('Machine node')
      expect(w.findAll('[data-testid="node-row"]')).toHaveLength(analysis.nodes.length)
    }
  })
})

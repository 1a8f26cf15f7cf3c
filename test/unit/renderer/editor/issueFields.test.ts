import { describe, expect, it } from 'vitest'
import { parseDocument } from '../../../../shared/formats'
import {
  componentIssues,
  documentIssues,
  issueCountByComponent,
  linkIssues,
} from '../../../../renderer/src/features/editor/model/issueFields'
import { twoSocketsOneCxl } from './editorFixtures'

function issuesOf(mutate: (t: ReturnType<typeof twoSocketsOneCxl>['topology']) => void) {
  const doc = twoSocketsOneCxl()
  mutate(doc.topology)
  const res = parseDocument('topology', doc.topology)
  if (res.ok) throw new Error('expected issues')
  return { issues: res.issues, topology: doc.topology }
}

describe('issue → field mapping', () => {
  it('maps a schema issue to the component field it names', () => {
    const { issues } = issuesOf((t) => {
      const c0 = t.components[2]
      if ('memory' in c0) c0.memory.capacityGiB = -1
    })
    const byField = componentIssues(issues, 2)
    expect(Object.keys(byField)).toEqual(['memory.capacityGiB'])
    expect(byField['memory.capacityGiB'][0]).toMatch(/0 or more GiB/)
    expect(componentIssues(issues, 0)).toEqual({})
  })

  it('does not confuse components[1] with components[10]', () => {
    const issues = [{ path: 'components[10].cores', message: 'x' }]
    expect(componentIssues(issues, 1)).toEqual({})
    expect(componentIssues(issues, 10)).toEqual({ cores: ['x'] })
  })

  it('maps link issues, including the superRefine ones, to the link fields', () => {
    const { issues } = issuesOf((t) => {
      delete t.links[1].lanes
    })
    // A cxl link without lanes and without bandwidth: the schema reports it on bandwidthGBps.
    expect(linkIssues(issues, 1).bandwidthGBps?.[0]).toMatch(/generation and lanes/)
  })

  it('keeps document-wide issues apart and counts issues per component id', () => {
    const { issues, topology } = issuesOf((t) => {
      t.name = ''
      t.components[1].id = 's0'
    })
    expect(documentIssues(issues).map((i) => i.path)).toContain('name')
    // The duplicate id is reported on components[1].id → s0 (its id is now "s0" too).
    expect(issueCountByComponent(issues, topology).get('s0')).toBeGreaterThanOrEqual(1)
  })
})

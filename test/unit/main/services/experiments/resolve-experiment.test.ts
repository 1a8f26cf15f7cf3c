import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../../../../shared/api'
import {
  checkExperiment,
  createPresetSource,
  resolveExperiment,
  setKnob,
  type PresetCatalog,
} from '../../../../../main/services/experiments'
import { resolveResourcesDir } from '../../../../../main/services'
import { experimentDoc as runsExperimentDoc } from '../runs/helpers'

const RESOURCES = resolveResourcesDir()
let catalog: PresetCatalog
beforeAll(async () => {
  catalog = await createPresetSource(RESOURCES).catalog()
})

/** A small valid experiment on the fixture machine (s0 has 64 GiB DRAM, c0 128 GiB CXL). */
const experimentDoc = () => ({ ...runsExperimentDoc('exp'), policy: { id: 'first-touch' } })

/** A copy of the experiment with one field changed (the sweep's own path setter). */
const withField = (doc: unknown, path: string, value: unknown) => setKnob(doc, path, value)

function issuesOf(doc: unknown) {
  const res = checkExperiment(doc, catalog)
  if (res.ok) throw new Error('expected the experiment to be refused')
  return res.issues
}

describe('experiment resolution', () => {
  it('inlines topology and workload presets by id, as the preset files hold them', () => {
    const doc = {
      ...experimentDoc(),
      topology: { preset: '1s-cxl' },
      workload: { preset: 'kv-store' },
    }
    const exp = resolveExperiment(doc, catalog)
    const file = JSON.parse(
      readFileSync(join(RESOURCES, 'presets', 'topologies', '1s-cxl.json'), 'utf8'),
    )
    expect(exp.topology.name).toBe(file.name)
    expect(exp.topology.components.map((c) => c.id)).toEqual(
      file.components.map((c: { id: string }) => c.id),
    )
    expect(exp.workload.processes[0].initiator).toBe('s0')
    // The file's pageBytes is kept; the format's defaults fill the rest: epochMs 10, seed 1.
    expect([exp.pageBytes, exp.epochMs, exp.seed]).toEqual([2097152, 10, 1])
  })

  it('names an unknown preset and lists the ones that exist', () => {
    const [issue] = issuesOf({ ...experimentDoc(), topology: { preset: 'nope' } })
    expect(issue.path).toBe('topology.preset')
    expect(issue.message).toMatch(/"nope", which is not a topology preset; use one of .*1s-cxl/)
  })

  it('validates an inline document with its own format tag and names the field inside it', () => {
    expect(
      issuesOf(withField(experimentDoc(), 'topology.format', 'tierlab.workload/v1'))[0],
    ).toEqual({
      path: 'topology.format',
      message: expect.stringMatching(/tierlab\.workload file, but a tierlab\.topology file/),
    })
    const issues = issuesOf(
      withField(experimentDoc(), 'topology.components[1].memory.capacityGiB', -1),
    )
    // Reported once, by the topology schema, not again as "wrong shape" of the union.
    expect(issues).toHaveLength(1)
    expect(issues[0].path).toBe('topology.components[1].memory.capacityGiB')
  })

  it('refuses a process on an initiator the topology does not have, naming the fix', () => {
    // The CXL expander has no CPU.
    const issues = issuesOf(withField(experimentDoc(), 'workload.processes[0].initiator', 'c0'))
    expect(issues).toEqual([
      {
        path: 'workload.processes[0].initiator',
        message:
          'names "c0", which is not a socket or GPU of topology "test machine"; use one of s0',
      },
    ])
  })

  it('refuses an unknown policy and a knob the policy does not have', () => {
    const [unknown] = issuesOf({ ...experimentDoc(), policy: { id: 'tpp-ish' } })
    expect(unknown.path).toBe('policy.id')
    expect(unknown.message).toMatch(/"tpp-ish", which is not a policy; use one of .*first-touch/)
    const [knob] = issuesOf({
      ...experimentDoc(),
      policy: { id: 'numa-balancing-tiering', params: { hotThresholdMS: 5 } },
    })
    expect(knob.path).toBe('policy.params')
    expect(knob.message).toMatch(/no knob "hotThresholdMS"/)
  })

  it('refuses a workload bigger than all the memory of the machine', () => {
    // 64 GiB DRAM + 128 GiB CXL = 192 GiB; 193 GiB does not fit, 192 GiB does.
    const [issue] = issuesOf(withField(experimentDoc(), 'workload.regions[0].sizeGiB', 193))
    expect(issue.path).toBe('workload.regions')
    expect(issue.message).toBe(
      'need 193 GiB but topology "test machine" has 192 GiB of memory in all; shrink the regions or add memory to the topology',
    )
    const fits = withField(experimentDoc(), 'workload.regions[0].sizeGiB', 192)
    expect(checkExperiment(fits, catalog).ok).toBe(true)
  })

  it('throws one invalid-input ApiError whose message names the field and carries every issue', () => {
    const doc = {
      ...(withField(experimentDoc(), 'workload.processes[0].initiator', 'x') as object),
      policy: { id: 'nope' },
    }
    try {
      resolveExperiment(doc, catalog)
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError)
      const e = err as ApiError
      expect(e.code).toBe('invalid-input')
      expect(e.message).toMatch(
        /^experiment: workload\.processes\[0\]\.initiator names "x".*\(and 1 more problem\)$/,
      )
      expect(e.issues?.map((i) => i.path)).toEqual(['workload.processes[0].initiator', 'policy.id'])
    }
  })

  it('every shipped example resolves', () => {
    const dir = join(RESOURCES, 'examples')
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'))
    expect(files.length).toBeGreaterThanOrEqual(4)
    for (const f of files) {
      const res = checkExperiment(JSON.parse(readFileSync(join(dir, f), 'utf8')), catalog)
      expect(res.ok ? 'ok' : `${f}: ${JSON.stringify(res.issues)}`).toBe('ok')
    }
  })
})

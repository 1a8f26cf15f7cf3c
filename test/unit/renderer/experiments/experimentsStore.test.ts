import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../../shared/api/errors'
import type { RunDetail } from '../../../../shared/runs'
import type { UserPolicy, UserPolicySummary } from '../../../../shared/user-policies'
import { useExperimentsStore } from '../../../../renderer/src/features/experiments/experimentsStore'
import {
  groupTag,
  parseSweepValues,
} from '../../../../renderer/src/features/experiments/model/experimentPayload'
import { useQueueStore } from '../../../../renderer/src/features/queue/queueStore'
import { useWorkloadsStore } from '../../../../renderer/src/features/experiments/workloads/workloadsStore'
import { twoSocketCxl } from '../helpers/fixtures'
import { createTestClient, kvWorkload, POLICIES, setupTestStores } from './test-client'

const NOW = new Date('2026-03-04T05:06:07.000Z')
const TAG = 'set:kv-study@20260304-050607'

async function loadedBuilder(client = createTestClient()) {
  setupTestStores(client)
  const store = useExperimentsStore()
  await store.load()
  store.settings.name = 'KV study'
  return { store, client, workloads: useWorkloadsStore() }
}

describe('experiment builder → runs.start', () => {
  it('queues one run per selected policy, tagged together, with presets by reference', async () => {
    const { store, client } = await loadedBuilder()
    expect(store.topologyChoice).toBe('preset:2s-cxl')
    store.togglePolicy('first-touch')
    store.togglePolicy('numa-balancing-tiering')
    store.knobValues['numa-balancing-tiering'].hotThresholdMs = '250'
    expect(store.blocker).toBeNull()
    // An open Queue (its store exists) hears the announcement.
    const queue = useQueueStore()

    const runs = await store.run(NOW)

    expect(runs.map((r) => r.policyId)).toEqual(['first-touch', 'numa-balancing-tiering'])
    const common = {
      format: 'tierlab.experiment/v1',
      topology: { preset: '2s-cxl' },
      workload: { preset: 'kv-store' },
      pageBytes: 4096,
      durationS: 10,
      epochMs: 10,
      seed: 1,
    }
    expect(client.callsOf('runs.start')).toEqual([
      {
        experiment: {
          ...common,
          name: 'KV study · first-touch',
          policy: { id: 'first-touch', params: {} },
        },
        tags: [TAG],
      },
      {
        experiment: {
          ...common,
          name: 'KV study · numa-balancing-tiering',
          policy: {
            id: 'numa-balancing-tiering',
            params: {
              hotThresholdMs: 250,
              scanSizeMB: 256,
              thresholdAutoAdjust: true,
              promotion: 'sync',
              nodes: [],
            },
          },
        },
        tags: [TAG],
      },
    ])
    // The queue shows them at once, before any host event.
    expect(queue.rows.map((r) => [r.id, r.status])).toEqual([
      [1, 'queued'],
      [2, 'queued'],
    ])
  })

  it('sends an edited workload inline and a saved topology inline', async () => {
    const client = createTestClient({
      handlers: {
        'topology.get': ({ id }) => ({
          id,
          name: 'Mine',
          createdAt: '',
          updatedAt: '',
          topology: twoSocketCxl,
        }),
      },
    })
    const { store, workloads } = await loadedBuilder(client)
    await store.chooseTopology('saved:7')
    workloads.draft.regions[1].sizeGiB = 64
    store.togglePolicy('first-touch')
    await store.run(NOW)
    const sent = client.callsOf('runs.start')[0].experiment as Record<string, unknown>
    expect(sent.topology).toEqual(twoSocketCxl)
    expect((sent.workload as typeof kvWorkload).regions[1].sizeGiB).toBe(64)
    expect((sent.workload as typeof kvWorkload).name).toBe('KV')
    // One policy: the run keeps the experiment's own name.
    expect(sent.name).toBe('KV study')
  })

  it('refuses to run with an invalid setting and says which', async () => {
    const { store, client } = await loadedBuilder()
    store.togglePolicy('first-touch')
    store.settings.durationS = 0
    expect(store.settingsMessage('durationS')).toBe('must be greater than 0 s, got number 0')
    expect(store.blocker).toBe('Fix the run settings marked in red.')
    store.settings.durationS = 5
    store.knobValues['first-touch'] = {}
    store.togglePolicy('numa-balancing-tiering')
    store.knobValues['numa-balancing-tiering'].scanSizeMB = '0'
    expect(store.knobErrors('numa-balancing-tiering')).toEqual({
      scanSizeMB: 'must be at least 1 MB',
    })
    expect(store.blocker).toBe('Fix the knobs of numa-balancing-tiering.')
    await store.run(NOW)
    expect(client.callsOf('runs.start')).toEqual([])
  })

  it('shows the API refusal with its text and issues', async () => {
    const { store, client } = await loadedBuilder()
    store.togglePolicy('first-touch')
    const issues = [{ path: 'workload.processes[0].initiator', message: 'is not a socket' }]
    client.failNext(
      'runs.start',
      new ApiError('invalid-input', 'experiment: bad initiator', issues),
    )
    expect(await store.run(NOW)).toEqual([])
    expect(store.submitError).toEqual({ message: 'experiment: bad initiator', issues })
  })
})

describe('sweeps → runs.sweep', () => {
  it('sweeps a policy knob for that policy, and runs each other ticked policy once beside it', async () => {
    const { store, client } = await loadedBuilder()
    store.togglePolicy('first-touch')
    store.togglePolicy('numa-balancing-tiering')
    store.sweepPath = 'policy.params.hotThresholdMs'
    store.sweepText = '100, 500 ,1000'
    // The confirmation says what happens to the other ticked policy instead of ignoring it.
    expect(store.sweepPlan).toBe(
      '3 runs of numa-balancing-tiering, one per value, and 1 run each of first-touch at its current knobs for reference, all tagged together.',
    )
    const runs = await store.sweep(NOW)
    expect(runs).toHaveLength(4)
    const calls = client.callsOf('runs.sweep')
    expect(calls).toHaveLength(1)
    expect(calls[0].knob).toBe('policy.params.hotThresholdMs')
    expect(calls[0].values).toEqual([100, 500, 1000])
    expect(calls[0].tags).toEqual([TAG])
    const exp = calls[0].experiment as { name: string; policy: { id: string } }
    expect(exp.policy.id).toBe('numa-balancing-tiering')
    const starts = client.callsOf('runs.start')
    expect(starts.map((c) => (c.experiment as { policy: { id: string } }).policy.id)).toEqual([
      'first-touch',
    ])
    expect(starts[0].tags).toEqual([TAG])
  })

  it('sweeps a topology number once per selected policy', async () => {
    const { store, client } = await loadedBuilder()
    store.togglePolicy('first-touch')
    store.togglePolicy('numa-balancing-tiering')
    // twoSocketCxl: components s0, s1, c0 → c0 is components[2].
    const target = 'topology.components[2].memory.capacityGiB'
    expect(store.sweepTargets.find((t) => t.path === target)?.label).toBe('c0: capacity (GiB)')
    store.sweepPath = target
    store.sweepText = '64,128'
    await store.sweep(NOW)
    const calls = client.callsOf('runs.sweep')
    expect(
      calls.map((c) => [(c.experiment as { policy: { id: string } }).policy.id, c.knob, c.values]),
    ).toEqual([
      ['first-touch', target, [64, 128]],
      ['numa-balancing-tiering', target, [64, 128]],
    ])
  })

  it('parses sweep values per kind and names the bad one', () => {
    expect(parseSweepValues('1, 2.5,4', 'number')).toEqual({ ok: true, values: [1, 2.5, 4] })
    expect(parseSweepValues('1, x', 'number')).toEqual({
      ok: false,
      message: '"x" is not a number',
    })
    expect(parseSweepValues('true,false', 'boolean')).toEqual({ ok: true, values: [true, false] })
    expect(parseSweepValues('sync, lazy', 'select', ['sync', 'async'])).toEqual({
      ok: false,
      message: '"lazy" is not one of sync, async',
    })
    expect(parseSweepValues(' , ', 'number')).toEqual({
      ok: false,
      message: 'enter at least one value, e.g. 1, 2, 4',
    })
  })

  it('makes a group tag within the 60 characters a tag may have', () => {
    expect(groupTag('KV study', NOW)).toBe(TAG)
    const long = groupTag('A very long experiment name that goes on and on and on', NOW)
    // 'set:' (4) + slug cut to 36 + '@' (1) + 15-character stamp = 56.
    expect(long).toBe('set:a-very-long-experiment-name-that-goe@20260304-050607')
    expect(long.length).toBe(56)
  })
})

describe('rerun with changes (?from=<runId>)', () => {
  it('fills the builder with the run experiment', async () => {
    const detail = {
      id: 42,
      experiment: {
        format: 'tierlab.experiment/v1',
        name: 'Old run',
        topology: twoSocketCxl,
        workload: kvWorkload,
        policy: {
          id: 'numa-balancing-tiering',
          params: { hotThresholdMs: 300, promotion: 'async' },
        },
        pageBytes: 2097152,
        durationS: 30,
        epochMs: 5,
        seed: 9,
        mode: 'fast',
        tags: [],
      },
    } as unknown as RunDetail
    const client = createTestClient({ handlers: { 'runs.get': () => detail } })
    setupTestStores(client)
    const store = useExperimentsStore()
    await store.prefillFromRun(42)
    expect(store.loadError).toBeNull()
    expect(store.topologyChoice).toBe('run:42')
    expect(store.selectedPolicies).toEqual(['numa-balancing-tiering'])
    expect(store.knobValues['numa-balancing-tiering']).toMatchObject({
      hotThresholdMs: '300',
      promotion: 'async',
      scanSizeMB: '256',
    })
    expect(store.settings).toEqual({
      name: 'Old run',
      seed: 9,
      durationS: 30,
      epochMs: 5,
      pageBytes: 2097152,
    })
    await store.run(NOW)
    const sent = client.callsOf('runs.start')[0].experiment as Record<string, unknown>
    expect(sent.topology).toEqual(twoSocketCxl)
    expect(sent.workload).toEqual(kvWorkload)
    expect(sent.policy).toEqual({
      id: 'numa-balancing-tiering',
      params: {
        hotThresholdMs: 300,
        scanSizeMB: 256,
        thresholdAutoAdjust: true,
        promotion: 'async',
        nodes: [],
      },
    })
  })

  it("fills every knob with the run's archived effective value, not today's default", async () => {
    // Since engine 0.3 a run archives all its knobs; this one ran with a scan size of 128 MB
    // (the default when it ran), which today's default of 256 must not replace.
    const archived = {
      hotThresholdMs: 1000,
      scanSizeMB: 128,
      thresholdAutoAdjust: false,
      promotion: 'sync',
      nodes: [0],
    }
    const detail = {
      id: 7,
      experiment: {
        format: 'tierlab.experiment/v1',
        name: 'Archived',
        topology: twoSocketCxl,
        workload: kvWorkload,
        policy: { id: 'numa-balancing-tiering', params: archived },
        pageBytes: 2097152,
        durationS: 30,
        epochMs: 5,
        seed: 9,
        mode: 'fast',
        tags: [],
      },
    } as unknown as RunDetail
    const client = createTestClient({ handlers: { 'runs.get': () => detail } })
    setupTestStores(client)
    const store = useExperimentsStore()
    await store.prefillFromRun(7)
    expect(store.knobValues['numa-balancing-tiering']).toEqual({
      hotThresholdMs: '1000',
      scanSizeMB: '128',
      thresholdAutoAdjust: false,
      promotion: 'sync',
      nodes: '[0]',
    })
    await store.run(NOW)
    const sent = client.callsOf('runs.start')[0].experiment as { policy: unknown }
    expect(sent.policy).toEqual({ id: 'numa-balancing-tiering', params: archived })
  })

  it('a run of a script file saves its archived source in the library and selects it', async () => {
    const source = 'export default { name: "p", create: () => ({}) }'
    const detail = {
      id: 12,
      experiment: {
        format: 'tierlab.experiment/v1',
        name: 'Script run',
        topology: twoSocketCxl,
        workload: kvWorkload,
        policy: {
          script: './policies/promote.js',
          source,
          sourceSha256: 'a'.repeat(64),
          params: { period: 5 },
        },
        pageBytes: 4096,
        durationS: 10,
        epochMs: 10,
        seed: 1,
        mode: 'fast',
        tags: [],
      },
    } as unknown as RunDetail
    // The library already has a different promote.js: the rerun must not overwrite it.
    const saved = [{ name: 'promote.js', sourceSha256: 'b'.repeat(64) }] as UserPolicySummary[]
    const knob = { name: 'period', type: 'integer', default: 997, min: 1 }
    const client = createTestClient({
      policies: POLICIES,
      handlers: {
        'runs.get': () => detail,
        'policies.user.list': () => saved,
        'policies.user.save': (input) => {
          saved.push({ name: input.name, sourceSha256: 'a'.repeat(64) } as UserPolicySummary)
          return saved.at(-1) as UserPolicy
        },
        'policies.list': () =>
          [
            ...POLICIES,
            ...saved.map((p) => ({
              id: `library:${p.name}`,
              name: p.name,
              description: '',
              knobs: [knob],
            })),
          ] as never,
      },
    })
    setupTestStores(client)
    const store = useExperimentsStore()
    await store.prefillFromRun(12)
    expect(store.loadError).toBeNull()
    expect(client.callsOf('policies.user.save')).toEqual([{ name: 'promote-run12.js', source }])
    expect(store.selectedPolicies).toEqual(['library:promote-run12.js'])
    expect(store.knobValues['library:promote-run12.js']).toMatchObject({ period: '5' })
    // A second rerun of the same run finds the saved copy by its hash and saves nothing more.
    await store.prefillFromRun(12)
    expect(client.callsOf('policies.user.save')).toHaveLength(1)
    expect(store.selectedPolicies).toEqual(['library:promote-run12.js'])
  })

  it('says so when the run does not exist', async () => {
    const client = createTestClient()
    setupTestStores(client)
    const store = useExperimentsStore()
    await store.prefillFromRun(5)
    expect(store.loadError).toBe('Could not load run #5: No run with id 5.')
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  parseDocument,
  parseDocumentText,
  summariseIssues,
  checkFormatTag,
} from '../../../shared/formats'
import { SCHEMA_KINDS, jsonSchemaFor } from '../../../shared/formats/json-schema'
import { policyKnobsSchemas } from '../../../main/engine'

const dram = {
  capacityGiB: 64,
  media: 'DDR5',
  readLatencyNs: 110,
  writeLatencyNs: 110,
  readBandwidthGBps: 300,
  writeBandwidthGBps: 300,
}
const cxl = {
  ...dram,
  capacityGiB: 128,
  readLatencyNs: 170,
  writeLatencyNs: 170,
  readBandwidthGBps: 36,
  writeBandwidthGBps: 36,
}

function topology(over: Record<string, unknown> = {}) {
  return {
    format: 'tierlab.topology/v1',
    name: 'test',
    components: [
      { id: 's0', kind: 'socket', cores: 8, memory: dram },
      { id: 'c0', kind: 'cxl-memory', memory: cxl },
    ],
    links: [{ a: 's0', b: 'c0', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 }],
    ...over,
  }
}

function issuesOf(doc: unknown, kind: 'topology' | 'workload' | 'experiment' = 'topology') {
  const r = parseDocument(kind, doc)
  if (r.ok) throw new Error('expected the document to be rejected')
  return r.issues
}

describe('topology format', () => {
  it('accepts a valid file and applies defaults', () => {
    const r = parseDocument('topology', topology())
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value.components[0]).toMatchObject({ memory: { reportsPerformance: true } })
      expect(r.value.links).toHaveLength(1)
    }
  })

  it('accepts older minor versions of v1', () => {
    expect(parseDocument('topology', topology({ format: 'tierlab.topology/v1.0' })).ok).toBe(true)
  })

  it('refuses a newer major naming both versions', () => {
    const [issue] = issuesOf(topology({ format: 'tierlab.topology/v2' }))
    expect(issue.path).toBe('format')
    expect(issue.message).toContain('tierlab.topology/v2')
    expect(issue.message).toContain('up to v1')
  })

  it('refuses a file of another kind and a missing tag', () => {
    expect(issuesOf({ ...topology(), format: 'tierlab.workload/v1' })[0].message).toMatch(
      /tierlab.workload file/,
    )
    const { format: _f, ...untagged } = topology()
    expect(issuesOf(untagged)[0].message).toMatch(/missing/)
    expect(checkFormatTag([], 'topology')).toMatch(/JSON object/)
  })

  it('names the field of a wrong type', () => {
    const doc = topology()
    ;(doc.components[0] as Record<string, unknown>).cores = 'many'
    const issues = issuesOf(doc)
    expect(issues).toEqual([
      { path: 'components[0].cores', message: 'expected number, got the string "many"' },
    ])
  })

  it('names missing fields', () => {
    const doc = topology()
    const { readLatencyNs: _r, ...memory } = dram
    ;(doc.components[0] as Record<string, unknown>).memory = memory
    const issues = issuesOf(doc)
    expect(issues.map((i) => i.path)).toEqual(['components[0].memory.readLatencyNs'])
    expect(issues[0].message).toMatch(/missing/)
  })

  it('rejects negative capacity with the unit', () => {
    const doc = topology()
    ;(doc.components[1] as { memory: Record<string, unknown> }).memory = { ...cxl, capacityGiB: -4 }
    const issues = issuesOf(doc)
    expect(issues[0].path).toBe('components[1].memory.capacityGiB')
    expect(issues[0].message).toMatch(/0 or more GiB/)
  })

  it('rejects links to unknown components and lists the known ids', () => {
    const issues = issuesOf(
      topology({
        links: [{ a: 's0', b: 'c9', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 }],
      }),
    )
    expect(issues).toHaveLength(1)
    expect(issues[0].path).toBe('links[0].b')
    expect(issues[0].message).toContain('"c9"')
    expect(issues[0].message).toContain('s0, c0')
  })

  it('rejects duplicate ids, self links, a upi link to a device, and no socket', () => {
    const dup = topology()
    dup.components.push({ id: 's0', kind: 'socket', cores: 4, memory: dram })
    expect(issuesOf(dup).map((i) => i.path)).toContain('components[2].id')
    expect(
      issuesOf(
        topology({ links: [{ a: 's0', b: 's0', kind: 'upi', latencyNs: 1, bandwidthGBps: 10 }] }),
      )[0].path,
    ).toBe('links[0].b')
    expect(
      issuesOf(
        topology({ links: [{ a: 's0', b: 'c0', kind: 'upi', latencyNs: 1, bandwidthGBps: 10 }] }),
      )[0].path,
    ).toBe('links[0].kind')
    expect(
      issuesOf(
        topology({ components: [{ id: 'c0', kind: 'cxl-memory', memory: cxl }], links: [] }),
      )[0].message,
    ).toMatch(/socket/)
  })

  it('needs a bandwidth or generation and lanes on links', () => {
    const issues = issuesOf(topology({ links: [{ a: 's0', b: 'c0', kind: 'cxl', latencyNs: 70 }] }))
    expect(issues[0]).toEqual({
      path: 'links[0].bandwidthGBps',
      message: 'a cxl link needs bandwidthGBps, or generation and lanes to derive it',
    })
    expect(
      issuesOf(topology({ links: [{ a: 's0', b: 'c0', kind: 'nvlink-c2c', latencyNs: 70 }] }))[0]
        .message,
    ).toMatch(/nvlink-c2c link needs bandwidthGBps/)
  })

  it('flags unknown fields so typos do not pass silently', () => {
    const issues = issuesOf(topology({ colour: 'red' }))
    expect(issues).toEqual([
      { path: 'colour', message: 'unknown field "colour"; remove it or check its spelling' },
    ])
  })

  it('reports invalid JSON text as one issue', () => {
    const r = parseDocumentText('topology', '{ "format": ')
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.issues).toHaveLength(1)
      expect(summariseIssues('bad.json', r.issues)).toMatch(/^bad\.json: is not valid JSON/)
    }
  })

  it('summarises many issues in one sentence', () => {
    const s = summariseIssues('t.json', [
      { path: 'a', message: 'is wrong' },
      { path: 'b', message: 'is wrong too' },
      { path: 'c', message: 'also' },
    ])
    expect(s).toBe('t.json: a is wrong (and 2 more problems)')
  })
})

const workload = () => ({
  format: 'tierlab.workload/v1',
  name: 'kv',
  regions: [{ id: 'heap', sizeGiB: 4, firstTouch: 'app' }],
  processes: [
    {
      id: 'app',
      initiator: 's0',
      threads: 4,
      computeNsPerOp: 100,
      accessesPerOp: 2,
      mlp: 4,
      writeFraction: 0.2,
      phases: [
        {
          durationS: 10,
          accesses: [{ region: 'heap', share: 1, pattern: { kind: 'zipf', s: 0.99 } }],
        },
      ],
    },
  ],
})

describe('topology errors in one pass', () => {
  it('reports duplicate ids and dangling links together with bad field values', () => {
    // Before: the cross-checks ran only once every field parsed, so an import listed the bad
    // latency, and the duplicate id and the unknown link end only after that was fixed.
    const doc = topology({
      components: [
        { id: 's0', kind: 'socket', cores: 8, memory: { ...dram, readLatencyNs: -5 } },
        { id: 's0', kind: 'cxl-memory', memory: cxl },
      ],
      links: [{ a: 's0', b: 'nowhere', kind: 'cxl', generation: 5, lanes: 8, latencyNs: 70 }],
    })
    const paths = issuesOf(doc).map((i) => i.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'components[0].memory.readLatencyNs',
        'components[1].id',
        'links[0].b',
      ]),
    )
  })

  it('reports a missing format tag together with the fields to fix', () => {
    // Before: the tag was checked first and alone, so the bad capacity came in a second pass.
    const { format: _omit, ...untagged } = topology({
      components: [{ id: 's0', kind: 'socket', cores: 8, memory: { ...dram, capacityGiB: -1 } }],
      links: [],
    })
    const paths = issuesOf(untagged).map((i) => i.path)
    expect(paths).toEqual(['format', 'components[0].memory.capacityGiB'])
  })

  it('says only "wrong kind of file" for another kind or a newer version', () => {
    const asWorkload = issuesOf({ ...workload(), format: 'tierlab.workload/v1' })
    expect(asWorkload).toHaveLength(1)
    expect(asWorkload[0].message).toContain('tierlab.workload file')
    expect(issuesOf(topology({ format: 'tierlab.topology/v9', components: 'x' }))).toHaveLength(1)
  })

  it("reports a link's missing bandwidth together with its other bad fields", () => {
    // Before: the link's bandwidth check ran only once its other fields had the right types.
    const doc = topology({
      components: [
        { id: 's0', kind: 'socket', cores: 8, memory: dram },
        { id: 's1', kind: 'socket', cores: 8, memory: dram },
      ],
      links: [{ a: 's0', b: 's1', kind: 'upi', latencyNs: '30 ns' }],
    })
    expect(issuesOf(doc).map((i) => i.path)).toEqual(
      expect.arrayContaining(['links[0].latencyNs', 'links[0].bandwidthGBps']),
    )
    // A bad kind has no bandwidth rule to apply: one issue for it, no guess about bandwidth.
    const badKind = topology({ links: [{ a: 's0', b: 'c0', kind: 'ethernet', latencyNs: 5 }] })
    expect(issuesOf(badKind).map((i) => i.path)).toEqual(['links[0].kind'])
  })

  it('survives any shape while cross-checking', () => {
    expect(
      issuesOf(topology({ components: [null, 7, { id: 3 }], links: 'x' })).length,
    ).toBeGreaterThan(0)
    expect(issuesOf(topology({ components: [] })).map((i) => i.path)).toContain('components')
  })
})

describe('workload format', () => {
  it('accepts a valid workload and defaults the layout and allocation', () => {
    const r = parseDocument('workload', workload())
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value.regions[0].allocation).toBe('start')
      expect(r.value.processes[0].phases[0].accesses[0].pattern).toEqual({
        kind: 'zipf',
        s: 0.99,
        layout: 'shuffled',
      })
    }
  })

  it('checks cross references and shares', () => {
    const w = workload()
    w.regions[0].firstTouch = 'nobody'
    w.processes[0].phases[0].accesses.push({
      region: 'stack',
      share: 0.5,
      pattern: { kind: 'uniform' },
    } as never)
    const paths = issuesOf(w, 'workload').map((i) => `${i.path}: ${i.message}`)
    expect(paths).toEqual([
      'regions[0].firstTouch: names process "nobody", which does not exist; use one of app',
      'processes[0].phases[0].accesses[1].region: names region "stack", which does not exist; use one of heap',
      'processes[0].phases[0].accesses: shares add up to 1.5; make them add up to 1',
    ])
  })

  it('rejects an unknown pattern kind', () => {
    const w = workload()
    w.processes[0].phases[0].accesses[0].pattern = { kind: 'gaussian' } as never
    const issues = issuesOf(w, 'workload')
    expect(issues[0].path).toBe('processes[0].phases[0].accesses[0].pattern.kind')
    expect(issues[0].message).toMatch(/uniform, zipf, hotset, moving-window, scan, trace/)
  })

  it('takes a region backing (anon when absent) and names a wrong one with the choices', () => {
    const w = workload()
    const plain = parseDocument('workload', w)
    expect(plain.ok && plain.value.regions[0].backing).toBe(undefined)
    ;(w.regions[0] as Record<string, unknown>).backing = 'file'
    const file = parseDocument('workload', w)
    expect(file.ok && file.value.regions[0].backing).toBe('file')
    ;(w.regions[0] as Record<string, unknown>).backing = 'swap'
    const issues = issuesOf(w, 'workload')
    expect(issues).toHaveLength(1)
    expect(issues[0].path).toBe('regions[0].backing')
    expect(issues[0].message).toMatch(/'anon', 'file' or 'tmpfs'/)
  })
})

describe('experiment format', () => {
  it('accepts presets by reference and fills defaults', () => {
    const r = parseDocument('experiment', {
      format: 'tierlab.experiment/v1',
      name: 'e',
      topology: { preset: '2s-cxl' },
      workload: { preset: 'kv-store' },
      policy: { id: 'first-touch' },
      durationS: 10,
    })
    expect(r.ok).toBe(true)
    if (r.ok)
      expect(r.value).toMatchObject({
        pageBytes: 4096,
        epochMs: 10,
        seed: 1,
        mode: 'fast',
        policy: { params: {} },
      })
  })

  it('accepts an inline topology and rejects a bad page size', () => {
    const issues = issuesOf(
      {
        format: 'tierlab.experiment/v1',
        name: 'e',
        topology: topology(),
        workload: workload(),
        policy: { id: 'first-touch' },
        durationS: 10,
        pageBytes: 8192,
      },
      'experiment',
    )
    expect(issues).toEqual([
      { path: 'pageBytes', message: 'must be 4096 or 2097152 bytes, got number 8192' },
    ])
  })
})

describe('generated JSON Schemas', () => {
  it.each(SCHEMA_KINDS)(
    'resources/schemas/%s.v1.json is up to date (run `npm run schemas`)',
    (kind) => {
      const file = join(import.meta.dirname, '../../../resources/schemas', `${kind}.v1.json`)
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(
        jsonSchemaFor(kind, { policies: policyKnobsSchemas() }),
      )
    },
  )

  it("describes each policy's knobs in the experiment schema, from the knobs' own metadata", () => {
    interface Branch {
      required: string[]
      properties: {
        id: { const?: string; not?: { enum: string[] } }
        params: { properties: Record<string, unknown>; additionalProperties?: boolean }
        limits?: { properties: Record<string, unknown> }
      }
    }
    const schema = jsonSchemaFor('experiment', { policies: policyKnobsSchemas() }) as {
      properties: { policy: { anyOf: Branch[] } }
    }
    const branches = schema.properties.policy.anyOf
    const numab = branches.find((b) => b.properties.id.const === 'numa-balancing-tiering')!
    expect(numab.properties.params.properties.hotThresholdMs).toMatchObject({
      title: 'Hot threshold',
      unit: 'ms',
      description: expect.stringContaining('hot_threshold_ms'),
      default: 1000,
      exclusiveMinimum: 0,
    })
    expect(numab.properties.params.additionalProperties).toBe(false)
    // An id this build does not ship keeps free-form params.
    const other = branches.find((b) => b.properties.id?.not)!
    expect(other.properties.id.not?.enum).toContain('oracle')
    // A user script, with its sandbox limits, is a policy too.
    const script = branches.find((b) => b.required.includes('script'))!
    expect(Object.keys(script.properties.limits!.properties)).toContain('memoryMiB')
  })
})

describe('document text encodings (web import, bundle import)', () => {
  const doc = JSON.stringify({ format: 'tierlab.topology/v1', name: 'x', components: [] })

  it('drops a UTF-8 byte-order mark', () => {
    const r = parseDocumentText('topology', `\uFEFF${doc}`)
    // Parsed as JSON: the error is the schema's (no component), not a syntax error.
    expect(r.ok).toBe(false)
    expect(!r.ok && r.issues[0].path).toBe('components')
  })

  it('names UTF-16 text decoded as UTF-8 instead of reporting a JSON syntax error', () => {
    // What a browser's file.text() makes of a UTF-16 LE file: U+FFFD U+FFFD, then NUL-padded ASCII.
    const garbled = new TextDecoder('utf-8').decode(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, 'utf16le')]),
    )
    const r = parseDocumentText('topology', garbled)
    expect(r).toEqual({
      ok: false,
      issues: [
        {
          path: '(file)',
          message:
            'is not UTF-8 text (it looks like UTF-16, which some Windows editors write); save it as UTF-8',
        },
      ],
    })
  })
})

import { describe, expect, it } from 'vitest'
import {
  defaultFormValues,
  formValuesFromParams,
  knobToField,
  readKnob,
  readKnobs,
} from '../../../../renderer/src/features/experiments/model/knobFields'
import { POLICIES } from './test-client'

const knobs = POLICIES[1].knobs
const fields = knobs.map(knobToField)
const field = (name: string) => fields.find((f) => f.name === name)!

describe('knobToField', () => {
  it('makes a number field with unit, range and default in its help text', () => {
    expect(field('hotThresholdMs')).toEqual({
      name: 'hotThresholdMs',
      label: 'Hot threshold',
      unit: 'ms',
      help: 'Hint-fault latency below which a page is hot. Range more than 0 and at most 3600000 ms. Default 1000 ms.',
      kind: 'number',
      integer: false,
      min: undefined,
      exclusiveMin: 0,
      max: 3_600_000,
      exclusiveMax: undefined,
      defaultValue: '1000',
    })
  })

  it('maps integer, boolean, enum and object knobs to their controls', () => {
    expect(field('scanSizeMB')).toMatchObject({ kind: 'number', integer: true, min: 1 })
    expect(field('scanSizeMB').help).toContain('Range at least 1 MB.')
    expect(field('thresholdAutoAdjust')).toMatchObject({ kind: 'boolean', defaultValue: true })
    expect(field('promotion')).toMatchObject({
      kind: 'select',
      options: ['sync', 'async'],
      defaultValue: 'sync',
    })
    expect(field('nodes')).toMatchObject({ kind: 'json', defaultValue: '[]' })
  })

  it("takes the label from the knob's schema rather than from its name", () => {
    expect(field('thresholdAutoAdjust').label).toBe('Adjust the threshold')
    expect(field('nodes').label).toBe('Nodes')
  })
})

describe('reading knob values', () => {
  it('gives every default when the form is untouched', () => {
    expect(readKnobs(fields, defaultFormValues(fields))).toEqual({
      ok: true,
      params: {
        hotThresholdMs: 1000,
        scanSizeMB: 256,
        thresholdAutoAdjust: true,
        promotion: 'sync',
        nodes: [],
      },
    })
  })

  it('names what is wrong with a value, per field', () => {
    expect(readKnob(field('scanSizeMB'), '2.5')).toEqual({
      ok: false,
      message: 'must be a whole number',
    })
    expect(readKnob(field('scanSizeMB'), '0')).toEqual({
      ok: false,
      message: 'must be at least 1 MB',
    })
    expect(readKnob(field('hotThresholdMs'), '')).toEqual({
      ok: false,
      message: 'missing; enter a number ms',
    })
    // hotThresholdMs must be positive: 0 is refused with the bound it must exceed.
    expect(readKnob(field('hotThresholdMs'), '0')).toEqual({
      ok: false,
      message: 'must be more than 0 ms',
    })
    expect(readKnob(field('hotThresholdMs'), '0.5')).toEqual({ ok: true, value: 0.5 })
    expect(readKnob(field('hotThresholdMs'), '4000000')).toEqual({
      ok: false,
      message: 'must be at most 3600000 ms',
    })
    expect(readKnob(field('hotThresholdMs'), 'abc')).toEqual({
      ok: false,
      message: '"abc" is not a number',
    })
    expect(readKnob(field('nodes'), '[0,')).toEqual({
      ok: false,
      message: 'is not valid JSON; write it like []',
    })
    const values = { ...defaultFormValues(fields), scanSizeMB: 'x', promotion: 'lazy' }
    expect(readKnobs(fields, values)).toEqual({
      ok: false,
      errors: { scanSizeMB: '"x" is not a number', promotion: 'must be one of sync, async' },
    })
  })

  it('fills a form from a run params, keeping defaults for knobs the run left out', () => {
    const values = formValuesFromParams(fields, {
      hotThresholdMs: 250,
      thresholdAutoAdjust: false,
      nodes: [0, 2],
    })
    expect(values).toEqual({
      hotThresholdMs: '250',
      scanSizeMB: '256',
      thresholdAutoAdjust: false,
      promotion: 'sync',
      nodes: '[0,2]',
    })
    expect(readKnobs(fields, values)).toEqual({
      ok: true,
      params: {
        hotThresholdMs: 250,
        scanSizeMB: 256,
        thresholdAutoAdjust: false,
        promotion: 'sync',
        nodes: [0, 2],
      },
    })
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dispatch, openServices, type Services } from '../../../../../main/services'
import type { MachineImport, TraceImport } from '../../../../../shared/api/contract'
import { tempDb, type TempDb } from '../fixtures'
import { FIXTURES } from './helpers'

const b64 = (p: string) => readFileSync(join(FIXTURES, p)).toString('base64')

let db: TempDb
let services: Services
beforeEach(() => {
  db = tempDb()
  services = openServices({ dbPath: db.dbPath, host: 'web' })
})
afterEach(() => {
  services.close()
  db.cleanup()
})

describe('import API', () => {
  it('topology.importMachine returns the machine and its warnings without saving it', async () => {
    const reply = await dispatch(services, 'topology.importMachine', {
      files: [{ name: '2s-2cxl.txt', base64: b64('numactl/2s-2cxl.txt') }],
    })
    expect(reply.ok).toBe(true)
    if (!reply.ok) return
    const value = reply.value as MachineImport
    expect(value.topology.components).toHaveLength(4)
    expect(value.warnings.length).toBeGreaterThan(0)
    const list = await dispatch(services, 'topology.list', {})
    expect(list.ok && list.value).toEqual([])
  })

  it('a bad file is invalid input naming it, and nothing is stored', async () => {
    const reply = await dispatch(services, 'topology.importMachine', {
      files: [{ name: 'notes.txt', base64: Buffer.from('hello').toString('base64') }],
    })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.code).toBe('invalid-input')
    expect(reply.error.message).toMatch(/^notes\.txt: is not a format Tierlab reads/)
    const list = await dispatch(services, 'topology.list', {})
    expect(list.ok && list.value).toEqual([])
  })

  it('workload.importTrace returns a workload the library accepts as is', async () => {
    const reply = await dispatch(services, 'workload.importTrace', {
      file: { name: 'hot.lackey.gz', base64: b64('lackey/hot.lackey.gz') },
      initiator: 's0',
    })
    expect(reply.ok).toBe(true)
    if (!reply.ok) return
    const value = reply.value as TraceImport
    expect(value.format).toBe('lackey')
    const saved = await dispatch(services, 'workload.save', { workload: value.workload })
    expect(saved.ok).toBe(true)
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { importMachine, type MachineInput } from '../../../../../main/services/import/machine'

export const FIXTURES = join(__dirname, '../../../../fixtures/import')

export function fixture(path: string): MachineInput {
  return { name: path, data: readFileSync(join(FIXTURES, path)) }
}

export function importFixtures(...paths: string[]) {
  return importMachine(paths.map(fixture))
}

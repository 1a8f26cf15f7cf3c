import { readFile } from 'node:fs/promises'
import { parseDocumentText, summariseIssues, type Topology } from '../../shared/formats'
import { badInput } from './errors'

/** Why a file could not be read, in words, from Node's error code. */
function readProblem(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'does not exist; check the path'
    case 'EISDIR':
      return 'is a folder; give the path of a JSON file'
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied); check its permissions'
    default:
      return `cannot be read (${err.code ?? err.message}); check the path`
  }
}

export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8')
  } catch (err) {
    throw badInput(`${file}: ${readProblem(err as NodeJS.ErrnoException)}`)
  }
}

/** Reads and validates a topology file; one sentence naming the file, field and fix otherwise. */
export async function readTopologyFile(file: string): Promise<Topology> {
  const parsed = parseDocumentText('topology', await readTextFile(file))
  if (!parsed.ok) throw badInput(summariseIssues(file, parsed.issues))
  return parsed.value
}

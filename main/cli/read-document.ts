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

/**
 * A file's text: UTF-8 (a leading BOM dropped) or UTF-16 with its BOM, as Windows editors save
 * it; anything else is refused naming the encoding, not as a JSON syntax error.
 */
export function decodeText(file: string, bytes: Uint8Array): string {
  const [a, b] = bytes
  // Each decoder drops its own BOM (ignoreBOM defaults to false).
  const encoding =
    a === 0xff && b === 0xfe ? 'utf-16le' : a === 0xfe && b === 0xff ? 'utf-16be' : 'utf-8'
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes)
  } catch {
    throw badInput(
      `${file}: is not UTF-8 or UTF-16 text (a byte is not valid in its encoding); save it as UTF-8`,
    )
  }
}

export async function readTextFile(file: string): Promise<string> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(file)
  } catch (err) {
    throw badInput(`${file}: ${readProblem(err as NodeJS.ErrnoException)}`)
  }
  return decodeText(file, bytes)
}

/** Reads and validates a topology file; one sentence naming the file, field and fix otherwise. */
export async function readTopologyFile(file: string): Promise<Topology> {
  const parsed = parseDocumentText('topology', await readTextFile(file))
  if (!parsed.ok) throw badInput(summariseIssues(file, parsed.issues))
  return parsed.value
}

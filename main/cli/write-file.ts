import { rename, rm, writeFile } from 'node:fs/promises'
import { badInput } from './errors'

/** Writes FILE whole or not at all: a temporary file beside it, renamed over it. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`
  try {
    await writeFile(tmp, text)
    await rename(tmp, file)
  } catch (err) {
    await rm(tmp, { force: true })
    throw badInput(
      `--out ${file}: cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the folder exists and is writable`,
    )
  }
}

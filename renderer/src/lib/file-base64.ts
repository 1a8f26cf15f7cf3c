/**
 * A dropped file's bytes as base64, the form the import API takes (tar.gz bundles are binary).
 * btoa takes a binary string; chunks keep String.fromCharCode under the argument limit.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const CHUNK = 0x8000
  for (let i = 0; i < bytes.length; i += CHUNK)
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(binary)
}

export interface DroppedFile {
  name: string
  base64: string
}

export async function readDroppedFiles(files: Iterable<File>): Promise<DroppedFile[]> {
  return Promise.all(
    [...files].map(async (f) => ({
      name: f.name,
      base64: bytesToBase64(new Uint8Array(await f.arrayBuffer())),
    })),
  )
}

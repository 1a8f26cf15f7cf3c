import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readBundle } from '../../../../../main/services/import/bundle'

/** One tar entry (ustar header + content padded to 512), as `tar` writes it. */
function tarEntry(path: string, size: number, content: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(512)
  h.write(path, 0)
  h.write('0000644\0', 100)
  h.write('0000000\0', 108)
  h.write('0000000\0', 116)
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124)
  h.write('00000000000\0', 136)
  h.write('        ', 148)
  h.write('0', 156)
  h.write('ustar\0', 257)
  h.write('00', 263)
  let sum = 0
  for (const b of h) sum += b
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  const body = Buffer.alloc(Math.ceil(size / 512) * 512)
  content.copy(body)
  return Buffer.concat([h, body])
}

describe('capture bundles: bounded unpacking', () => {
  it('stops a gzip bomb at the unpack limit instead of unpacking it whole', async () => {
    // A 16 MiB file of zeros compresses to a few KiB; with a 1 MiB limit reading must stop early.
    const bomb = gzipSync(
      Buffer.concat([tarEntry('c/numactl.txt', 16 * 2 ** 20), Buffer.alloc(1024)]),
    )
    expect(bomb.length).toBeLessThan(64 * 1024)
    await expect(readBundle(bomb, 'bomb.tgz', 2 ** 20)).rejects.toThrow(
      /bomb\.tgz: unpacks to more than 1 MiB; give a tar\.gz made by the `tierlab capture` script/,
    )
  })

  it('stops at the end-of-archive blocks however many zeros follow', async () => {
    // A small valid bundle followed by 32 MiB of zeros: tar's parser alone keeps concatenating them.
    const text = Buffer.from('available: 1 nodes (0)\nnode 0 cpus: 0\nnode 0 size: 1024 MB\n')
    const tgz = gzipSync(
      Buffer.concat([tarEntry('c/numactl.txt', text.length, text), Buffer.alloc(32 * 2 ** 20)]),
    )
    const files = await readBundle(tgz, 'padded.tgz')
    expect(files.get('c/numactl.txt')).toBe(text.toString())
  }, 10_000)

  it('names a gzip that is cut short', async () => {
    const whole = gzipSync(
      Buffer.concat([tarEntry('c/x.txt', 5, Buffer.from('hello')), Buffer.alloc(1024)]),
    )
    await expect(readBundle(whole.subarray(0, whole.length - 12), 'cut.tgz')).rejects.toThrow(
      /cut\.tgz: /,
    )
  })
})

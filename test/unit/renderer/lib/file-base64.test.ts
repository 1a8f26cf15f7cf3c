import { describe, expect, it } from 'vitest'
import { bytesToBase64 } from '../../../../renderer/src/lib/file-base64'

describe('bytesToBase64', () => {
  it('encodes binary files (a tar.gz) exactly, across chunk boundaries', () => {
    const bytes = new Uint8Array(100_003)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff
    let binary = ''
    for (const b of bytes) binary += String.fromCharCode(b)
    expect(bytesToBase64(bytes)).toBe(btoa(binary))
    expect(bytesToBase64(Uint8Array.from([0x1f, 0x8b, 0x08, 0xff]))).toBe('H4sI/w==')
    expect(bytesToBase64(new Uint8Array())).toBe('')
  })
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../shared/security'
import { CONTENT_SECURITY_POLICY as electronPolicy } from '../../../main/app/security'
import { CONTENT_SECURITY_POLICY as webPolicy } from '../../../main/host/web/security-headers'

// main/app imports electron, whose binary is not installed here.
vi.mock('electron', () => ({}))

describe('Content-Security-Policy', () => {
  it('is the same string for Electron and the web host', () => {
    expect(electronPolicy).toBe(CONTENT_SECURITY_POLICY)
    expect(webPolicy).toBe(CONTENT_SECURITY_POLICY)
  })

  it('forbids <base> and form submissions, which default-src does not cover', () => {
    const directives = CONTENT_SECURITY_POLICY.split('; ')
    expect(directives).toContain("base-uri 'none'")
    expect(directives).toContain("form-action 'none'")
  })

  it("matches renderer/index.html's meta tag, which cannot carry frame-ancestors", () => {
    const html = readFileSync(join(import.meta.dirname, '../../../renderer/index.html'), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta).not.toBeNull()
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter(
      (d) => !d.startsWith('frame-ancestors'),
    )
    expect(meta![1].split('; ')).toEqual(expected)
  })
})

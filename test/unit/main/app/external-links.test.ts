import { beforeEach, describe, expect, it, vi } from 'vitest'
import { shell } from './fake-electron'
import { isSafeExternalUrl, openExternalLink } from '../../../../main/app/external-links'

vi.mock('electron', () => import('./fake-electron'))

describe('isSafeExternalUrl', () => {
  it('accepts plain https links', () => {
    expect(isSafeExternalUrl('https://docs.kernel.org/admin-guide/mm/numaperf.html')).toBe(true)
    expect(isSafeExternalUrl('https://example.com:8443/a?b=c#d')).toBe(true)
  })

  it('refuses other schemes, credentials, junk and absurd lengths', () => {
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'ms-settings:privacy',
      'https://user:pw@example.com/',
      'https://user@example.com/',
      'https://',
      'https://exam\nple.com/',
      ' https://example.com/',
      'not a url',
      '',
      // 2049 characters: one over the 2048 limit.
      `https://example.com/${'a'.repeat(2049 - 'https://example.com/'.length)}`,
      42,
      undefined,
    ]) {
      expect(isSafeExternalUrl(url), String(url).slice(0, 40)).toBe(false)
    }
    // Exactly 2048 characters is still fine.
    expect(isSafeExternalUrl(`https://example.com/${'a'.repeat(2048 - 20)}`)).toBe(true)
  })
})

describe('openExternalLink', () => {
  beforeEach(() => shell.openExternal.mockClear())

  it('hands only safe links to the system browser', () => {
    expect(openExternalLink('https://example.com/')).toBe(true)
    expect(openExternalLink('file:///bin/sh')).toBe(false)
    expect(shell.openExternal.mock.calls).toEqual([['https://example.com/']])
  })
})

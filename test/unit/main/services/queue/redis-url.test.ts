import { describe, expect, it } from 'vitest'
import { parseQueueUrl, redactUrl } from '../../../../../main/services/queue'

describe('parseQueueUrl', () => {
  it('reads host, port, database and credentials, and prints none of the credentials', () => {
    const a = parseQueueUrl('redis://alice:s3cret@lab-7.example:6380/2')
    expect(a).toMatchObject({
      host: 'lab-7.example',
      port: 6380,
      db: 2,
      username: 'alice',
      password: 's3cret',
    })
    expect(a.display).toBe('redis://lab-7.example:6380/2')
    expect(parseQueueUrl('redis://10.0.0.5').display).toBe('redis://10.0.0.5:6379')
    expect(parseQueueUrl('rediss://h:1').tls).toBe(true)
  })

  it.each([
    ['nonsense', 'is not a URL'],
    ['http://bob:pw@host:80', 'uses http, not redis'],
    ['redis://host:99999', 'is not a URL'],
    ['redis://host:6379/queue', 'is not a database number'],
  ])('refuses %s with one sentence and the fix', (text, why) => {
    expect(() => parseQueueUrl(text)).toThrow(why)
    expect(() => parseQueueUrl(text)).toThrow('write it like redis://HOST:PORT')
  })

  it('never repeats a password in its error', () => {
    let message = ''
    try {
      parseQueueUrl('ftp://bob:hunter2@host')
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toContain('ftp://***@host')
    expect(message).not.toContain('hunter2')
    expect(redactUrl('redis://:pw@h:1')).toBe('redis://***@h:1')
  })
})

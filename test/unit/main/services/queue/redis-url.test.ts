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

  // A generated password often holds '/', '@' or '#', and a scheme can be mistyped: the URL then
  // does not parse, and the message that shows it must still hide everything up to the host.
  it.each([
    ['redis://ops:pa/ss9@host:6379', 'pa/ss9'],
    ['redis://ops:hunt@er2@host:99999', 'er2'],
    ['redis:/ops:hunter2@host', 'hunter2'],
    ['redis//ops:hunter2@host', 'hunter2'],
  ])('masks the password of %s in its error', (text, secret) => {
    let message = ''
    try {
      parseQueueUrl(text)
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toMatch(/^--queue: ".*\*\*\*@host/)
    expect(message).not.toContain(secret)
  })

  it('says how to write a password that breaks the URL', () => {
    expect(() => parseQueueUrl('redis://ops:pa/ss9@host:6379')).toThrow(
      '--queue: "redis://***@host:6379" is not a URL (in a password, write / @ # ? as %2F %40 %23 %3F); write it like redis://HOST:PORT',
    )
    expect(parseQueueUrl('redis://ops:pa%2Fss9@host:6379').password).toBe('pa/ss9')
  })
})

import { describe, expect, it } from 'vitest'
import { forwardEvents } from '../../../../../main/host/ipc'
import type { EventTargetLike } from '../../../../../main/host/ipc'
import { createServiceEvents } from '../../../../../main/services/events'
import type { ApiEvent } from '../../../../../shared/api/contract'

function fakeTarget() {
  const sent: Array<[string, unknown]> = []
  let destroyed = false
  const target: EventTargetLike = {
    send: (channel, payload) => sent.push([channel, payload]),
    isDestroyed: () => destroyed,
  }
  return { target, sent, destroy: () => (destroyed = true) }
}

const changed: ApiEvent = { type: 'changed', what: 'topologies' }

describe('forwardEvents', () => {
  it('sends each service event to the window on tierlab:event', () => {
    const events = createServiceEvents()
    const { target, sent } = fakeTarget()
    forwardEvents(events, () => target)
    events.emit(changed)
    events.emit({ type: 'run-status', runId: 3, status: 'done' })
    expect(sent).toEqual([
      ['tierlab:event', changed],
      ['tierlab:event', { type: 'run-status', runId: 3, status: 'done' }],
    ])
  })

  it('skips a closed or destroyed window, and stops after unsubscribe', () => {
    const events = createServiceEvents()
    const { target, sent, destroy } = fakeTarget()
    let current: EventTargetLike | null = null
    const unsubscribe = forwardEvents(events, () => current)
    events.emit(changed) // no window yet
    current = target
    destroy()
    events.emit(changed) // destroyed
    expect(sent).toEqual([])
    const second = fakeTarget()
    current = second.target
    events.emit(changed)
    unsubscribe()
    events.emit(changed)
    expect(second.sent).toEqual([['tierlab:event', changed]])
  })
})

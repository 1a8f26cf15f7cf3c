import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useToastsStore } from '../../../../renderer/src/stores/toasts'
import { ApiError } from '../../../../shared/api/errors'

describe('toasts store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows an unhandled error with its text, once, and drops it on dismiss', () => {
    const store = useToastsStore()
    store.push(new ApiError('not-found', 'There is no run #9.'))
    store.push(new ApiError('not-found', 'There is no run #9.'))
    store.push('plain text')
    expect(store.toasts.map((t) => t.text)).toEqual(['There is no run #9.', 'plain text'])
    store.dismiss(store.toasts[0].id)
    expect(store.toasts.map((t) => t.text)).toEqual(['plain text'])
  })

  it('keeps the newest four and names an error without a message', () => {
    const store = useToastsStore()
    for (const n of [1, 2, 3, 4, 5]) store.push(new Error(`e${n}`))
    store.push(new Error(''))
    // Six pushed, four kept: e3, e4, e5 and the empty one.
    expect(store.toasts.map((t) => t.text)).toEqual([
      'e3',
      'e4',
      'e5',
      'Something went wrong, with no message.',
    ])
  })
})

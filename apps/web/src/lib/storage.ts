/** The part of `Storage` the app uses, so logic can be tested without a browser. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** `localStorage`, or a throwaway in-memory store when it is unavailable (blocked cookies, private modes). */
export function browserStore(): KeyValueStore {
  try {
    const store = globalThis.localStorage
    const probe = 'hashiya.probe'
    store.setItem(probe, '1')
    store.removeItem(probe)
    return store
  } catch {
    return memoryStore()
  }
}

export function memoryStore(initial: Record<string, string> = {}): KeyValueStore {
  const values = new Map(Object.entries(initial))
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      values.set(key, String(value))
    },
    removeItem: (key) => {
      values.delete(key)
    },
  }
}

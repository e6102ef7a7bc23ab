import { useEffect, useRef } from 'react'

/**
 * Calls `onShown` when the page comes back into view (another tab was in
 * front, the window was elsewhere), at most once per `minIntervalMs`. A list
 * or a session read once goes stale while the person is away: a colleague
 * shared a document, an administrator changed their role. `onShown` returns
 * false when it had nothing to do (that does not count against the interval).
 */
export function useWhenShownAgain(onShown: () => boolean, minIntervalMs: number): void {
  const callback = useRef(onShown)
  callback.current = onShown
  useEffect(() => {
    let last = 0
    const shown = () => {
      if (document.visibilityState !== 'visible') return
      const now = Date.now()
      if (now - last < minIntervalMs) return
      if (callback.current()) last = now
    }
    document.addEventListener('visibilitychange', shown)
    window.addEventListener('focus', shown)
    return () => {
      document.removeEventListener('visibilitychange', shown)
      window.removeEventListener('focus', shown)
    }
  }, [minIntervalMs])
}

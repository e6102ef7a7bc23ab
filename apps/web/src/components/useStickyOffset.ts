/**
 * The page's sticky bars (the header, the editor's formatting toolbar) change
 * height: the header wraps on a phone and at 200 % zoom. Each publishes its
 * height as a CSS variable on the root, so what sticks below it sits below it
 * and what scrolls the caret into view keeps it clear of it.
 */
import { type RefObject, useEffect } from 'react'

export function useStickyOffset(ref: RefObject<HTMLElement | null>, variable: string): void {
  useEffect(() => {
    const element = ref.current
    if (!element) return
    const root = element.ownerDocument.documentElement
    const publish = () =>
      root.style.setProperty(variable, `${Math.ceil(element.getBoundingClientRect().height)}px`)
    publish()
    const observer = new ResizeObserver(publish)
    observer.observe(element)
    return () => {
      observer.disconnect()
      root.style.removeProperty(variable)
    }
  }, [ref, variable])
}

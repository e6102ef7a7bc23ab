/**
 * An accessible tab list: one tab focusable at a time, arrow keys move in the
 * reading direction (so right-to-left in Arabic), Home and End jump to the ends.
 */
import type { KeyboardEvent } from 'react'

export interface TabListProps<T extends string> {
  tabs: readonly T[]
  selected: NoInfer<T>
  onSelect(tab: NoInfer<T>): void
  label: string
  className: string
  tabClassName: string
  tabId(tab: NoInfer<T>): string
  panelId(tab: NoInfer<T>): string
  testId(tab: NoInfer<T>): string
  children(tab: NoInfer<T>): string
}

export function TabList<T extends string>(props: TabListProps<T>) {
  const { tabs, selected } = props
  const onKeyDown = (event: KeyboardEvent) => {
    const index = tabs.indexOf(selected)
    const rtl = document.dir === 'rtl'
    const step =
      event.key === (rtl ? 'ArrowLeft' : 'ArrowRight')
        ? 1
        : event.key === (rtl ? 'ArrowRight' : 'ArrowLeft')
          ? -1
          : 0
    const next =
      event.key === 'Home'
        ? tabs[0]
        : event.key === 'End'
          ? tabs[tabs.length - 1]
          : step !== 0
            ? tabs[(index + step + tabs.length) % tabs.length]
            : undefined
    if (next === undefined) return
    event.preventDefault()
    props.onSelect(next)
    document.getElementById(props.tabId(next))?.focus()
  }
  return (
    <div className={props.className} role="tablist" aria-label={props.label}>
      {tabs.map((tab) => (
        <button
          key={tab}
          id={props.tabId(tab)}
          type="button"
          role="tab"
          className={props.tabClassName}
          data-testid={props.testId(tab)}
          aria-selected={selected === tab}
          aria-controls={props.panelId(tab)}
          tabIndex={selected === tab ? 0 : -1}
          onClick={() => props.onSelect(tab)}
          onKeyDown={onKeyDown}
        >
          {props.children(tab)}
        </button>
      ))}
    </div>
  )
}

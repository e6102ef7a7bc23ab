import { initialsOf } from '@hashiya/editor'

/** A round badge with a person's initials in their colour (decorative: the name is shown or labelled nearby). */
export function Avatar({
  name,
  color,
  size = 'md',
}: {
  name: string
  color: string
  size?: 'sm' | 'md'
}) {
  return (
    <span
      className={`avatar avatar--${size}`}
      style={{ backgroundColor: color }}
      aria-hidden="true"
    >
      {initialsOf(name)}
    </span>
  )
}

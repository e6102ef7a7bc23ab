/** A 24×24 stroked line icon drawn in the surrounding text colour; decorative (hidden from assistive tech). */
export function LineIcon({
  path,
  className,
  size,
}: {
  path: string
  className: string
  size: number
}) {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={path}
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}

/** Keyboard shortcuts in Tiptap notation ("Mod-Alt-1") as people read them on their platform. */

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function formatShortcut(shortcut: string, mac = IS_MAC): string {
  const parts = shortcut.split('-')
  const names = parts.map((part) => {
    switch (part) {
      case 'Mod':
        return mac ? '⌘' : 'Ctrl'
      case 'Alt':
        return mac ? '⌥' : 'Alt'
      case 'Shift':
        return mac ? '⇧' : 'Shift'
      default:
        return part.toUpperCase()
    }
  })
  return names.join(mac ? '' : '+')
}

import i18next, { type TFunction } from 'i18next'
import { describe, expect, it } from 'vitest'
import { resources } from '../i18n/index.js'
import type { Version } from '../lib/historyApi.js'
import { versionLabel } from './Versions.js'

const arabic = i18next.createInstance()
void arabic.init({ resources, lng: 'ar', initAsync: false, interpolation: { escapeValue: false } })
const t = arabic.t as unknown as TFunction

const version = (id: string, name: string | null, at = '2026-11-25T20:00:00.000Z'): Version => ({
  id,
  name,
  auto: name === null,
  seq: 1,
  at,
  createdBy: name === null ? null : 'rana',
})

describe('versionLabel', () => {
  const named = version('v1', 'قبل التحرير')
  const checkpoint = version('s8', null)
  const versions = [named, checkpoint]

  it('names what a restore brought back, never its internal id', () => {
    expect(versionLabel(version('v3', 'restore:v1'), t, 'ar', versions)).toBe(
      'استعادة من قبل التحرير',
    )
    const fromCheckpoint = versionLabel(version('v4', 'restore:s8'), t, 'ar', versions)
    expect(fromCheckpoint).toContain('نقطة حفظ')
    expect(fromCheckpoint).not.toContain('s8')
    const fromTime = versionLabel(version('v5', 'restore:2026-11-25T19:00:00Z'), t, 'ar', versions)
    expect(fromTime).not.toContain('2026-11-25T')
  })

  it('shows a version by its name, a checkpoint by its time', () => {
    expect(versionLabel(named, t, 'ar')).toBe('قبل التحرير')
    expect(versionLabel(checkpoint, t, 'ar')).toMatch(/^نقطة حفظ /)
  })
})

import {
  annotationMarkKey,
  createAnnotation,
  deleteAnnotation,
  readAnnotations,
  updateAnnotation,
} from '@hashiya/annotations'
import { appendParagraphs, blocksOf, bodyOf, createYDoc } from '@hashiya/document'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type AuditEvent, type AuditState, diffAnnotations } from './index.js'

function trail() {
  const doc = createYDoc()
  appendParagraphs(doc, ['قال نيلسون إن القصة قد تكون صحيحة.', 'ونفت روسيا ذلك.'])
  let state: AuditState = new Map()
  const step = (): AuditEvent[] => {
    const result = diffAnnotations(state, readAnnotations(doc))
    state = result.state
    return result.events
  }
  step()
  return { doc, step }
}

const actions = (events: AuditEvent[]) => events.map((e) => e.action)

describe('diffAnnotations', () => {
  it('names creation, field changes, relations and deletion', () => {
    const { doc, step } = trail()
    const claim = createAnnotation(doc, { kind: 'claim', start: 14, end: 33, author: 'u' })
    expect(step()).toEqual([
      { action: 'created', annotationId: claim, kind: 'claim', text: 'القصة قد تكون صحيحة' },
    ])
    const denial = createAnnotation(doc, { kind: 'denial', start: 36, end: 46, author: 'u' })
    step()
    updateAnnotation(doc, denial, { note: 'رسمي', speaker: 'روسيا', link: [claim] }, 'u')
    expect(actions(step()).sort()).toEqual(['note-changed', 'relation-added', 'speaker-changed'])
    updateAnnotation(doc, claim, { kind: 'aside' }, 'u')
    const kindEvents = step()
    // the denial's link stops making sense when its target is no longer a claim
    expect(kindEvents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'kind-changed',
          annotationId: claim,
          from: 'claim',
          to: 'aside',
        }),
        expect.objectContaining({ action: 'relation-removed', annotationId: denial, from: claim }),
      ]),
    )
    deleteAnnotation(doc, denial)
    expect(step()).toEqual([
      { action: 'deleted', annotationId: denial, kind: 'denial', text: 'ونفت روسيا' },
    ])
    expect(step()).toEqual([])
  })

  it('sees text changes under a tag, its disappearance with its text, and its return on undo', () => {
    const { doc, step } = trail()
    const undo = new Y.UndoManager([bodyOf(doc), doc.getMap('annotations')])
    const id = createAnnotation(doc, { kind: 'quote', start: 14, end: 19, author: 'u' })
    undo.stopCapturing()
    step()
    const text = (blocksOf(doc)[0] as Y.XmlElement).get(0) as Y.XmlText
    text.insert(17, 'ــ', { [annotationMarkKey(id)]: { id } })
    undo.stopCapturing()
    expect(step()).toEqual([
      expect.objectContaining({ action: 'text-changed', from: 'القصة', to: 'القــصة' }),
    ])
    text.delete(14, 7)
    undo.stopCapturing()
    expect(step()).toEqual([
      expect.objectContaining({ action: 'deleted', annotationId: id, text: 'القــصة' }),
    ])
    undo.undo()
    expect(actions(step())).toEqual(['restored'])
  })
})

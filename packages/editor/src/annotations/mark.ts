/**
 * The `annotation` mark: which text an annotation covers, and nothing else.
 *
 * It carries only the annotation id. Everything that can change (kind, note,
 * speaker, links) lives in the annotations Y.Map: changing a mark's attributes
 * under concurrency would duplicate the mark. Annotations overlap (`excludes:
 * ''`, so y-tiptap stores each one under its own `annotation--<hash>` key) and
 * typing at an edge does not extend one (`inclusive: false`).
 */
import { ANNOTATION_MARK, isValidAnnotationId } from '@hashiya/annotations'
import { Mark } from '@tiptap/core'

export const AnnotationMark = Mark.create({
  name: ANNOTATION_MARK,
  inclusive: false,
  excludes: '',

  addAttributes() {
    return {
      id: {
        default: null,
        parseHTML: (element: HTMLElement) => element.getAttribute('data-annotation-id'),
        renderHTML: (attributes: Record<string, unknown>) =>
          typeof attributes.id === 'string' ? { 'data-annotation-id': attributes.id } : {},
      },
    }
  },

  parseHTML() {
    return [
      {
        tag: 'span[data-annotation-id]',
        getAttrs: (element: HTMLElement) =>
          isValidAnnotationId(element.getAttribute('data-annotation-id')) ? null : false,
      },
    ]
  },

  renderHTML({ HTMLAttributes }) {
    return ['span', HTMLAttributes, 0]
  },
})

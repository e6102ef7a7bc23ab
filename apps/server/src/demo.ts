/**
 * First start: a new data directory gets the demo article, so a new user opens
 * something real at once. Later starts leave the document list as users left it.
 */
import { encodeDocumentFromParagraphs } from '@hashiya/document'
import { readDemoArticle } from '@hashiya/fixtures'
import type { DocumentStore } from '@hashiya/storage'

export const DEMO_DOCUMENT_ID = 'demo-musk-putin'

/** Creates the demo document when the store holds no document at all. */
export async function seedDemoDocument(store: DocumentStore): Promise<boolean> {
  if ((await store.listDocuments()).length > 0) return false
  const article = readDemoArticle()
  await store.createDocument({
    id: DEMO_DOCUMENT_ID,
    title: article.title,
    initialUpdate: encodeDocumentFromParagraphs(article.paragraphs),
    userId: 'system',
  })
  return true
}

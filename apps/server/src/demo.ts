/**
 * First start: a new data directory gets the demo article, so a new user opens
 * something real at once. Later starts leave the document list as users left it.
 */
import { type Accounts, EVERYONE } from '@hashiya/accounts'
import { encodeDocumentFromParagraphs } from '@hashiya/document'
import { readDemoArticle } from '@hashiya/fixtures'
import type { DocumentStore } from '@hashiya/storage'

export const DEMO_DOCUMENT_ID = 'demo-musk-putin'

/**
 * Creates the demo document when the store holds no document at all, shared
 * with the whole newsroom for editing.
 */
export async function seedDemoDocument(store: DocumentStore, accounts: Accounts): Promise<boolean> {
  if ((await store.listDocuments()).length > 0) return false
  const article = readDemoArticle()
  await store.createDocument({
    id: DEMO_DOCUMENT_ID,
    title: article.title,
    initialUpdate: encodeDocumentFromParagraphs(article.paragraphs),
    userId: 'system',
  })
  await accounts.share(DEMO_DOCUMENT_ID, EVERYONE, 'edit', 'system')
  return true
}

/**
 * Stock y-websocket clients in Node, exactly as a third-party script would use them.
 */
import { blocksOf, createYDoc, readParagraphs } from '@hashiya/document'
import { waitFor } from '@hashiya/testing'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import type * as Y from 'yjs'

// y-websocket registers a process 'exit' listener per provider; tests open dozens.
process.setMaxListeners(200)

export interface StockClient {
  doc: Y.Doc
  provider: WebsocketProvider
  paragraphs(): string[]
  destroy(): void
}

export function connectStockClient(
  wsUrl: string,
  documentId: string,
  options: {
    /** A bearer token, sent as `?token=` (a stock client cannot send headers). */
    token: string
    /** The id announced in awareness; changes are attributed to the token's account. */
    userId?: string
    name?: string
    connect?: boolean
  },
): StockClient {
  const doc = createYDoc()
  const provider = new WebsocketProvider(`${wsUrl}/sync`, documentId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token: options.token },
    disableBc: true,
    connect: options.connect ?? true,
    maxBackoffTime: 300,
  })
  provider.awareness.setLocalStateField('user', {
    id: options.userId ?? 'test-user',
    name: options.name ?? 'Test',
    color: '#c0392b',
  })
  return {
    doc,
    provider,
    paragraphs: () => readParagraphs(doc),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

export async function whenSynced(client: StockClient, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => client.provider.synced, 'client to sync', timeoutMs)
}

/** Appends text at the end of the first paragraph, as a user typing would. */
export function typeInto(client: StockClient, paragraphIndex: number, text: string): void {
  const paragraph = blocksOf(client.doc)[paragraphIndex] as Y.XmlElement
  const textNode = paragraph.get(0) as Y.XmlText
  textNode.insert(textNode.length, text)
}

/** The audit derivation's worker thread (see deriver.ts). */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort } from 'node:worker_threads'
import { AuditDerivation } from './derivation.js'
import type { DeriverMessage, DeriverReply } from './deriver.js'

const derivation = new AuditDerivation()

/**
 * The trail is background work: on a busy machine the thread that relays
 * everyone's updates comes first. Linux keeps a nice value per thread, so this
 * thread alone is lowered; elsewhere it simply runs at normal priority.
 */
function yieldToTheSyncCore(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (Number.isInteger(threadId)) setPriority(threadId, 10)
  } catch {
    // no /proc, or not allowed
  }
}

yieldToTheSyncCore()

parentPort?.on('message', (message: DeriverMessage) => {
  if ('forget' in message) {
    derivation.forget(message.forget)
    return
  }
  let reply: DeriverReply
  try {
    reply = { id: message.id, result: derivation.derive(message.request) }
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) }
  }
  parentPort?.postMessage(reply)
})

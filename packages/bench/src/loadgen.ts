/**
 * The load generator: many headless Yjs clients on real WebSockets (`ws`),
 * speaking the y-websocket protocol with y-protocols' encoding, written to be
 * cheap enough that one thread can drive thousands of them.
 *
 * Two kinds of client:
 * - lean clients (observers, idle connections, join storms) hold no Y.Doc: they
 *   do the handshake a stock client does (sync step 1 with their state vector,
 *   a step 2 reply to the server's step 1) and scan each update frame for
 *   latency markers;
 * - group members (editors) make real Yjs edits. Members of one group share one
 *   Y.Doc, each with its own Yjs client id (set before each of its
 *   transactions), and each with its own socket, so the server sees N
 *   independent clients. Only the group's first member (its primary) applies
 *   what arrives to the shared doc; the other members read their own frames only
 *   for latency. The server's work and every client's delivery are unchanged;
 *   what is saved is the generator's CPU (applying each update once per group,
 *   not once per client).
 *
 * The generator runs inside worker threads (see worker.ts) or in the main thread.
 */
import { performance } from 'node:perf_hooks'
import { annotationMarkKey, writeRecord } from '@hashiya/annotations'
import { blocksOf, createYDoc, readPlainText } from '@hashiya/document'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { now } from './clock.js'
import {
  MessageType,
  marker,
  STEP1_EMPTY,
  STEP2_EMPTY,
  SyncType,
  scanMarkers,
  syncFrame,
  syncPayload,
} from './protocol.js'
import { Samples } from './stats.js'

/** Transaction origin of what arrives from the server. */
const REMOTE = Symbol('remote')

const KINDS = ['claim', 'quote', 'denial', 'aside'] as const

export interface MemberSpec {
  /** Marker author number, unique in the run. */
  author: number
  /** Yjs client id of this member's edits. */
  clientID: number
}

export interface GroupSpec {
  id: string
  /** WebSocket URL of the document every member opens. */
  url: string
  members: MemberSpec[]
  /** Initial content for servers that hold none (stock, raw): applied locally, pushed by sync. */
  seed?: Uint8Array | null
  /**
   * Whether the primary applies the updates that arrive (default true). Off for
   * groups that are the document's only writers: what comes back is their own.
   */
  applyRemote?: boolean
}

export interface LeanSpec {
  url: string
  /** Marker author number of this client (only for own-echo detection); -1 for observers. */
  author?: number
}

export interface OpenRequest {
  groups?: GroupSpec[]
  leans?: LeanSpec[]
  /** Handshakes in flight at once (Infinity: all at once, a storm). */
  concurrency?: number
  /** Sync times are measured from this moment (run clock, µs); default: when each socket opens. */
  startAt?: number
  timeoutMs?: number
}

export interface OpenResult {
  opened: number
  failed: number
  /** ms from `startAt` (or from each client's own connect) to its sync step 2, per client. */
  syncMs: Float64Array
  /** ms from the connect to the first frame the server sent (its sync step 1). */
  firstFrameMs: Float64Array
  errors: string[]
}

export type ActionKind = 'type' | 'type-and-tag'

export interface RunRequest {
  kind: ActionKind
  /** Actions per second per member. */
  perSecond: number
  durationMs: number
  /** Only edits sent in [measureFrom, measureUntil] (run clock, µs) are measured. */
  measureFrom: number
  measureUntil: number
  /** Only these groups act (default: all). */
  groups?: string[]
}

export interface AppendRequest {
  group: string
  count: number
  /** Edits sent but not yet seen by any observer of this generator. */
  window: number
  timeoutMs?: number
}

export interface AppendResult {
  sent: number
  delivered: number
  elapsedMs: number
}

export interface Report {
  /** ms from an edit to its arrival at another client. */
  latencies: Float64Array
  /** ms from an edit to its echo back at its author (the server's confirmation). */
  acks: Float64Array
  /** Edits made within the measured window. */
  sent: number
  /** Deliveries of measured edits to clients other than their author. */
  delivered: number
  framesReceived: number
  bytesReceived: number
  /** Event-loop utilization of this thread between `run` and `report`. */
  elu: number
  closedUnexpectedly: number
}

class Connection {
  ws: WebSocket | null = null
  syncedAt = 0
  openedAt = 0
  firstFrameAt = 0
  onSynced: ((ok: boolean, error?: string) => void) | null = null
  /** Where the next typed text goes, per member. */
  caret = -1
  paragraph: Y.XmlText | null = null
  actions = 0
  /** Update frames received (echoes included). */
  updatesReceived = 0

  constructor(
    readonly url: string,
    readonly author: number,
    readonly group: Group | null,
    readonly clientID: number,
  ) {}

  get primary(): boolean {
    return this.group !== null && this.group.members[0] === this
  }

  send(frame: Uint8Array): void {
    const ws = this.ws
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(frame)
  }
}

class Group {
  readonly doc = createYDoc()
  readonly members: Connection[] = []
  /** The member whose transaction is running (its socket carries the update). */
  sending: Connection | null = null
  paragraphs: Y.XmlText[] | null = null

  /** When set, local updates are handed to it instead of being sent (pre-generated edits). */
  captureInstead: ((update: Uint8Array) => void) | null = null

  /** Sends a local transaction's update on the acting member's socket. */
  private readonly onUpdate = (update: Uint8Array) => {
    if (this.captureInstead) this.captureInstead(update)
    else this.sending?.send(syncFrame(SyncType.update, update))
  }

  constructor(
    readonly id: string,
    /** Whether the primary applies what arrives (off when nobody else writes). */
    readonly applyRemote: boolean,
  ) {}

  /** Paragraphs long enough to type and tag in. */
  textParagraphs(): Y.XmlText[] {
    if (!this.paragraphs) {
      const found: Y.XmlText[] = []
      for (const block of blocksOf(this.doc)) {
        if (!(block instanceof Y.XmlElement)) continue
        const text = block.get(0)
        if (text instanceof Y.XmlText && text.length >= 40) found.push(text)
      }
      this.paragraphs = found
    }
    return this.paragraphs
  }

  /** Runs `edit` as `member`: its client id, its socket. */
  act(member: Connection, edit: () => void): void {
    this.doc.clientID = member.clientID
    this.sending = member
    // Listening only around local transactions spares Yjs encoding an update
    // event for every remote one.
    this.doc.on('update', this.onUpdate)
    try {
      this.doc.transact(edit, member)
    } finally {
      this.doc.off('update', this.onUpdate)
      this.sending = null
    }
  }
}

function randomInt(below: number): number {
  return Math.floor(Math.random() * below)
}

export class LoadGenerator {
  private readonly connections: Connection[] = []
  private readonly groups = new Map<string, Group>()
  private latencies = new Samples()
  private acks = new Samples()
  private measureFrom = Number.POSITIVE_INFINITY
  private measureUntil = Number.NEGATIVE_INFINITY
  private sent = 0
  private delivered = 0
  /** Every delivery to an observer, measured or not (append throughput). */
  private deliveries = 0
  private deliveryWaiter: (() => void) | null = null
  /** During an append run: when each sequence number was sent. */
  private sequenceSentAt: Float64Array | null = null
  private framesReceived = 0
  private bytesReceived = 0
  private closedUnexpectedly = 0
  private closing = false
  private eluStart = performance.eventLoopUtilization()
  private timers = new Set<NodeJS.Timeout>()

  get connectionCount(): number {
    return this.connections.length
  }

  /** Opens the clients and waits until each has received its sync step 2. */
  async open(request: OpenRequest): Promise<OpenResult> {
    const syncMs: number[] = []
    const firstFrameMs: number[] = []
    const errors: string[] = []
    let failed = 0
    const startAt = request.startAt
    const timeoutMs = request.timeoutMs ?? 120_000
    const connect = (connection: Connection): Promise<void> =>
      new Promise((resolve) => {
        const timer = setTimeout(() => finish(false, 'sync timed out'), timeoutMs)
        const finish = (ok: boolean, error?: string) => {
          if (!connection.onSynced) return
          connection.onSynced = null
          clearTimeout(timer)
          if (ok) {
            const from = startAt ?? connection.openedAt
            syncMs.push((connection.syncedAt - from) / 1000)
            firstFrameMs.push((connection.firstFrameAt - connection.openedAt) / 1000)
          } else {
            failed++
            if (errors.length < 5 && error) errors.push(error)
          }
          resolve()
        }
        connection.onSynced = finish
        this.connect(connection)
      })
    const pending: Connection[] = []
    for (const spec of request.groups ?? []) {
      const group = new Group(spec.id, spec.applyRemote ?? true)
      this.groups.set(spec.id, group)
      if (spec.seed) Y.applyUpdate(group.doc, spec.seed, REMOTE)
      for (const member of spec.members) {
        const connection = new Connection(spec.url, member.author, group, member.clientID)
        group.members.push(connection)
        this.connections.push(connection)
      }
    }
    for (const spec of request.leans ?? []) {
      const connection = new Connection(spec.url, spec.author ?? -1, null, 0)
      this.connections.push(connection)
      pending.push(connection)
    }
    // Each group's primary syncs first, so the others ask only for what is new.
    const groups = [...(request.groups ?? [])].map((spec) => this.groups.get(spec.id) as Group)
    const concurrency = request.concurrency ?? 64
    const queue: (() => Promise<void>)[] = []
    for (const group of groups) {
      queue.push(async () => {
        const [primary, ...others] = group.members
        if (primary) await connect(primary)
        await Promise.all(others.map(connect))
      })
    }
    for (const connection of pending) queue.push(() => connect(connection))
    if (!Number.isFinite(concurrency)) {
      await Promise.all(queue.map((task) => task()))
    } else {
      let next = 0
      const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        while (next < queue.length) {
          const task = queue[next++] as () => Promise<void>
          await task()
        }
      })
      await Promise.all(lanes)
    }
    return {
      opened: syncMs.length,
      failed,
      syncMs: Float64Array.from(syncMs),
      firstFrameMs: Float64Array.from(firstFrameMs),
      errors,
    }
  }

  private connect(connection: Connection): void {
    connection.openedAt = now()
    const ws = new WebSocket(connection.url, { perMessageDeflate: false })
    connection.ws = ws
    ws.on('message', (data: Buffer) => this.receive(connection, data))
    ws.on('error', (error) => connection.onSynced?.(false, error.message))
    ws.on('close', (code, reason) => {
      if (connection.onSynced) connection.onSynced(false, `closed ${code} ${reason.toString()}`)
      else if (!this.closing) this.closedUnexpectedly++
    })
    ws.on('open', () => {
      const group = connection.group
      connection.send(
        group ? syncFrame(SyncType.step1, Y.encodeStateVector(group.doc)) : STEP1_EMPTY,
      )
    })
  }

  private receive(connection: Connection, frame: Buffer): void {
    const t = now()
    this.framesReceived++
    this.bytesReceived += frame.length
    if (connection.firstFrameAt === 0) connection.firstFrameAt = t
    if (frame[0] !== MessageType.sync) return
    const group = connection.group
    switch (frame[1]) {
      case SyncType.step1: {
        if (!group) {
          connection.send(STEP2_EMPTY)
          return
        }
        const stateVector = syncPayload(frame)
        if (!stateVector) return
        connection.send(syncFrame(SyncType.step2, Y.encodeStateAsUpdate(group.doc, stateVector)))
        return
      }
      case SyncType.step2: {
        if (group && connection.primary) {
          const update = syncPayload(frame)
          if (update) Y.applyUpdate(group.doc, update, REMOTE)
        }
        if (connection.syncedAt === 0) {
          connection.syncedAt = t
          connection.onSynced?.(true)
        }
        return
      }
      case SyncType.update: {
        connection.updatesReceived++
        if (group?.applyRemote && connection.primary) {
          const update = syncPayload(frame)
          if (update) Y.applyUpdate(group.doc, update, REMOTE)
        }
        this.scan(connection, frame, t)
        return
      }
    }
  }

  private scan(connection: Connection, frame: Uint8Array, t: number): void {
    scanMarkers(frame, (author, stamp) => {
      // In an append run, markers carry sequence numbers, not times.
      const sentAt = this.sequenceSentAt ? (this.sequenceSentAt[stamp] ?? 0) : stamp
      const measured = sentAt >= this.measureFrom && sentAt <= this.measureUntil
      if (author === connection.author) {
        if (measured) this.acks.push((t - sentAt) / 1000)
        return
      }
      // Append throughput counts what observers (lean clients) see.
      if (!connection.group) this.deliveries++
      if (measured) {
        this.delivered++
        this.latencies.push((t - sentAt) / 1000)
      }
    })
    if (this.deliveryWaiter) {
      const wake = this.deliveryWaiter
      this.deliveryWaiter = null
      wake()
    }
  }

  private type(group: Group, member: Connection): void {
    const sentAt = now()
    this.typeText(group, member, marker(member.author, sentAt))
    this.countSent(sentAt)
  }

  /** Inserts `text` at the member's caret, in its own paragraph. */
  private typeText(group: Group, member: Connection, text: string): void {
    const paragraphs = group.textParagraphs()
    if (paragraphs.length === 0) throw new Error(`group ${group.id} has no text to type into`)
    if (!member.paragraph) {
      member.paragraph = paragraphs[member.author % paragraphs.length] as Y.XmlText
      member.caret = randomInt(member.paragraph.length)
    }
    const paragraph = member.paragraph
    const at = Math.min(member.caret, paragraph.length)
    group.act(member, () => paragraph.insert(at, text))
    member.caret = at + text.length
  }

  /** Tags a span as the editor does: the mark's formatting attribute plus the metadata entry. */
  private tag(group: Group, member: Connection): void {
    const paragraphs = group.textParagraphs()
    const paragraph = paragraphs[
      (member.author * 7 + member.actions) % paragraphs.length
    ] as Y.XmlText
    const length = 4 + randomInt(12)
    const start = randomInt(Math.max(1, paragraph.length - length))
    const id = `b${member.author}n${member.actions}`
    const sentAt = now()
    group.act(member, () => {
      paragraph.format(start, Math.min(length, paragraph.length - start), {
        [annotationMarkKey(id)]: { id },
      })
      writeRecord(group.doc, {
        id,
        kind: KINDS[member.actions % KINDS.length] as (typeof KINDS)[number],
        author: `bench-${member.author}`,
        note: marker(member.author, sentAt),
      })
    })
    this.countSent(sentAt)
  }

  private countSent(sentAt: number): void {
    if (sentAt >= this.measureFrom && sentAt <= this.measureUntil) this.sent++
  }

  /** Every member of every (chosen) group acts at `perSecond`, with random phases. */
  async run(request: RunRequest): Promise<void> {
    this.measureFrom = request.measureFrom
    this.measureUntil = request.measureUntil
    this.eluStart = performance.eventLoopUtilization()
    const chosen = request.groups
      ? request.groups.map((id) => this.groups.get(id) as Group)
      : [...this.groups.values()]
    const intervalMs = 1000 / request.perSecond
    const startMs = performance.now()
    const endMs = startMs + request.durationMs
    const finished: Promise<void>[] = []
    for (const group of chosen) {
      for (const member of group.members) {
        finished.push(
          new Promise((resolve) => {
            let due = startMs + Math.random() * intervalMs
            const step = () => {
              const timer = setTimeout(
                () => {
                  this.timers.delete(timer)
                  if (this.closing || performance.now() >= endMs) {
                    resolve()
                    return
                  }
                  if (request.kind === 'type-and-tag' && member.actions % 2 === 1) {
                    this.tag(group, member)
                  } else {
                    this.type(group, member)
                  }
                  member.actions++
                  due += intervalMs
                  step()
                },
                Math.max(0, due - performance.now()),
              )
              this.timers.add(timer)
            }
            step()
          }),
        )
      }
    }
    await Promise.all(finished)
  }

  /**
   * Sends `count` typing edits round-robin over the group's members as fast as
   * the window allows, the window counting edits no observer here has seen yet.
   */
  async append(request: AppendRequest): Promise<AppendResult> {
    const group = this.groups.get(request.group)
    if (!group) throw new Error(`no group ${request.group}`)
    // Every edit is made before the clock starts, so that making them (which
    // grows costlier as the paragraphs grow) is not what is measured. Their
    // markers carry a sequence number; send times are kept here.
    const frames: { member: Connection; frame: Uint8Array }[] = []
    const capture = (update: Uint8Array) => {
      frames.push({
        member: group.sending as Connection,
        frame: syncFrame(SyncType.update, update),
      })
    }
    for (let seq = 0; seq < request.count; seq++) {
      const member = group.members[seq % group.members.length] as Connection
      group.captureInstead = capture
      try {
        this.typeText(group, member, marker(member.author, seq))
      } finally {
        group.captureInstead = null
      }
    }
    const sentAt = new Float64Array(request.count)
    this.sequenceSentAt = sentAt
    this.measureFrom = 0
    this.measureUntil = Number.POSITIVE_INFINITY
    this.eluStart = performance.eventLoopUtilization()
    const firstDelivery = this.deliveries
    const started = performance.now()
    const deadline = started + (request.timeoutMs ?? 120_000)
    let sent = 0
    try {
      while (this.deliveries - firstDelivery < request.count) {
        if (performance.now() > deadline) break
        const inFlight = sent - (this.deliveries - firstDelivery)
        const room = Math.min(request.window - inFlight, request.count - sent)
        const t = now()
        for (let i = 0; i < room; i++) {
          const { member, frame } = frames[sent] as { member: Connection; frame: Uint8Array }
          sentAt[sent] = t
          member.send(frame)
          sent++
        }
        await new Promise<void>((resolve) => {
          this.deliveryWaiter = resolve
          const timer = setTimeout(resolve, 1_000)
          timer.unref()
        })
      }
    } finally {
      // Frames still on their way carry sequence numbers: not measured.
      this.sequenceSentAt = null
      this.measureFrom = Number.POSITIVE_INFINITY
      this.measureUntil = Number.NEGATIVE_INFINITY
    }
    return {
      sent,
      delivered: this.deliveries - firstDelivery,
      elapsedMs: performance.now() - started,
    }
  }

  /**
   * Tags `count` spans across the group's paragraphs (as the editor does), in
   * transactions of `perTransaction`, waiting after each for the server's echo
   * (on our server: stored). For building large documents, not for timing.
   */
  async annotate(groupId: string, count: number, perTransaction: number): Promise<void> {
    const group = this.groups.get(groupId)
    const member = group?.members[0]
    if (!group || !member) throw new Error(`no group ${groupId}`)
    const paragraphs = group.textParagraphs()
    let made = 0
    while (made < count) {
      const before = member.updatesReceived
      group.act(member, () => {
        for (let i = 0; i < perTransaction && made < count; i++, made++) {
          const paragraph = paragraphs[(made * 7919) % paragraphs.length] as Y.XmlText
          const length = 5 + (made % 20)
          const start = (made * 31) % Math.max(1, paragraph.length - length)
          const id = `L${made}`
          paragraph.format(start, Math.min(length, paragraph.length - start), {
            [annotationMarkKey(id)]: { id },
          })
          writeRecord(group.doc, {
            id,
            kind: KINDS[made % KINDS.length] as (typeof KINDS)[number],
            author: 'bench',
            now: 1_700_000_000_000 + made,
          })
        }
      })
      const deadline = performance.now() + 60_000
      while (member.updatesReceived === before) {
        if (performance.now() > deadline) throw new Error('the server never echoed the annotations')
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
  }

  /** What one group's shared doc holds: its plain text and number of annotation entries. */
  contents(groupId: string): { text: string; annotations: number } | null {
    const group = this.groups.get(groupId)
    if (!group) return null
    return { text: readPlainText(group.doc), annotations: group.doc.getMap('annotations').size }
  }

  report(): Report {
    const elu = performance.eventLoopUtilization(this.eluStart)
    const report: Report = {
      latencies: this.latencies.take(),
      acks: this.acks.take(),
      sent: this.sent,
      delivered: this.delivered,
      framesReceived: this.framesReceived,
      bytesReceived: this.bytesReceived,
      elu: elu.utilization,
      closedUnexpectedly: this.closedUnexpectedly,
    }
    this.sent = 0
    this.delivered = 0
    this.framesReceived = 0
    this.bytesReceived = 0
    this.measureFrom = Number.POSITIVE_INFINITY
    this.measureUntil = Number.NEGATIVE_INFINITY
    this.eluStart = performance.eventLoopUtilization()
    return report
  }

  /** Closes every socket and forgets every group. */
  async close(): Promise<void> {
    this.closing = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    const closed = this.connections.map(
      (connection) =>
        new Promise<void>((resolve) => {
          const ws = connection.ws
          if (!ws || ws.readyState === WebSocket.CLOSED) {
            resolve()
            return
          }
          const timer = setTimeout(() => {
            ws.terminate()
            resolve()
          }, 2_000)
          ws.once('close', () => {
            clearTimeout(timer)
            resolve()
          })
          ws.close()
        }),
    )
    await Promise.all(closed)
    for (const group of this.groups.values()) group.doc.destroy()
    this.groups.clear()
    this.connections.length = 0
    this.closedUnexpectedly = 0
    this.closing = false
  }
}

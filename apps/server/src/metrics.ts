/**
 * Prometheus metrics at GET /metrics (prom-client, one registry per server).
 * Counters are totals; rates (updates per second) are Prometheus' `rate()`.
 * Nothing here carries document content or user names.
 */
import type { FanoutObserver } from '@hashiya/fanout'
import type { SyncObserver, SyncServer } from '@hashiya/sync-server'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** Milliseconds to seconds, the unit Prometheus expects. */
const seconds = (ms: number) => ms / 1000

export class ServerMetrics {
  readonly registry = new Registry()
  readonly syncObserver: SyncObserver
  readonly fanoutObserver: FanoutObserver
  private sync: SyncServer | null = null

  constructor(labels: { instanceId: string; storage: 'sqlite' | 'postgresql'; fanout: boolean }) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry, prefix: 'hashiya_process_' })
    new Gauge({
      name: 'hashiya_instance_info',
      help: 'This server instance (always 1), labelled with its id, storage and fan-out',
      labelNames: ['instance_id', 'storage', 'fanout'],
      registers,
    }).set(
      {
        instance_id: labels.instanceId,
        storage: labels.storage,
        fanout: labels.fanout ? 'redis' : 'none',
      },
      1,
    )
    // Sampled from the sync core at scrape time.
    const owner = this
    const sampled = (name: string, help: string, read: (sync: SyncServer) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(owner.sync ? read(owner.sync) : 0)
        },
      })
    sampled(
      'hashiya_connections',
      'WebSocket clients attached to a document',
      (sync) => sync.connectionCount,
    )
    sampled(
      'hashiya_documents_loaded',
      'Documents open in memory',
      (sync) => sync.loadedDocumentCount,
    )
    sampled(
      'hashiya_dropped_readonly_writes',
      'Document updates refused from read-only connections, in the documents open now',
      (sync) => sync.droppedWriteCount,
    )
    const updatesReceived = new Counter({
      name: 'hashiya_updates_received_total',
      help: 'Document updates accepted from this instance’s clients and API changes',
      registers,
    })
    const updatesSent = new Counter({
      name: 'hashiya_updates_sent_total',
      help: 'Update frames sent to this instance’s clients (one per client per stored batch of updates)',
      registers,
    })
    const appendSeconds = new Histogram({
      name: 'hashiya_store_append_seconds',
      help: 'Time to durably append one batch of updates to the store',
      labelNames: ['result'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    const remoteUpdates = new Counter({
      name: 'hashiya_fanout_updates_applied_total',
      help: 'Updates stored by other instances and applied to a document open here',
      registers,
    })
    const resyncs = new Counter({
      name: 'hashiya_resyncs_total',
      help: 'Times an open document re-read the store for updates it had missed',
      registers,
    })
    const resyncUpdates = new Counter({
      name: 'hashiya_resync_updates_total',
      help: 'Updates an open document found missing and applied from the store',
      registers,
    })
    const published = new Counter({
      name: 'hashiya_fanout_published_total',
      help: 'Messages this instance published to the fan-out',
      labelNames: ['result'],
      registers,
    })
    const fanoutSeconds = new Histogram({
      name: 'hashiya_fanout_latency_seconds',
      help: 'From another instance publishing a message to its delivery here (both clocks)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    const redisLag = new Gauge({
      name: 'hashiya_redis_lag_seconds',
      help: 'For the latest fan-out entry read: how long after Redis accepted it this instance read it',
      registers,
    })
    const redisUp = new Gauge({
      name: 'hashiya_redis_connected',
      help: '1 while both fan-out connections to Redis are usable',
      registers,
    })
    redisUp.set(0)

    this.syncObserver = {
      updatesReceived: (count) => updatesReceived.inc(count),
      updatesSent: (count) => {
        if (count > 0) updatesSent.inc(count)
      },
      appended: (durationMs, _count, ok) =>
        appendSeconds.observe({ result: ok ? 'ok' : 'error' }, seconds(durationMs)),
      remoteApplied: (count) => remoteUpdates.inc(count),
      resynced: (_documentId, applied) => {
        resyncs.inc()
        if (applied > 0) resyncUpdates.inc(applied)
      },
    }
    this.fanoutObserver = {
      published: (_durationMs, ok) => published.inc({ result: ok ? 'ok' : 'error' }),
      delivered: (latencyMs, lagMs) => {
        fanoutSeconds.observe(seconds(Math.max(0, latencyMs)))
        redisLag.set(seconds(Math.max(0, lagMs)))
      },
      connectionChanged: (up) => redisUp.set(up ? 1 : 0),
    }
  }

  /** Gauges read from the sync core at scrape time. */
  watch(sync: SyncServer): void {
    this.sync = sync
  }

  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType }
  }
}

/**
 * @hashiya/fanout: server instances sharing updates and awareness of the
 * documents they hold, through Redis Streams. Implements the sync core's
 * `Fanout` seam; the core itself never imports a Redis client.
 */
export {
  defaultInstanceId,
  type FanoutObserver,
  RedisFanout,
  type RedisFanoutOptions,
} from './redis-fanout.js'
export { RedisSignals, type RedisSignalsOptions } from './redis-signals.js'

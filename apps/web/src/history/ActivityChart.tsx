import { ANNOTATION_KINDS } from '@hashiya/annotations'
import { useEffect, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Activity, getActivity } from '../lib/historyApi.js'
import { niceScale } from './logic.js'
import type { UserDirectory } from './users.js'

interface ActivityChartProps {
  docId: string
  refreshKey: number
  users: UserDirectory
}

interface Data {
  total: Activity
  /** Per user: bucket start (ms) → count. */
  perUser: { userId: string; counts: Map<number, number> }[]
}

const MAX_BARS = 48
const WIDTH = 360
const HEIGHT = 190
const PAD = { top: 10, bottom: 34, side: 34, end: 8 }

/** Events over time, stacked per user, and totals per kind: two inline SVG charts. */
export function ActivityChart({ docId, refreshKey, users }: ActivityChartProps) {
  const { t, i18n } = useTranslation()
  const bucketId = useId()
  const titleId = useId()
  const kindsTitleId = useId()
  const [bucket, setBucket] = useState<'hour' | 'day'>('hour')
  const [data, setData] = useState<Data | null>(null)
  const [failed, setFailed] = useState(false)
  const rtl = i18n.dir() === 'rtl'

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetched on every refresh
  useEffect(() => {
    const controller = new AbortController()
    getActivity(docId, { bucket }, controller.signal)
      .then(async (total) => {
        const perUser = await Promise.all(
          total.byUser.map(async ({ userId }) => {
            const mine = await getActivity(docId, { bucket, user: userId }, controller.signal)
            return {
              userId,
              counts: new Map(mine.byTime.map((b) => [Date.parse(b.start), b.count])),
            }
          }),
        )
        setData({ total, perUser })
        setFailed(false)
      })
      .catch(() => {
        if (!controller.signal.aborted) setFailed(true)
      })
    return () => controller.abort()
  }, [docId, bucket, refreshKey])

  const numbers = new Intl.NumberFormat(i18n.language)
  const step = bucket === 'day' ? 86_400_000 : 3_600_000
  const starts = (data?.total.byTime ?? []).map((b) => Date.parse(b.start)).sort((a, b) => a - b)
  const first = starts[0]
  const last = starts[starts.length - 1]
  const buckets: number[] = []
  if (first !== undefined && last !== undefined) {
    // every bucket between the first and the last, so that time is to scale
    const from = Math.max(first, last - (MAX_BARS - 1) * step)
    for (let s = from; s <= last; s += step) buckets.push(s)
  }
  const totals = new Map((data?.total.byTime ?? []).map((b) => [Date.parse(b.start), b.count]))
  const max = Math.max(0, ...buckets.map((s) => totals.get(s) ?? 0))
  const scale = niceScale(max)
  const plotW = WIDTH - PAD.side - PAD.end
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const slot = buckets.length ? plotW / buckets.length : plotW
  const barW = Math.max(2, Math.min(36, slot * 0.7))
  // time runs in the reading direction: right to left in Arabic
  const axisX = rtl ? WIDTH - PAD.side : PAD.side
  const xOf = (index: number) => (rtl ? axisX - (index + 0.5) * slot : axisX + (index + 0.5) * slot)
  const yOf = (value: number) => PAD.top + plotH - (value / scale.max) * plotH
  const timeFormat = new Intl.DateTimeFormat(
    i18n.language,
    bucket === 'day' ? { day: 'numeric', month: 'short' } : { hour: 'numeric', minute: '2-digit' },
  )
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 5))
  const ticks: number[] = []
  for (let v = 0; v <= scale.max; v += scale.step) ticks.push(v)

  const kindMax = Math.max(1, ...(data?.total.byKind ?? []).map((k) => k.count))
  const kindCount = new Map((data?.total.byKind ?? []).map((k) => [k.kind, k.count]))

  return (
    <section className="activity" aria-label={t('history.activity')}>
      <div className="activity__controls">
        <label htmlFor={bucketId}>{t('history.bucket')}</label>
        <select
          id={bucketId}
          className="input input--compact"
          data-testid="activity-bucket"
          value={bucket}
          onChange={(event) => setBucket(event.target.value === 'day' ? 'day' : 'hour')}
        >
          <option value="hour">{t('history.byHour')}</option>
          <option value="day">{t('history.byDay')}</option>
        </select>
      </div>
      {failed && (
        <p className="message message--error" role="alert">
          {t('history.loadFailed')}
        </p>
      )}
      <h3 className="activity__title" id={titleId}>
        {t('history.eventsOverTime')}
      </h3>
      <svg
        className="activity-chart"
        data-testid="activity-chart"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={`${titleId}-desc`}
      >
        <title>{t('history.eventsOverTime')}</title>
        <desc id={`${titleId}-desc`}>
          {t('history.chartSummary', {
            total: data?.total.byTime.reduce((sum, b) => sum + b.count, 0) ?? 0,
            users: data?.total.byUser.length ?? 0,
          })}
        </desc>
        {ticks.map((v) => (
          <g key={v}>
            <line
              className="activity-chart__grid"
              x1={PAD.side}
              x2={WIDTH - PAD.side}
              y1={yOf(v)}
              y2={yOf(v)}
            />
            <text
              className="activity-chart__tick"
              x={rtl ? WIDTH - PAD.side + 6 : PAD.side - 6}
              y={yOf(v)}
              textAnchor="end"
              dominantBaseline="middle"
            >
              {numbers.format(v)}
            </text>
          </g>
        ))}
        {buckets.map((start, index) => {
          let base = 0
          return (
            <g key={start}>
              {(data?.perUser ?? []).map(({ userId, counts }) => {
                const count = counts.get(start) ?? 0
                if (!count) return null
                const y0 = yOf(base)
                base += count
                const y1 = yOf(base)
                return (
                  <rect
                    key={userId}
                    className="activity-chart__bar"
                    data-user-id={userId}
                    x={xOf(index) - barW / 2}
                    y={y1}
                    width={barW}
                    height={Math.max(0, y0 - y1)}
                    fill={users.colorOf(userId)}
                  >
                    <title>
                      {t('history.barTitle', {
                        name: users.nameOf(userId),
                        value: count,
                        time: timeFormat.format(start),
                      })}
                    </title>
                  </rect>
                )
              })}
              {index % labelEvery === 0 && (
                <text
                  className="activity-chart__tick"
                  x={xOf(index)}
                  y={HEIGHT - PAD.bottom + 14}
                  textAnchor="middle"
                >
                  {timeFormat.format(start)}
                </text>
              )}
            </g>
          )
        })}
        <line
          className="activity-chart__axis"
          x1={PAD.side}
          x2={WIDTH - PAD.side}
          y1={yOf(0)}
          y2={yOf(0)}
        />
        <text className="activity-chart__label" x={WIDTH / 2} y={HEIGHT - 4} textAnchor="middle">
          {bucket === 'day' ? t('history.axisDay') : t('history.axisHour')}
        </text>
        {buckets.length === 0 && data && (
          <text className="activity-chart__label" x={WIDTH / 2} y={HEIGHT / 2} textAnchor="middle">
            {t('history.noActivity')}
          </text>
        )}
      </svg>
      <p className="activity__axis-note">{t('history.axisEvents')}</p>
      <ul className="activity__legend" aria-label={t('history.legend')}>
        {(data?.total.byUser ?? []).map(({ userId, count }) => (
          <li key={userId}>
            <span
              className="user-swatch"
              style={{ backgroundColor: users.colorOf(userId) }}
              aria-hidden="true"
            />
            {users.nameOf(userId)} <span className="activity__count">{numbers.format(count)}</span>
          </li>
        ))}
      </ul>

      <h3 className="activity__title" id={kindsTitleId}>
        {t('history.byKind')}
      </h3>
      <svg
        className="activity-kinds"
        data-testid="activity-kinds"
        viewBox={`0 0 ${WIDTH} ${ANNOTATION_KINDS.length * 26 + 4}`}
        role="img"
        aria-labelledby={kindsTitleId}
      >
        <title>{t('history.byKind')}</title>
        {ANNOTATION_KINDS.map((kind, index) => {
          const count = kindCount.get(kind) ?? 0
          const labelW = 70
          const barMax = WIDTH - labelW - 40
          const w = (count / kindMax) * barMax
          const y = index * 26 + 4
          const labelX = rtl ? WIDTH : 0
          const barStart = rtl ? WIDTH - labelW : labelW
          return (
            <g key={kind}>
              <text
                className="activity-chart__tick"
                x={labelX}
                y={y + 10}
                textAnchor="start"
                dominantBaseline="middle"
              >
                {t(`annotations.kinds.${kind}`)}
              </text>
              <rect
                className={`activity-kinds__bar activity-kinds__bar--${kind}`}
                x={rtl ? barStart - w : barStart}
                y={y}
                width={w}
                height={18}
                rx={3}
              />
              <text
                className="activity-chart__tick"
                x={rtl ? barStart - w - 6 : barStart + w + 6}
                y={y + 10}
                textAnchor="start"
                dominantBaseline="middle"
              >
                {numbers.format(count)}
              </text>
            </g>
          )
        })}
      </svg>
    </section>
  )
}

import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { getActivity, getVersions, type Version } from '../lib/historyApi.js'

const REFRESH_MS = 2000

/**
 * A counter that moves at most every two seconds after the document changed,
 * while `active`; and the versions and users with history, refetched with it.
 */
export function useHistoryData(docId: string, doc: Y.Doc, active: boolean) {
  const [refreshKey, setRefreshKey] = useState(0)
  const [versions, setVersions] = useState<Version[]>([])
  const [versionsFailed, setVersionsFailed] = useState(false)
  const [userIds, setUserIds] = useState<string[]>([])
  const [versionsKey, setVersionsKey] = useState(0)

  useEffect(() => {
    if (!active) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const onUpdate = () => {
      // trailing: by then the server has stored the change
      timer ??= setTimeout(() => {
        timer = undefined
        setRefreshKey((key) => key + 1)
      }, REFRESH_MS)
    }
    doc.on('update', onUpdate)
    // catch up on what happened while closed
    setRefreshKey((key) => key + 1)
    return () => {
      doc.off('update', onUpdate)
      clearTimeout(timer)
    }
  }, [doc, active])

  // biome-ignore lint/correctness/useExhaustiveDependencies: refetched on every refresh
  useEffect(() => {
    if (!active) return
    const controller = new AbortController()
    getVersions(docId, controller.signal).then(
      (list) => {
        setVersions(list)
        setVersionsFailed(false)
      },
      () => {
        if (!controller.signal.aborted) setVersionsFailed(true)
      },
    )
    getActivity(docId, { bucket: 'day' }, controller.signal).then(
      (activity) => setUserIds(activity.byUser.map((u) => u.userId)),
      () => {},
    )
    return () => controller.abort()
  }, [docId, active, refreshKey, versionsKey])

  return {
    refreshKey,
    versions,
    versionsFailed,
    userIds,
    reloadVersions: () => setVersionsKey((key) => key + 1),
  }
}

/**
 * Serves the built web app, with every unknown non-API path outside /assets
 * answered by index.html so that client-side routes survive a reload. index.html is read
 * for each such request, never kept: after the app is rebuilt under a running
 * server, a kept copy would name script files that no longer exist, and every
 * deep link would open a blank page until a restart.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

export function webApp(webDistDir: string): Hono {
  const app = new Hono()
  const indexPath = join(webDistDir, 'index.html')
  if (!existsSync(indexPath)) {
    app.get('*', (c) =>
      c.text('The web app is not built. Run `npx -y pnpm@10 build` and restart the server.', 503),
    )
    return app
  }
  const root = relative(process.cwd(), webDistDir) || '.'
  app.use(
    '/assets/*',
    serveStatic({
      root,
      onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  )
  // a script or style the build no longer has (a page loaded before a redeploy asks for
  // its old files) is missing, not a page: answered with index.html it would fail as a
  // module of the wrong type, with no word of why
  app.get('/assets/*', (c) => c.text('Not found: this file is not part of the current build.', 404))
  app.use('*', serveStatic({ root }))
  app.get('*', async (c) => {
    let indexHtml: string
    try {
      indexHtml = await readFile(indexPath, 'utf8')
    } catch {
      // between a rebuild's removing the old file and writing the new one
      return c.text('The web app is being rebuilt; reload in a moment.', 503)
    }
    c.header('Cache-Control', 'no-cache')
    return c.html(indexHtml)
  })
  return app
}

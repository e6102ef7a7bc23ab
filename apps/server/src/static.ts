/**
 * Serves the built web app, with every unknown non-API path answered by
 * index.html so that client-side routes survive a reload.
 */
import { existsSync, readFileSync } from 'node:fs'
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
  const indexHtml = readFileSync(indexPath, 'utf8')
  const root = relative(process.cwd(), webDistDir) || '.'
  app.use(
    '/assets/*',
    serveStatic({
      root,
      onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
    }),
  )
  app.use('*', serveStatic({ root }))
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache')
    return c.html(indexHtml)
  })
  return app
}

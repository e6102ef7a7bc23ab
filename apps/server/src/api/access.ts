/**
 * Sharing a document: its grants (owner, editors, readers, or everyone), read
 * by anyone who may open it and changed by its owner or a lead.
 */
import { type Accounts, atLeast, EVERYONE } from '@hashiya/accounts'
import { Hono } from 'hono'
import { z } from 'zod'
import { userIdOf } from '../auth/context.js'
import { ApiError } from './errors.js'
import { documentIdOf, readJson } from './request.js'
import { accountApiError } from './session.js'

const shareBody = z.strictObject({
  level: z.enum(['edit', 'read'], { error: 'level must be edit or read' }),
})

/** Mounted at /api/documents/:id/access, behind the document policy. */
export function accessRoutes(accounts: Accounts): Hono {
  const grants = async (documentId: string) =>
    (await accounts.grantsOn(documentId)).map(({ userId, level, grantedBy, grantedAt }) => ({
      userId,
      level,
      grantedBy,
      grantedAt: new Date(grantedAt).toISOString(),
    }))

  const grantee = (value: string | undefined) => {
    const id = value ?? ''
    if (id !== EVERYONE && !/^[a-z0-9][a-z0-9._-]{1,31}$/.test(id)) {
      throw new ApiError(400, 'invalid-user', 'Share with an account name or * (everyone).')
    }
    return id
  }

  return new Hono()
    .get('/', async (c) => {
      const documentId = documentIdOf(c)
      return c.json({
        grants: await grants(documentId),
        canShare: atLeast(c.get('documentPermission'), 'manage'),
      })
    })
    .put('/:userId', async (c) => {
      const documentId = documentIdOf(c)
      const userId = grantee(c.req.param('userId'))
      const input = await readJson(c, shareBody, 'invalid-input')
      const owner = (await accounts.grantsOn(documentId)).find((g) => g.level === 'owner')
      if (owner?.userId === userId) {
        throw new ApiError(409, 'owner', 'The owner keeps full access to their document.')
      }
      try {
        await accounts.share(documentId, userId, input.level, userIdOf(c))
      } catch (error) {
        throw accountApiError(error)
      }
      return c.json({ grants: await grants(documentId) })
    })
    .delete('/:userId', async (c) => {
      const documentId = documentIdOf(c)
      const userId = grantee(c.req.param('userId'))
      const grant = (await accounts.grantsOn(documentId)).find((g) => g.userId === userId)
      if (grant?.level === 'owner') {
        throw new ApiError(409, 'owner', 'The owner keeps full access to their document.')
      }
      await accounts.unshare(documentId, userId)
      return c.json({ grants: await grants(documentId) })
    })
}

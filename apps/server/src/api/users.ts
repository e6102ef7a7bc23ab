/**
 * User management (administrators) and the directory of names everyone signed
 * in may read (to show who tagged what and to share documents).
 */
import { type Accounts, ROLES, roleCan } from '@hashiya/accounts'
import { Hono } from 'hono'
import { z } from 'zod'
import { currentUser, forbidden } from '../auth/context.js'
import { readJson } from './request.js'
import { accountApiError } from './session.js'

const role = z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` })
const displayName = z.string({ error: 'displayName must be a string' }).max(200)
const password = z.string({ error: 'password must be a string' }).max(256)

const createBody = z.strictObject({
  username: z.string({ error: 'username must be a string' }).trim().toLowerCase().max(64),
  displayName,
  role,
  password,
})
const patchBody = z.strictObject({
  displayName: displayName.optional(),
  role: role.optional(),
  active: z.boolean({ error: 'active must be true or false' }).optional(),
  password: password.optional(),
})

export function userRoutes(accounts: Accounts): Hono {
  const requireAdmin = (user: { role: (typeof ROLES)[number] }) => {
    if (!roleCan(user.role, 'manage-users')) throw forbidden('Only administrators manage accounts.')
  }
  return new Hono()
    .get('/', async (c) => {
      const users = await accounts.listUsers()
      if (roleCan(currentUser(c).role, 'manage-users')) return c.json({ users })
      return c.json({
        users: users.filter((u) => u.active).map((u) => ({ id: u.id, displayName: u.displayName })),
      })
    })
    .post('/', async (c) => {
      requireAdmin(currentUser(c))
      const input = await readJson(c, createBody, 'invalid-input')
      try {
        const user = await accounts.createUser({ id: input.username, ...input })
        return c.json({ user }, 201)
      } catch (error) {
        throw accountApiError(error)
      }
    })
    .patch('/:userId', async (c) => {
      requireAdmin(currentUser(c))
      const input = await readJson(c, patchBody, 'invalid-input')
      try {
        return c.json({ user: await accounts.updateUser(c.req.param('userId'), input) })
      } catch (error) {
        throw accountApiError(error)
      }
    })
}

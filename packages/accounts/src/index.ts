/**
 * @hashiya/accounts: who is signed in and what they may do.
 */
export type {
  AccountStore,
  CredentialKind,
  StoredCredential,
  StoredGrant,
  StoredUser,
  UserPatch,
} from './account-store.js'
export { UserExistsError } from './account-store.js'
export {
  type AccessChange,
  AccountError,
  type AccountErrorCode,
  Accounts,
  type AccountsOptions,
  type Authenticated,
  type IssuedCredential,
  type NewUser,
  USERNAME_PATTERN,
  type User,
  type UserChanges,
  usernameProblem,
} from './accounts.js'
export {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
  verifyPassword,
} from './passwords.js'
export {
  PostgresAccountStore,
  type PostgresAccountStoreLogger,
  type PostgresAccountStoreOptions,
} from './postgres-account-store.js'
export {
  ACCESS_LEVELS,
  type AccessLevel,
  atLeast,
  type DocumentPermission,
  documentPermission,
  EVERYONE,
  type Grant,
  PERMISSIONS,
  type Principal,
  ROLES,
  type Role,
  roleCan,
} from './roles.js'
export { SqliteAccountStore } from './sqlite-account-store.js'

/**
 * Vigil's security layer: authentication, authorization, CSRF, rate and body limits, security
 * headers, audit log, SSRF guard for outgoing requests, first-start bootstrap and the CLI.
 */
export { createApiKey, createUser, setPassword } from './accounts.js';
export { AGENT_KEY_NAME, type BootstrapResult, bootstrapNotice, bootstrapSecurity } from './bootstrap.js';
export { CliError, type KeysCommand, runKeysCommand, runUsersCommand, type UsersCommand } from './cli.js';
export {
  assertSafeListen,
  httpsOptions,
  InsecureListenError,
  isLoopbackHost,
  REDACT_PATHS,
  redactSecurityConfig,
  SECURITY_ENV,
  type SecurityConfig,
  securityConfigSchema,
} from './config.js';
export { SECURITY_ERRORS, SecurityError, type SecurityErrorCode } from './errors.js';
export { blockedAddressReason } from './ip-ranges.js';
export {
  type SecurityHandle,
  type SecurityPluginOptions,
  type ServiceLookup,
  securityPlugin,
} from './plugin.js';
export { ROUTE_RULES, type RouteRule, ruleFor, STATIC_RULE } from './route-scopes.js';
export { checkUrl, SsrfError, safeFetch } from './ssrf.js';
export * from './types.js';

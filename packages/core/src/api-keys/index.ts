/** The api-keys domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { apiKeyCreateInput, createApiKey, listApiKeys, revokeApiKey } from "./api-key-admin";

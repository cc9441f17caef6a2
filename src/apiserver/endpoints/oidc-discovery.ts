/**
 * ServiceAccount issuer discovery (upstream pkg/serviceaccount/openidmetadata.go and
 * pkg/routes/openidmetadata.go; KEP-1393): `GET /.well-known/openid-configuration` (the
 * OpenID Provider Configuration, `application/json`) and `GET /openid/v1/jwks` (the JSON
 * Web Key Set, `application/jwk-set+json`), both `Cache-Control: public, max-age=3600`.
 * The document's `jwks_uri` is the apiserver's external address + `/openid/v1/jwks`, as
 * upstream's default without `--service-account-jwks-uri`.
 */
import type { ServerResponse } from 'node:http';
import type { ServiceAccountTokens } from '../authn/service-account-token.js';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

/** Answers `path` when it is one of the two discovery paths; false otherwise (also when no issuer is configured). */
export async function serveOidcDiscovery(path: string, res: ServerResponse, tokens: ServiceAccountTokens | undefined, externalAddress: string): Promise<boolean> {
  if (!tokens || (path !== OPENID_CONFIGURATION_PATH && path !== JWKS_PATH)) return false;
  const [body, type] = path === JWKS_PATH
    ? [await tokens.jwks(), 'application/jwk-set+json']
    : [tokens.openIdConfiguration(`https://${externalAddress}${JWKS_PATH}`), 'application/json'];
  const data = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(data), 'Cache-Control': 'public, max-age=3600' });
  res.end(data);
  return true;
}

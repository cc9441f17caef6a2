/**
 * Static token file authentication (upstream `--token-auth-file`,
 * k8s.io/apiserver/pkg/authentication/token/tokenfile): a CSV file of
 * `token,user,uid,"group1,group2"` lines (at least three columns; the groups column is
 * optional; blank lines and `#` comments skipped). A listed bearer token is that user,
 * with `system:authenticated` added; any other token is not this method's.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { UserInfo } from '../registry/rest.js';
import type { Authenticator, TokenAuthentication } from './authenticator.js';

export class StaticTokenAuthenticator implements Authenticator {
  private constructor(private readonly users: Map<string, UserInfo>) {}

  /** Reads `path`. Throws Error naming the line of a record with fewer than 3 columns or a repeated token. */
  static fromFile(path: string): StaticTokenAuthenticator { return StaticTokenAuthenticator.fromText(readFileSync(path, 'utf8')); }

  /** Parses the CSV text of a token file (errors as {@link fromFile}). */
  static fromText(text: string): StaticTokenAuthenticator {
    const users = new Map<string, UserInfo>();
    const records = parse(text, { relax_column_count: true, skip_empty_lines: true, comment: '#', trim: true }) as string[][];
    records.forEach((r, i) => {
      if (r.length < 3) throw new Error(`token file is invalid: record ${i + 1} has ${r.length} columns, at least 3 expected (token,user,uid)`);
      const [token, username, uid, groups] = r;
      if (users.has(token)) throw new Error(`token file is invalid: duplicate token in record ${i + 1}`);
      users.set(token, { username, uid, groups: [...(groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : []), 'system:authenticated'] });
    });
    return new StaticTokenAuthenticator(users);
  }

  authenticate(): undefined { return undefined; }

  authenticateToken(token: string): TokenAuthentication | undefined {
    const user = this.users.get(token);
    return user ? { user: structuredClone(user) } : undefined;
  }
}

/**
 * A byte-level JSON scanner that keeps what JSON.parse loses: every object key in order
 * (so duplicates can be reported) and the literal text of numbers (Go parses int32/int64
 * fields from it). Syntax errors are worded like Go's encoding/json scanner
 * ("invalid character 'x' looking for beginning of value", "unexpected end of JSON input",
 * "exceeded max depth" past `maxDepth` nested objects/arrays). Iterative: deep input
 * cannot overflow the JS stack. Invalid UTF-8 inside strings is replaced by U+FFFD, as Go does.
 */

export type JsonNode =
  | { t: 'object'; entries: Array<[string, JsonNode]> }
  | { t: 'array'; items: JsonNode[] }
  | { t: 'string'; v: string }
  | { t: 'number'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

/** Result of scanning: the node tree, or a Go-worded syntax error. */
export type ScanResult = { node: JsonNode; error?: undefined } | { node?: undefined; error: string };

class SyntaxErr extends Error {}

/** Go's quoteChar: the offending byte as a single-quoted Go literal. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c >= 0x80 && (c < 0xa0 || c === 0xad)) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

type Frame = { node: Extract<JsonNode, { t: 'object' | 'array' }>; key?: string };

/** Scans `buf` as one JSON value. Never throws. */
export function scanJson(buf: Buffer, maxDepth = 10000): ScanResult {
  let i = 0;
  const n = buf.length;
  const bad = (ctx: string): never => {
    if (i >= n) throw new SyntaxErr('unexpected end of JSON input');
    throw new SyntaxErr(`invalid character ${quoteChar(buf[i])} ${ctx}`);
  };
  const skip = (): void => { while (i < n && isSpace(buf[i])) i++; };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++, i++) {
      if (buf[i] !== word.charCodeAt(k)) {
        if (k === 0) bad('looking for beginning of value');
        bad(`in literal ${word} (expecting ${quoteChar(word.charCodeAt(k))})`);
      }
    }
  };
  const number = (): string => {
    const start = i;
    if (buf[i] === 0x2d) { i++; if (!isDigit(buf[i])) bad('in numeric literal'); }
    if (buf[i] === 0x30) i++; else while (isDigit(buf[i])) i++;
    if (buf[i] === 0x2e) { i++; if (!isDigit(buf[i])) bad('after decimal point in numeric literal'); while (isDigit(buf[i])) i++; }
    if (buf[i] === 0x65 || buf[i] === 0x45) {
      i++;
      if (buf[i] === 0x2b || buf[i] === 0x2d) i++;
      if (!isDigit(buf[i])) bad('in exponent of numeric literal');
      while (isDigit(buf[i])) i++;
    }
    return buf.toString('latin1', start, i);
  };
  const string = (): string => {
    i++; // opening quote
    let out = '';
    let seg = i;
    for (;;) {
      if (i >= n) bad('');
      const c = buf[i];
      if (c === 0x22) { out += buf.toString('utf8', seg, i); i++; return out; }
      if (c < 0x20) bad('in string literal');
      if (c !== 0x5c) { i++; continue; }
      out += buf.toString('utf8', seg, i);
      i++;
      const e = buf[i];
      const simple: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };
      if (e !== undefined && simple[e] !== undefined) { out += simple[e]; i++; seg = i; continue; }
      if (e !== 0x75) bad('in string escape code');
      i++;
      const hex = (): number => {
        let v = 0;
        for (let k = 0; k < 4; k++, i++) {
          const h = buf[i];
          const d = h >= 0x30 && h <= 0x39 ? h - 0x30 : h >= 0x61 && h <= 0x66 ? h - 87 : h >= 0x41 && h <= 0x46 ? h - 55 : -1;
          if (d < 0) bad('in \\u hexadecimal character escape');
          v = v * 16 + d;
        }
        return v;
      };
      const u = hex();
      if (u >= 0xd800 && u < 0xdc00 && buf[i] === 0x5c && buf[i + 1] === 0x75) {
        const save = i;
        i += 2;
        const lo = hex();
        if (lo >= 0xdc00 && lo < 0xe000) out += String.fromCharCode(u, lo);
        else { out += '\ufffd'; i = save; }
      } else out += u >= 0xd800 && u < 0xe000 ? '\ufffd' : String.fromCharCode(u);
      seg = i;
    }
  };

  try {
    const stack: Frame[] = [];
    let root: JsonNode | undefined;
    // Attach a finished value to the container on top of the stack (or make it the root).
    const put = (v: JsonNode): void => {
      const top = stack[stack.length - 1];
      if (!top) root = v;
      else if (top.node.t === 'array') top.node.items.push(v);
      else top.node.entries.push([top.key as string, v]);
    };
    let expectValue = true;
    for (;;) {
      skip();
      if (expectValue) {
        const c = buf[i];
        if (c === 0x7b || c === 0x5b) {
          if (stack.length + 1 > maxDepth) throw new SyntaxErr('exceeded max depth');
          const node: Frame['node'] = c === 0x7b ? { t: 'object', entries: [] } : { t: 'array', items: [] };
          i++;
          skip();
          const closer = c === 0x7b ? 0x7d : 0x5d;
          if (buf[i] === closer) { i++; put(node); expectValue = false; }
          else {
            stack.push({ node });
            if (c === 0x7b) {
              if (buf[i] !== 0x22) bad('looking for beginning of object key string');
              stack[stack.length - 1].key = string();
              skip();
              if (buf[i] !== 0x3a) bad('after object key');
              i++;
            }
            continue;
          }
        } else if (c === 0x22) put({ t: 'string', v: string() });
        else if (c === 0x2d || isDigit(c)) put({ t: 'number', raw: number() });
        else if (c === 0x74) { literal('true'); put({ t: 'bool', v: true }); }
        else if (c === 0x66) { literal('false'); put({ t: 'bool', v: false }); }
        else if (c === 0x6e) { literal('null'); put({ t: 'null' }); }
        else bad('looking for beginning of value');
        expectValue = false;
      }
      skip();
      const top = stack[stack.length - 1];
      if (!top) {
        if (i < n) bad('after top-level value');
        return { node: root as JsonNode };
      }
      const c = buf[i];
      if (top.node.t === 'array') {
        if (c === 0x2c) { i++; expectValue = true; continue; }
        if (c !== 0x5d) bad('after array element');
      } else {
        if (c === 0x2c) {
          i++;
          skip();
          if (buf[i] !== 0x22) bad('looking for beginning of object key string');
          top.key = string();
          skip();
          if (buf[i] !== 0x3a) bad('after object key');
          i++;
          expectValue = true;
          continue;
        }
        if (c !== 0x7d) bad('after object key:value pair');
      }
      i++;
      stack.pop();
      put(top.node);
    }
  } catch (e) {
    if (e instanceof SyntaxErr) return { error: e.message };
    return { error: `unexpected error scanning JSON: ${(e as Error).message}` };
  }
}

/** The plain JS value of a node (last duplicate key wins, as in Go). Iterative. */
export function toValue(root: JsonNode): unknown {
  const conv = (x: JsonNode): unknown => x.t === 'object' ? {} : x.t === 'array' ? [] : x.t === 'number' ? Number(x.raw) : x.t === 'null' ? null : x.v;
  const out = conv(root);
  const work: Array<[JsonNode, unknown]> = [[root, out]];
  while (work.length) {
    const [node, target] = work.pop()!;
    if (node.t === 'array') for (const item of node.items) { const v = conv(item); (target as unknown[]).push(v); work.push([item, v]); }
    else if (node.t === 'object') {
      for (const [k, item] of node.entries) {
        const v = conv(item);
        Object.defineProperty(target, k, { value: v, enumerable: true, writable: true, configurable: true });
        work.push([item, v]);
      }
    }
  }
  return out;
}

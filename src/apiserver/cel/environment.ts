/**
 * The CEL environment of admission (upstream k8s.io/apiserver/pkg/cel/environment and
 * pkg/admission/plugin/cel): @bufbuild/cel (pure TypeScript, already the parser of policy
 * validation) with the cel-go `strings` extension and the Kubernetes libraries k8ts has —
 * lists, regex, quantity and URL basics (`libraries/`).
 *
 * Not done: compile-time type checking (expressions are checked when evaluated, so a
 * type error is an evaluation error, which the caller's failurePolicy judges), cost limits,
 * and the authorizer, IP/CIDR, format and semver libraries.
 */
import { celEnv, isCelError, parse, plan, type CelInput, type CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { listsLibrary } from './libraries/lists.js';
import { quantityLibrary } from './libraries/quantity.js';
import { regexLibrary } from './libraries/regex.js';
import { urlLibrary } from './libraries/url.js';

const env = celEnv({ funcs: [...strings, ...listsLibrary, ...regexLibrary, ...quantityLibrary, ...urlLibrary] });

/** The outcome of one evaluation: a value, or the evaluation error's message. */
export type CelOutcome = { value: unknown; error?: undefined } | { error: string; value?: undefined };

/** A compiled expression: evaluate it against variable bindings (CEL inputs, see values.ts). */
export interface CompiledExpression {
  readonly expression: string;
  evaluate(bindings: Record<string, CelInput>): CelOutcome;
}

/**
 * Compiles `expression` once. Throws Error with upstream's `compilation failed: ERROR:`
 * prefix on a syntax error; evaluation never throws (an error is returned as `error`).
 */
export function compileExpression(expression: string): CompiledExpression {
  let run: (ctx: Record<string, CelInput>) => CelResult;
  try {
    run = plan(env, parse(expression)) as never;
  } catch (err) {
    throw new Error(`compilation failed: ERROR: ${(err as Error).message.split('\n')[0]}`);
  }
  return {
    expression,
    evaluate(bindings) {
      try {
        const v = run(bindings);
        if (isCelError(v)) return { error: v.message.replace(/^field not found: /, 'no such key: ') };
        return { value: v };
      } catch (err) {
        return { error: (err as Error).message };
      }
    },
  };
}

const cache = new Map<string, CompiledExpression | Error>();

/** `compileExpression` with a process-wide cache (policies are evaluated on every request). Throws the compile error. */
export function compiled(expression: string): CompiledExpression {
  let c = cache.get(expression);
  if (!c) {
    try { c = compileExpression(expression); } catch (err) { c = err as Error; }
    if (cache.size > 10_000) cache.clear();
    cache.set(expression, c);
  }
  if (c instanceof Error) throw c;
  return c;
}

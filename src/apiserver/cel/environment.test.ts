import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression } from './environment.js';
import { fromCel, toCel } from './values.js';

const run = (expr: string, vars: Record<string, unknown> = {}) => {
  const out = compileExpression(expr).evaluate(Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, toCel(v)])));
  return out.error !== undefined ? { error: out.error } : fromCel(out.value);
};

describe('admission CEL environment', () => {
  it('objects are maps with int numbers', () => {
    assert.equal(run('object.spec.replicas <= 5', { object: { spec: { replicas: 6 } } }), false);
    assert.equal(run('has(object.spec.x)', { object: { spec: {} } }), false);
    assert.equal(run('object.metadata.labels["a"] + "!"', { object: { metadata: { labels: { a: 'b' } } } }), 'b!');
    assert.deepEqual(run('object.spec.y', { object: { spec: {} } }), { error: 'no such key: y' });
  });
  it('compile errors throw with upstream\'s prefix', () => {
    assert.throws(() => compileExpression('object.'), /^Error: compilation failed: ERROR:/);
  });
  it('lists library', () => {
    assert.equal(run('[1, 2, 3].isSorted()'), true);
    assert.equal(run('["b", "a"].isSorted()'), false);
    assert.equal(run('[1, 2, 3].sum()'), 6);
    assert.equal(run('[1.5, 2.5].sum()'), 4);
    assert.equal(run('[3, 1, 2].min()'), 1);
    assert.equal(run('[3, 1, 2].max()'), 3);
    assert.equal(run('[1, 2, 2].indexOf(2)'), 1);
    assert.equal(run('[1, 2, 2].lastIndexOf(2)'), 2);
    assert.deepEqual(run('[].min()'), { error: 'min called on empty list' });
  });
  it('regex library', () => {
    assert.equal(run('"abc123def456".find("[0-9]+")'), '123');
    assert.equal(run('"abc".find("[0-9]+")'), '');
    assert.deepEqual(run('"abc123def456".findAll("[0-9]+")'), ['123', '456']);
    assert.deepEqual(run('"a1b2c3".findAll("[0-9]", 2)'), ['1', '2']);
    assert.equal(run('"abc".matches("^a")'), true);
  });
  it('strings extension', () => {
    assert.equal(run('"Hello".lowerAscii()'), 'hello');
    assert.deepEqual(run('"a,b".split(",")'), ['a', 'b']);
  });
  it('quantity library', () => {
    assert.equal(run('quantity("1Gi").isGreaterThan(quantity("512Mi"))'), true);
    assert.equal(run('quantity("500m").compareTo(quantity("1"))'), -1);
    assert.equal(run('quantity("2k").asInteger()'), 2000);
    assert.equal(run('isQuantity("1x")'), false);
    assert.equal(run('quantity("1").add(quantity("500m")).asApproximateFloat()'), 1.5);
  });
  it('url library', () => {
    assert.equal(run('url("https://example.com:8443/a/b?x=1").getHost()'), 'example.com:8443');
    assert.equal(run('url("https://example.com/a").getScheme()'), 'https');
    assert.equal(run('url("https://example.com:80/a").getPort()'), '80');
    assert.deepEqual(run('url("https://e.com/?x=1&x=2").getQuery()'), { x: ['1', '2'] });
    assert.equal(run('isURL("not a url")'), false);
  });
});

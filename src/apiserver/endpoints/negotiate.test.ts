import { it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../machinery/errors.js';
import { negotiate } from './negotiate.js';

const PB = 'application/vnd.kubernetes.protobuf';

it('negotiates protobuf for kinds with a message, JSON otherwise, never a protobuf Table', () => {
  assert.deepEqual(negotiate(`${PB}, application/json`, false, true), { encoding: 'protobuf', as: 'none' });
  assert.deepEqual(negotiate(`${PB}, application/json`, false, false), { encoding: 'json', as: 'none' });
  assert.deepEqual(negotiate('application/json, */*', true, true), { encoding: 'json', as: 'none' });
  assert.deepEqual(negotiate(`${PB};as=Table;g=meta.k8s.io;v=v1,application/json;as=Table;g=meta.k8s.io;v=v1`, true, true), { encoding: 'json', as: 'Table' });
  assert.deepEqual(negotiate(`${PB};as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`, true, false), { encoding: 'protobuf', as: 'PartialObjectMetadataList' });
  assert.throws(() => negotiate(PB, false, false), (e) => e instanceof StatusError && e.code === 406);
  assert.throws(() => negotiate(`${PB};as=Table;g=meta.k8s.io;v=v1`, true, true), (e) => e instanceof StatusError && e.code === 406);
});

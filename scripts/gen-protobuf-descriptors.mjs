#!/usr/bin/env node
// Regenerates src/api/protobuf/descriptors.json: the protobuf wire contract (message
// names, field names, numbers and types) of the Kubernetes API kinds k8ts serves, read
// from the gzipped FileDescriptorProtos that a kubectl 1.32 binary registers. Only field
// facts are kept (no comments, no options). Usage: node scripts/gen-protobuf-descriptors.mjs [/usr/bin/kubectl]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

const WANTED = [
  'k8s.io/apimachinery/pkg/runtime/generated.proto',
  'k8s.io/apimachinery/pkg/runtime/schema/generated.proto',
  'k8s.io/apimachinery/pkg/api/resource/generated.proto',
  'k8s.io/apimachinery/pkg/util/intstr/generated.proto',
  'k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto',
  'k8s.io/api/core/v1/generated.proto',
  'k8s.io/api/apps/v1/generated.proto',
  'k8s.io/api/coordination/v1/generated.proto',
  'k8s.io/api/autoscaling/v1/generated.proto',
  'k8s.io/api/policy/v1/generated.proto',
];

const bin = readFileSync(process.argv[2] ?? '/usr/bin/kubectl');
const files = new Map();
for (let i = 0; i < bin.length - 3; i++) {
  if (bin[i] !== 0x1f || bin[i + 1] !== 0x8b || bin[i + 2] !== 0x08) continue;
  let out;
  try { out = gunzipSync(bin.subarray(i, i + 2_000_000), { finishFlush: 2 }); } catch { continue; }
  let fd;
  try { fd = descriptor.FileDescriptorProto.decode(out); } catch { continue; }
  if (WANTED.includes(fd.name) && !files.has(fd.name)) files.set(fd.name, fd);
}
const missing = WANTED.filter((w) => !files.has(w));
if (missing.length) { console.error('not found:', missing); process.exit(1); }
// Keep only what the wire needs: names, numbers, labels, types, map entries.
const strip = (m) => ({
  name: m.name,
  field: (m.field ?? []).map((f) => ({ name: f.name, number: f.number, label: f.label, type: f.type, typeName: f.typeName || undefined, jsonName: f.jsonName || undefined })),
  nestedType: (m.nestedType ?? []).map(strip),
  options: m.options?.mapEntry ? { mapEntry: true } : undefined,
});
const set = {
  file: [...files.values()].map((fd) => ({ name: fd.name, package: fd.package, dependency: fd.dependency, syntax: fd.syntax || 'proto2', messageType: fd.messageType.map(strip) })),
};
mkdirSync('src/api/protobuf', { recursive: true });
writeFileSync('src/api/protobuf/descriptors.json', JSON.stringify(set));
console.log(`wrote ${set.file.length} files, ${set.file.reduce((a, f) => a + f.messageType.length, 0)} messages`);

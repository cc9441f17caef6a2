#!/usr/bin/env node
// Regenerates src/api/protobuf/descriptors.json: the protobuf wire contract (message
// names, field names, numbers and types) of the Kubernetes API kinds k8ts serves, read
// from the gzipped FileDescriptorProtos that a kubectl 1.32 binary registers. Only field
// facts are kept (no comments, no options). Also writes src/api/protobuf/openapi-v2-descriptors.json:
// gnostic's openapiv2/OpenAPIv2.proto (package openapi.v2, the protobuf form of the Swagger 2.0
// document served at /openapi/v2) and its dependency google/protobuf/any.proto, with their
// oneofs kept. Usage: node scripts/gen-protobuf-descriptors.mjs [/usr/bin/kubectl]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';

// The GA API groups (v1, plus autoscaling/v2) that kubectl 1.32 embeds; alpha/beta
// versions are left out on purpose.
const GA_GROUPS = [
  'admission', 'admissionregistration', 'apps', 'authentication', 'authorization', 'autoscaling', 'batch',
  'certificates', 'coordination', 'core', 'discovery', 'events', 'flowcontrol', 'networking', 'node', 'policy',
  'rbac', 'scheduling', 'storage',
];
const WANTED = [
  'k8s.io/apimachinery/pkg/runtime/generated.proto',
  'k8s.io/apimachinery/pkg/runtime/schema/generated.proto',
  'k8s.io/apimachinery/pkg/api/resource/generated.proto',
  'k8s.io/apimachinery/pkg/util/intstr/generated.proto',
  'k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto',
  ...GA_GROUPS.map((g) => `k8s.io/api/${g}/v1/generated.proto`),
  'k8s.io/api/autoscaling/v2/generated.proto',
];
// Wanted when the binary has them (kubectl does not link the apiextensions or
// kube-aggregator types); a missing one is logged, not an error.
const OPTIONAL = [
  'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto',
  'k8s.io/kube-aggregator/pkg/apis/apiregistration/v1/generated.proto',
];

// gnostic's Swagger 2.0 model (what kubectl's openapi v2 client decodes), written to its own file.
const OPENAPI_V2 = ['openapiv2/OpenAPIv2.proto', 'google/protobuf/any.proto'];

const bin = readFileSync(process.argv[2] ?? '/usr/bin/kubectl');
const files = new Map();
const v2files = new Map();
for (let i = 0; i < bin.length - 3; i++) {
  // Go's gzip writer emits a bare 10-byte header (flags 0). Inflate only this member:
  // gunzip would run on into an adjacent gzip member (e.g. certificates/v1 is followed
  // by certificates/v1beta1) and the decoder would merge the two descriptors.
  if (bin[i] !== 0x1f || bin[i + 1] !== 0x8b || bin[i + 2] !== 0x08 || bin[i + 3] !== 0) continue;
  let out;
  try { out = inflateRawSync(bin.subarray(i + 10, i + 2_000_000), { finishFlush: 2 }); } catch { continue; }
  let fd;
  try { fd = descriptor.FileDescriptorProto.decode(out); } catch { continue; }
  if ((WANTED.includes(fd.name) || OPTIONAL.includes(fd.name)) && !files.has(fd.name)) files.set(fd.name, fd);
  if (OPENAPI_V2.includes(fd.name) && !v2files.has(fd.name)) v2files.set(fd.name, fd);
}
const missing = WANTED.filter((w) => !files.has(w));
if (missing.length) { console.error('not found:', missing); process.exit(1); }
const absent = OPTIONAL.filter((w) => !files.has(w));
if (absent.length) console.error('optional, not in this binary (skipped):', absent);
// Every dependency of a kept file must be kept too (gogo.proto only carries options).
const unresolved = [...files.values()].flatMap((fd) => (fd.dependency ?? []).filter((d) => !files.has(d) && !d.includes('gogoproto')));
if (unresolved.length) { console.error('dependencies not kept:', [...new Set(unresolved)]); process.exit(1); }
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

// protoc-gen-go (google.golang.org/protobuf) registers raw, not gzipped, descriptors: find
// `0x0a <len> <name>` (field 1, the file name) and read FileDescriptorProto fields in
// order until a tag that does not belong (protoc writes fields by number; syntax=12 or
// edition=14 comes last), then decode that prefix.
const FD_WIRE = { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 0, 11: 0, 12: 2, 14: 0 };
for (const name of OPENAPI_V2) {
  const needle = Buffer.concat([Buffer.from([0x0a, name.length]), Buffer.from(name)]);
  for (let at = bin.indexOf(needle); at >= 0 && !v2files.has(name); at = bin.indexOf(needle, at + 1)) {
    const r = protobuf.Reader.create(bin.subarray(at, at + 1_000_000));
    let end = 0, last = 0;
    try {
      while (r.pos < r.len) {
        const tag = r.uint32(), field = tag >>> 3, wire = tag & 7;
        if (FD_WIRE[field] !== wire || field < last) break;
        r.skipType(wire);
        end = r.pos; last = field;
      }
    } catch { /* ran past the descriptor */ }
    let fd;
    try { fd = descriptor.FileDescriptorProto.decode(bin.subarray(at, at + end)); } catch { continue; }
    if (fd.name === name && fd.messageType.length) v2files.set(name, fd);
  }
}
// openapi.v2: the same wire facts plus oneofs (gnostic's *Item messages are oneofs).
const missingV2 = OPENAPI_V2.filter((w) => !v2files.has(w));
if (missingV2.length) { console.error('not found:', missingV2); process.exit(1); }
const stripV2 = (m) => ({
  name: m.name,
  field: (m.field ?? []).map((f) => ({
    name: f.name, number: f.number, label: f.label, type: f.type, typeName: f.typeName || undefined, jsonName: f.jsonName || undefined,
    oneofIndex: Object.prototype.hasOwnProperty.call(f, 'oneofIndex') ? f.oneofIndex : undefined,
  })),
  nestedType: (m.nestedType ?? []).map(stripV2),
  oneofDecl: (m.oneofDecl ?? []).length ? m.oneofDecl.map((o) => ({ name: o.name })) : undefined,
  options: m.options?.mapEntry ? { mapEntry: true } : undefined,
});
const v2set = {
  file: OPENAPI_V2.map((n) => v2files.get(n)).map((fd) => ({
    name: fd.name, package: fd.package, dependency: fd.dependency, syntax: fd.syntax || 'proto2', messageType: fd.messageType.map(stripV2),
  })),
};
writeFileSync('src/api/protobuf/openapi-v2-descriptors.json', JSON.stringify(v2set));
console.log(`wrote openapi-v2-descriptors.json: ${v2set.file.length} files, ${v2set.file.reduce((a, f) => a + f.messageType.length, 0)} messages`);

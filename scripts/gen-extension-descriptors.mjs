#!/usr/bin/env node
// Regenerates src/api/protobuf/extension-descriptors.json: the protobuf wire contract of the
// API groups kubectl's binary has no descriptors for (apiextensions.k8s.io/v1,
// apiregistration.k8s.io/v1), compiled from the hand-written .proto files in
// src/api/protobuf/proto/ (field lists copied from upstream v1.32's generated.proto).
// Output has the same stripped FileDescriptorProto form as descriptors.json (names,
// numbers, labels, types, map entries); the codec and the structural types load both.
// Types of other packages (meta/v1, runtime) resolve against descriptors.json.
// Usage: node scripts/gen-extension-descriptors.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import 'protobufjs/ext/descriptor/index.js';

const DIR = 'src/api/protobuf/proto';
const PROTOS = [
  ['k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto', 'apiextensions-v1.proto'],
  ['k8s.io/kube-aggregator/pkg/apis/apiregistration/v1/generated.proto', 'apiregistration-v1.proto'],
];
// FieldDescriptorProto.Type numbers of the scalar types.
const SCALAR = { double: 1, float: 2, int64: 3, uint64: 4, int32: 5, fixed64: 6, fixed32: 7, bool: 8, string: 9, bytes: 12, uint32: 13, sfixed32: 15, sfixed64: 16, sint32: 17, sint64: 18 };

const base = JSON.parse(readFileSync('src/api/protobuf/descriptors.json', 'utf8'));
const root = protobuf.Root.fromDescriptor(base);
const parsed = PROTOS.map(([name, file]) => {
  const text = readFileSync(`${DIR}/${file}`, 'utf8');
  const res = protobuf.parse(text, root, { keepCase: true });
  return { name, pkg: res.package, imports: res.imports ?? [] };
});
root.resolveAll();

// protoc's map entry name: `properties` → `PropertiesEntry`.
const entryName = (field) => `${field.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase())}Entry`;
const typeRef = (f) => {
  const rt = f.resolvedType;
  if (rt instanceof protobuf.Type) return { type: 11, typeName: `.${rt.fullName.replace(/^\./, '')}` };
  if (rt instanceof protobuf.Enum) return { type: 14, typeName: `.${rt.fullName.replace(/^\./, '')}` };
  if (!(f.type in SCALAR)) throw new Error(`unresolved type ${f.type} of ${f.fullName}`);
  return { type: SCALAR[f.type] };
};
const message = (t) => {
  const field = [];
  const nestedType = [];
  for (const f of t.fieldsArray) {
    if (f instanceof protobuf.MapField) {
      const entry = entryName(f.name);
      const value = typeRef(f);
      if (!(f.keyType in SCALAR)) throw new Error(`map key ${f.keyType}`);
      nestedType.push({
        name: entry,
        field: [{ name: 'key', number: 1, label: 1, type: SCALAR[f.keyType], jsonName: 'key' }, { name: 'value', number: 2, label: 1, ...value, jsonName: 'value' }],
        nestedType: [], options: { mapEntry: true },
      });
      field.push({ name: f.name, number: f.id, label: 3, type: 11, typeName: `.${t.fullName.replace(/^\./, '')}.${entry}`, jsonName: f.name });
      continue;
    }
    field.push({ name: f.name, number: f.id, label: f.repeated ? 3 : f.required ? 2 : 1, ...typeRef(f), jsonName: f.name });
  }
  return { name: t.name, field, nestedType };
};
const set = {
  file: parsed.map(({ name, pkg, imports }) => {
    const ns = root.lookup(pkg);
    return {
      name, package: pkg, dependency: imports, syntax: 'proto2',
      messageType: ns.nestedArray.filter((n) => n instanceof protobuf.Type).sort((a, b) => a.name.localeCompare(b.name)).map(message),
    };
  }),
};
writeFileSync('src/api/protobuf/extension-descriptors.json', `${JSON.stringify(set)}\n`);
console.log(`wrote extension-descriptors.json: ${set.file.length} files, ${set.file.reduce((a, f) => a + f.messageType.length, 0)} messages`);

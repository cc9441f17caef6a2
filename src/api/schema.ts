/**
 * Building blocks for kind schemas (TypeBox). A kind's schema is its one definition:
 * the TypeScript type is `Static<typeof Schema>`, the strategic-merge-patch metadata
 * lives in it as upstream's OpenAPI extensions (`x-kubernetes-patch-merge-key`,
 * `x-kubernetes-patch-strategy`, `x-kubernetes-list-type`, `x-kubernetes-list-map-keys`),
 * and the OpenAPI document is generated from it.
 */
import { Type, type TOptional, type TSchema } from '@sinclair/typebox';

export const Str = (): ReturnType<typeof Type.String> => Type.String();
export const Int = (): ReturnType<typeof Type.Integer> => Type.Integer();
export const Bool = (): ReturnType<typeof Type.Boolean> => Type.Boolean();
export const StringMap = () => Type.Record(Type.String(), Type.String());
/** An int-or-string (`x-kubernetes-int-or-string`), e.g. maxSurge `25%` or `1`, targetPort. */
export const IntOrString = () => Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true });
/** A resource quantity string such as `100m` or `1Gi` (numbers are accepted as input too). */
export const Quantity = () => Type.Union([Type.String(), Type.Number()], { format: 'quantity' });
/** RFC 3339 time string. */
export const Time = () => Type.String({ format: 'date-time' });
/** Free-form object kept as is. */
export const Any = () => Type.Unknown();

/** A list merged by `key` under strategic merge patch (patchStrategy=merge, listType=map). */
export function MergeList<T extends TSchema>(item: T, key: string) {
  return Type.Array(item, {
    'x-kubernetes-patch-merge-key': key, 'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': [key],
  });
}
/** A list of scalars merged as a set (patchStrategy=merge, listType=set). */
export function SetList<T extends TSchema>(item: T) {
  return Type.Array(item, { 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-list-type': 'set' });
}
/** A list replaced as a whole (listType=atomic). */
export function AtomicList<T extends TSchema>(item: T) {
  return Type.Array(item, { 'x-kubernetes-list-type': 'atomic' });
}
/** An object whose fields are all optional. */
export function Obj<P extends Record<string, TSchema>>(props: P, description?: string) {
  const optional = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof P]: TOptional<P[K]> };
  return Type.Object(optional, { additionalProperties: true, ...(description ? { description } : {}) });
}

/**
 * Protobuf responses (upstream k8s.io/apiserver/pkg/endpoints/handlers/responsewriters
 * with the protobuf serializer of k8s.io/apimachinery/pkg/runtime/serializer/protobuf):
 * which message an answered object has, and its `k8s\0` + runtime.Unknown encoding.
 */
import type { KubeObject } from '../../api/object.js';
import { defaultProtobufMessage } from '../../api/define-resource.js';
import { parseApiVersion, type ResourceTable } from '../../api/resource-table.js';
import { encodeProtobufObject, encodeWatchEventFrame, hasProtobufMessage } from '../../api/protobuf/encode.js';

/** The protobuf media type (upstream runtime.ContentTypeProtobuf). */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf';
/** Content-Type of a protobuf watch stream (upstream: the stream serializer's media type). */
export const PROTOBUF_WATCH = 'application/vnd.kubernetes.protobuf;stream=watch';

/** The protobuf message of an answered object's apiVersion/kind, or undefined when it has none. */
export type ResponseMessageResolver = (apiVersion: string, kind: string) => string | undefined;

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/**
 * Resolves response messages from the resource table: the kind's own message, its List
 * message (`<message>List`), meta/v1 Status and PartialObjectMetadata(List), and
 * subresource kinds by upstream's package naming (autoscaling/v1 Scale, policy/v1
 * Eviction). Kinds whose definition has no message (custom resources) resolve to
 * undefined, so they are answered as JSON (upstream: CRs serve no protobuf).
 */
export function responseMessageResolver(table: ResourceTable): ResponseMessageResolver {
  return (apiVersion, kind) => {
    if ((apiVersion === 'v1' && kind === 'Status') || ((apiVersion === 'meta.k8s.io/v1' || apiVersion === 'meta.k8s.io/v1beta1') && kind.startsWith('PartialObjectMetadata'))) {
      return `${META}.${kind}`;
    }
    const def = table.byKind(apiVersion, kind);
    if (def) return hasProtobufMessage(def.protobufMessage) ? def.protobufMessage : undefined;
    if (kind.endsWith('List')) {
      const base = table.byKind(apiVersion, kind.slice(0, -4));
      if (base) return base.protobufMessage && hasProtobufMessage(`${base.protobufMessage}List`) ? `${base.protobufMessage}List` : undefined;
    }
    const { group, version } = parseApiVersion(apiVersion);
    const m = defaultProtobufMessage(group, version, kind);
    return hasProtobufMessage(m) ? m : undefined;
  };
}

/** Encodes `obj` as a protobuf response body; undefined when its kind has no message or it does not encode. */
export function encodeResponse(obj: KubeObject, messageOf: ResponseMessageResolver): Buffer | undefined {
  if (!obj || typeof obj !== 'object' || !obj.kind) return undefined;
  const message = messageOf(obj.apiVersion ?? '', obj.kind);
  if (!message) return undefined;
  try {
    return encodeProtobufObject(obj as unknown as Record<string, unknown>, message);
  } catch {
    // An object that does not fit its message (ProtobufEncodeError, or protobufjs refusing a value) is answered as JSON.
    return undefined;
  }
}

/**
 * The frame writer of a protobuf watch stream: each event's object encoded as a
 * response body, inside a length-prefixed meta/v1 WatchEvent (encode.ts). An object
 * that does not encode becomes an ERROR event with an InternalError Status.
 */
export function protobufWatchFrame(messageOf: ResponseMessageResolver): (type: string, obj: KubeObject) => Buffer {
  return (type, obj) => {
    const data = encodeResponse(obj, messageOf);
    if (data) return encodeWatchEventFrame(type, data);
    const status = { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message: `unable to encode ${obj?.kind ?? 'object'} as protobuf` };
    return encodeWatchEventFrame('ERROR', encodeProtobufObject(status, `${META}.Status`));
  };
}

/**
 * gRPC probes (upstream pkg/probe/grpc/grpc.go): the standard health check
 * `grpc.health.v1.Health/Check` over plaintext HTTP/2 to `<pod IP>:<port>` with
 * @grpc/grpc-js, the service defined inline (proto-loader fromJSON, the messages of
 * grpc/health/v1/health.proto). SERVING is success; every outcome is a result, never a
 * throw, with upstream's messages:
 * - connect not done within the timeout: `timeout: failed to connect service "<addr>" within <t>s: ...`;
 * - UNIMPLEMENTED: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): <msg>`;
 * - DEADLINE_EXCEEDED: `timeout: health rpc did not complete within <t>s`;
 * - any other error: `error: health rpc probe failed: <err>`;
 * - another status: `service unhealthy (responded with "NOT_SERVING")`.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** grpc/health/v1/health.proto as a protobufjs namespace. */
const HEALTH_PROTO = {
  nested: { grpc: { nested: { health: { nested: { v1: { nested: {
    HealthCheckRequest: { fields: { service: { type: 'string', id: 1 } } },
    HealthCheckResponse: {
      fields: { status: { type: 'ServingStatus', id: 1 } },
      nested: { ServingStatus: { values: { UNKNOWN: 0, SERVING: 1, NOT_SERVING: 2, SERVICE_UNKNOWN: 3 } } },
    },
    Health: { methods: { Check: { requestType: 'HealthCheckRequest', responseType: 'HealthCheckResponse' } } },
  } } } } } } },
};

let healthService: grpc.ServiceClientConstructor | undefined;
/** The Health service's client constructor (also usable for a test server: `.service`). */
export function healthClient(): grpc.ServiceClientConstructor {
  healthService ??= ((((grpc.loadPackageDefinition(protoLoader.fromJSON(HEALTH_PROTO as Parameters<typeof protoLoader.fromJSON>[0], { enums: String, defaults: true })).grpc as grpc.GrpcObject).health as grpc.GrpcObject).v1 as grpc.GrpcObject).Health as grpc.ServiceClientConstructor);
  return healthService;
}

/** One health check of `service` ('' = the server overall) at host:port within `timeoutSeconds`. */
export async function grpcHealthCheck(host: string, port: number, service: string, timeoutSeconds: number): Promise<{ ok: boolean; message: string }> {
  const addr = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const deadline = Date.now() + timeoutSeconds * 1000;
  const t = `${timeoutSeconds}s`;
  let client: grpc.Client;
  try {
    client = new (healthClient())(addr, grpc.credentials.createInsecure(), { 'grpc.primary_user_agent': 'kube-probe/1.32' });
  } catch (err) {
    return { ok: false, message: `error: failed to connect service at ${JSON.stringify(addr)}: ${(err as Error).message}` };
  }
  try {
    const connectErr = await new Promise<Error | undefined>((r) => client.waitForReady(deadline, (e) => r(e ?? undefined)));
    if (connectErr) return { ok: false, message: `timeout: failed to connect service ${JSON.stringify(addr)} within ${t}: ${connectErr.message}` };
    const res = await new Promise<{ status?: string }>((resolve, reject) => {
      (client as unknown as { Check(req: object, opts: object, cb: (e: grpc.ServiceError | null, v: { status?: string }) => void): void })
        .Check({ service }, { deadline }, (e, v) => (e ? reject(e) : resolve(v)));
    });
    if (res.status !== 'SERVING') return { ok: false, message: `service unhealthy (responded with ${JSON.stringify(res.status ?? 'UNKNOWN')})` };
    return { ok: true, message: 'service healthy' };
  } catch (err) {
    const e = err as grpc.ServiceError;
    if (e.code === grpc.status.UNIMPLEMENTED) return { ok: false, message: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${e.details}` };
    if (e.code === grpc.status.DEADLINE_EXCEEDED) return { ok: false, message: `timeout: health rpc did not complete within ${t}` };
    return { ok: false, message: `error: health rpc probe failed: ${e.message}` };
  } finally { client.close(); }
}

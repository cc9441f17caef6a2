/**
 * Table printer of discovery.k8s.io/v1 EndpointSlice, with upstream v1.32's columns
 * (pkg/printers/internalversion/printers.go: printEndpointSlice, formatDiscoveryPorts,
 * formatDiscoveryEndpoints): at most three ports / addresses, then `+ N more...`;
 * `<unset>` when there are none.
 */
import { age, col, type TablePrinter } from './table.js';
import { ageColumn, nameColumn, type AnyObject } from './core-printers.js';

/** listWithMoreString: the first three items comma-joined, `+ N more...` past them, `<unset>` for none. */
function listWithMore(items: string[]): string {
  const max = 3;
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.join(',') || '<unset>';
}

export const endpointSlicePrinter: TablePrinter = {
  columns: [nameColumn, col('AddressType'), col('Ports'), col('Endpoints'), ageColumn],
  cells(obj, now) {
    const es = obj as AnyObject;
    const ports = ((es.ports ?? []) as Array<{ port?: number | null; name?: string | null }>)
      .map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : p.name !== undefined && p.name !== null ? p.name : '*'));
    const addresses = ((es.endpoints ?? []) as Array<{ addresses?: string[] }>).flatMap((e) => e.addresses ?? []);
    return [es.metadata.name, es.addressType ?? '', listWithMore(ports), listWithMore(addresses), age(es, now)];
  },
};

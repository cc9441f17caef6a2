/** coordination.k8s.io/v1 Lease (API reference "Lease v1 coordination.k8s.io"). */
import type { Static } from '@sinclair/typebox';
import { Int, Obj, Str, Time } from '../../schema.js';
import { KindObject } from '../../core/v1/types.js';

export const LeaseSchema = KindObject({
  spec: Obj({ holderIdentity: Str(), leaseDurationSeconds: Int(), acquireTime: Time(), renewTime: Time(), leaseTransitions: Int(), strategy: Str(), preferredHolder: Str() }),
});
export type Lease = Static<typeof LeaseSchema>;

/**
 * The Events the disruption controller records, worded as upstream's
 * (pkg/controller/disruption/disruption.go trySync, buildDisruptedPodMap); reasons and
 * messages are API: users and tools match on them. The recorder's source component is
 * `controllermanager`, as upstream's.
 */
import type { Pod } from '../../api/core/v1/pod-types.js';
import type { PodDisruptionBudget } from '../../api/policy/v1/pod-disruption-budget.js';
import type { EventRecorder } from '../../client/events.js';
import { goLabelSelectorString } from '../../api/printers/admissionregistration-printers.js';

/** The component name upstream's disruption controller records events as. */
export const EVENT_COMPONENT = 'controllermanager';

const errText = (e: unknown) => (e as Error)?.message ?? String(e);

/** Warning `NoPods` on the budget: its pods could not be listed (e.g. an invalid selector). */
export const podsListFailed = (r: EventRecorder, pdb: PodDisruptionBudget, err: unknown) =>
  r.event(pdb, 'Warning', 'NoPods', `Failed to get pods: ${errText(err)}`);

/** Normal `NoPods` on the budget: its selector matches no pod (recorded on every sync, folded by the recorder). */
export const noMatchingPods = (r: EventRecorder, pdb: PodDisruptionBudget) =>
  r.event(pdb, 'Normal', 'NoPods', 'No matching pods found');

/** Warning `CalculateExpectedPodCountFailed` on the budget, e.g. `found no controllers for pod "x"` or a bad percentage. */
export const expectedCountFailed = (r: EventRecorder, pdb: PodDisruptionBudget, err: unknown) =>
  r.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errText(err)}`);

/** Warning `UnmanagedPods` on the budget: selected pods without a controller, when the expected count comes from controllers' scale. */
export const unmanagedPods = (r: EventRecorder, pdb: PodDisruptionBudget) =>
  r.event(pdb, 'Warning', 'UnmanagedPods', `Pods selected by this PodDisruptionBudget (selector: ${pdb.spec?.selector ? goLabelSelectorString(pdb.spec.selector) : 'nil'}) were found `
    + 'to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. '
    + 'To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.');

/**
 * Warning `NotDeleted` on a pod the eviction API recorded in `disruptedPods` that was not
 * deleted within 2 minutes. Upstream formats the budget as `<namespace>/<namespace>`
 * (it passes the namespace twice); kept for fidelity.
 */
export const podNotDeleted = (r: EventRecorder, pdb: PodDisruptionBudget, pod: Pod) =>
  r.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`);

/**
 * DefaultBinder (upstream plugins/defaultbinder): binds by creating a v1 Binding through
 * the pods/{name}/binding subresource. API errors come back as an Error status whose
 * reason is the API message; the framework then forgets the assumed pod and retries.
 */
import { resources } from '../../../client/interface.js';
import { asError, success } from '../../framework/status.js';
import type { BindPlugin, FrameworkHandle } from '../../framework/interface.js';

export const DEFAULT_BINDER = 'DefaultBinder';

/** Factory of the DefaultBinder plugin; needs `handle.client`. */
export const defaultBinder = (handle: FrameworkHandle): BindPlugin => ({
  name: DEFAULT_BINDER,
  async bind(_state, pod, nodeName) {
    if (!handle.client) return asError(new Error('DefaultBinder needs an API client'));
    const namespace = pod.metadata.namespace!;
    const name = pod.metadata.name!;
    try {
      await handle.client.resource(resources.pods).create(
        { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata.uid }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } },
        { namespace, name, subresource: 'binding' },
      );
      return success();
    } catch (err) {
      return asError(err);
    }
  },
});

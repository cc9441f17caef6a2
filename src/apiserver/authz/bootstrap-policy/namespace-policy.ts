/**
 * The namespaced bootstrap Roles and RoleBindings of upstream v1.32
 * (bootstrappolicy/namespace_policy.go): kube-system and kube-public only.
 */
import { role, roleBinding, serviceAccount, user, type PolicyRole, type PolicyRoleBinding } from './metadata.js';
import { eventsRule, READ, res } from './rule.js';

const SYSTEM = 'kube-system';
const PUBLIC = 'kube-public';
const LEADER_LOCKING = [res('create get list update watch', 'coordination.k8s.io', 'leases'), res('create get list update watch', 'coordination.k8s.io', 'leasecandidates')];

/** Upstream NamespaceRoles(), flattened (kube-public first, then kube-system, as the testdata). */
export function namespaceRoles(): PolicyRole[] {
  return [
    role(PUBLIC, 'system:controller:bootstrap-signer', [
      res(READ, 'core', 'configmaps'),
      res('update', 'core', 'configmaps', 'cluster-info'),
      eventsRule(),
    ]),
    role(SYSTEM, 'extension-apiserver-authentication-reader', [res(READ, 'core', 'configmaps', 'extension-apiserver-authentication')]),
    role(SYSTEM, 'system::leader-locking-kube-controller-manager', LEADER_LOCKING),
    role(SYSTEM, 'system::leader-locking-kube-scheduler', LEADER_LOCKING),
    role(SYSTEM, 'system:controller:bootstrap-signer', [res(READ, 'core', 'secrets')]),
    role(SYSTEM, 'system:controller:cloud-provider', [res('create get list watch', 'core', 'configmaps')]),
    role(SYSTEM, 'system:controller:token-cleaner', [res('delete get list watch', 'core', 'secrets'), eventsRule()]),
  ];
}

/** Upstream NamespaceRoleBindings(), flattened. */
export function namespaceRoleBindings(): PolicyRoleBinding[] {
  return [
    roleBinding(PUBLIC, 'system:controller:bootstrap-signer', [serviceAccount(SYSTEM, 'bootstrap-signer')]),
    roleBinding(SYSTEM, 'extension-apiserver-authentication-reader', [user('system:kube-controller-manager'), user('system:kube-scheduler')], 'system::extension-apiserver-authentication-reader'),
    roleBinding(SYSTEM, 'system::leader-locking-kube-controller-manager', [user('system:kube-controller-manager'), serviceAccount(SYSTEM, 'kube-controller-manager'), serviceAccount(SYSTEM, 'leader-election-controller')]),
    roleBinding(SYSTEM, 'system::leader-locking-kube-scheduler', [user('system:kube-scheduler'), serviceAccount(SYSTEM, 'kube-scheduler')]),
    roleBinding(SYSTEM, 'system:controller:bootstrap-signer', [serviceAccount(SYSTEM, 'bootstrap-signer')]),
    roleBinding(SYSTEM, 'system:controller:cloud-provider', [serviceAccount(SYSTEM, 'cloud-provider')]),
    roleBinding(SYSTEM, 'system:controller:token-cleaner', [serviceAccount(SYSTEM, 'token-cleaner')]),
  ];
}

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePod } from './evaluator.js';
import { forbiddenDetail } from './result.js';
import type { PodMetaLike, PodSpecLike } from './types.js';

const detail = (level: 'baseline' | 'restricted', spec: PodSpecLike, meta: PodMetaLike = {}) => forbiddenDetail(evaluatePod(level, meta, spec));
const good = { allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } };

it('a minimal pod passes baseline; a hardened pod passes restricted', () => {
  assert.equal(evaluatePod('baseline', {}, { containers: [{ name: 'c' }] }).allowed, true);
  assert.equal(evaluatePod('restricted', {}, { containers: [{ name: 'c', securityContext: good }], volumes: [{ name: 'v', emptyDir: {} }] }).allowed, true);
  assert.equal(evaluatePod('privileged', {}, { hostNetwork: true, containers: [{ name: 'c', securityContext: { privileged: true } }] }).allowed, true);
});

it('words the baseline checks as upstream, in upstream order', () => {
  const spec: PodSpecLike = {
    hostNetwork: true, hostPID: true,
    securityContext: { sysctls: [{ name: 'kernel.msgmax' }, { name: 'net.ipv4.tcp_syncookies' }], seccompProfile: { type: 'Unconfined' }, seLinuxOptions: { type: 'spc_t', user: 'u' } },
    containers: [
      { name: 'a', ports: [{ containerPort: 80, hostPort: 80 }, { containerPort: 81, hostPort: 8081 }], securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'NET_ADMIN'] }, procMount: 'Unmasked', appArmorProfile: { type: 'Unconfined' } } },
      { name: 'b', securityContext: { privileged: true, windowsOptions: { hostProcess: true } } },
    ],
    volumes: [{ name: 'h', hostPath: { path: '/' } }],
  };
  assert.equal(detail('baseline', spec, { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined' } }), [
    'forbidden AppArmor profiles (container.apparmor.security.beta.kubernetes.io/a="unconfined", container "a" must not set securityContext.appArmorProfile.type to "Unconfined")',
    'host namespaces (hostNetwork=true, hostPID=true)',
    'hostPort (container "a" uses hostPorts 80, 8081)',
    'privileged (containers "a", "b" must not set securityContext.privileged=true)',
    'procMount (container "a" must not set securityContext.procMount to "Unmasked")',
    'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)',
    'forbidden sysctls (kernel.msgmax)',
    'hostProcess (container "b" must not set securityContext.windowsOptions.hostProcess=true)',
    'non-default capabilities (container "a" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add)',
    'hostPath volumes (volume "h")',
    'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
  ].join(', '));
});

it('words the restricted checks as upstream', () => {
  assert.equal(detail('restricted', { containers: [{ name: 'c', securityContext: { privileged: true } }] }), [
    'privileged (container "c" must not set securityContext.privileged=true)',
    'allowPrivilegeEscalation != false (container "c" must set securityContext.allowPrivilegeEscalation=false)',
    'unrestricted capabilities (container "c" must set securityContext.capabilities.drop=["ALL"])',
    'runAsNonRoot != true (pod or container "c" must set securityContext.runAsNonRoot=true)',
    'seccompProfile (pod or container "c" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  ].join(', '));
  const spec: PodSpecLike = {
    securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' } },
    initContainers: [{ name: 'i', securityContext: { ...good, runAsUser: 0, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'NET_RAW'] } } }],
    containers: [{ name: 'c', securityContext: { ...good, runAsNonRoot: false } }],
    volumes: [{ name: 'n', nfs: {} }, { name: 'h', hostPath: {} }, { name: 's', secret: {} }],
  };
  assert.equal(detail('restricted', spec), [
    'unrestricted capabilities (container "i" must not include "NET_RAW" in securityContext.capabilities.add)',
    'restricted volume types (volumes "n", "h" use restricted volume types "hostPath", "nfs")',
    'runAsNonRoot != true (pod and container "c" must not set securityContext.runAsNonRoot=false)',
    'runAsUser=0 (pod and container "i" must not set runAsUser=0)',
    'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
  ].join(', '));
});

it('restricted: windows pods skip the Linux-only checks; a pod-level seccomp and runAsNonRoot cover the containers', () => {
  const r = evaluatePod('restricted', {}, { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'c' }] });
  assert.equal(r.allowed, true);
  const p = evaluatePod('restricted', {}, { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Localhost' } }, containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] });
  assert.equal(p.allowed, true);
});

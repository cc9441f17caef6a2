import { it } from 'node:test';
import assert from 'node:assert/strict';
import { BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, CURRENT_METRICS_ANNOTATION, horizontalPodAutoscalerV1Definition as v1def, hpaV1ToV2, hpaV2ToV1, METRICS_ANNOTATION } from './horizontal-pod-autoscaler.js';
import { horizontalPodAutoscalerDefinition as v2def } from '../v2/horizontal-pod-autoscaler.js';

const meta = { name: 'web', namespace: 'ns', uid: 'u', resourceVersion: '9', labels: { app: 'web' }, annotations: { keep: 'me' } };
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const sel = { matchLabels: { q: 'jobs' } };
/** An autoscaling/v2 HPA with every metric source, behavior and a full status. */
const v2 = {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta,
  spec: {
    scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
      { type: 'Pods', pods: { metric: { name: 'rps', selector: sel }, target: { type: 'AverageValue', averageValue: '100' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' }, metric: { name: 'hits' }, target: { type: 'Value', value: '2k' } } },
      { type: 'External', external: { metric: { name: 'queue', selector: sel }, target: { type: 'AverageValue', averageValue: '30' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
    ],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    },
  },
  status: {
    observedGeneration: 3, lastScaleTime: '2026-11-30T10:00:00Z', currentReplicas: 4, desiredReplicas: 5,
    currentMetrics: [
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 65, averageValue: '650m' } } },
      { type: 'Pods', pods: { metric: { name: 'rps', selector: sel }, current: { averageValue: '90' } } },
      { type: 'Object', object: { describedObject: { apiVersion: 'v1', kind: 'Service', name: 's' }, metric: { name: 'hits' }, current: { value: '1k' } } },
      { type: 'External', external: { metric: { name: 'queue', selector: sel }, current: { averageValue: '20' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 50 } } },
    ],
    conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-11-30T10:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }],
  },
};

it('autoscaling/v2 → v1: the CPU utilization target is targetCPUUtilizationPercentage, the rest goes to upstream\'s annotations', () => {
  const out = hpaV2ToV1(structuredClone(v2));
  assert.equal(out.apiVersion, 'autoscaling/v1');
  assert.deepEqual(out.spec, { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 });
  assert.deepEqual(out.status, { observedGeneration: 3, lastScaleTime: '2026-11-30T10:00:00Z', currentReplicas: 4, desiredReplicas: 5, currentCPUUtilizationPercentage: 65 });
  const a = out.metadata.annotations!;
  assert.equal(a.keep, 'me');
  assert.deepEqual(JSON.parse(a[METRICS_ANNOTATION]), [
    { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
    { type: 'ContainerResource', containerResource: { name: 'cpu', targetAverageUtilization: 60, container: 'app' } },
    { type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '100', selector: sel } },
    { type: 'Object', object: { target: { apiVersion: 'v1', kind: 'Service', name: 's' }, metricName: 'hits', targetValue: '2k' } },
    { type: 'External', external: { metricName: 'queue', metricSelector: sel, targetAverageValue: '30' } },
  ]);
  assert.deepEqual(JSON.parse(a[BEHAVIOR_ANNOTATION]), {
    ScaleUp: { StabilizationWindowSeconds: 0, SelectPolicy: 'Max', Policies: [{ Type: 'Pods', Value: 4, PeriodSeconds: 15 }] },
    ScaleDown: { StabilizationWindowSeconds: 300, SelectPolicy: 'Min', Policies: [{ Type: 'Percent', Value: 10, PeriodSeconds: 60 }] },
  });
  assert.deepEqual(JSON.parse(a[CURRENT_METRICS_ANNOTATION])[0], { type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 65, currentAverageValue: '650m' } });
  assert.deepEqual(JSON.parse(a[CONDITIONS_ANNOTATION]), v2.status.conditions);
});

it('autoscaling/v2 → v1 → v2 keeps every field (the CPU utilization metric moves last, as upstream)', () => {
  const back = hpaV1ToV2(hpaV2ToV1(structuredClone(v2)));
  const cpuLast = { ...v2.spec, metrics: [...v2.spec.metrics] };
  assert.deepEqual(back, { ...v2, spec: cpuLast });
  // Already in upstream's order: exact.
  assert.deepEqual(hpaV1ToV2(hpaV2ToV1(back)), back);
});

it('autoscaling/v1 → v2 → v1 keeps every field; no metric means upstream\'s implicit 80 % CPU target', () => {
  const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a', namespace: 'ns' }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 1, desiredReplicas: 2, currentCPUUtilizationPercentage: 40, lastScaleTime: '2026-11-30T10:00:00Z', observedGeneration: 1 } };
  const asV2 = hpaV1ToV2(structuredClone(v1));
  assert.deepEqual(asV2.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
  assert.deepEqual(asV2.status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }]);
  assert.equal(asV2.metadata.annotations, undefined);
  const back = hpaV2ToV1(asV2);
  // The current metric comes back through its annotation (upstream stores it even when it maps to CPU).
  assert.deepEqual({ ...back, metadata: { ...back.metadata, annotations: undefined } }, { ...v1, metadata: { ...v1.metadata, annotations: undefined } });
  assert.deepEqual(hpaV1ToV2(back), asV2);
  const none = hpaV1ToV2({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'b' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
  assert.deepEqual(none.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(hpaV2ToV1(none).spec, { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 80 });
});

it('annotations are read as upstream: Go field names case-insensitively, unreadable ones ignored, all four dropped in v2', () => {
  const v1 = {
    apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'c', annotations: { [BEHAVIOR_ANNOTATION]: '{"scaleDown":{"stabilizationWindowSeconds":60,"policies":null}}', [METRICS_ANNOTATION]: 'not json', [CONDITIONS_ANNOTATION]: '[]' } },
    spec: { scaleTargetRef: ref, maxReplicas: 2 },
  };
  const out = hpaV1ToV2(v1);
  assert.deepEqual(out.spec.behavior, { scaleDown: { stabilizationWindowSeconds: 60 } });
  assert.equal(out.metadata.annotations, undefined);
  assert.deepEqual(out.status, { conditions: [] });
});

it('autoscaling/v1 definition: served over v2 storage, v2 validation and printer, v1 defaults', () => {
  assert.equal(v1def.storageVersion?.definition, v2def);
  const hpa = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'd', namespace: 'ns' }, spec: { scaleTargetRef: ref, maxReplicas: 0 } };
  v1def.applyDefaults(hpa);
  assert.equal((hpa.spec as { minReplicas?: number }).minReplicas, 1);
  assert.deepEqual(v1def.validate(hpa).map((e) => e.field), ['spec.maxReplicas', 'spec.maxReplicas']);
  assert.deepEqual(v1def.printer!.columns.map((c) => c.name), v2def.printer!.columns.map((c) => c.name));
  const cells = v1def.printer!.cells(hpaV2ToV1(structuredClone(v2)), Date.now());
  // Same cells as the v2 printer gives the stored object (current metrics are matched by index, as upstream).
  assert.deepEqual(cells, v2def.printer!.cells(hpaV1ToV2(hpaV2ToV1(structuredClone(v2))), Date.now()));
  assert.equal(cells[2], 'memory: 650m/500Mi, cpu: <unknown>/60% + 4 more...');
});

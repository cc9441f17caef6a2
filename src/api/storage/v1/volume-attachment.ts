/** VolumeAttachment (storage.k8s.io/v1): a request to attach a volume to a node. */
import { defineResource } from '../../define-resource.js';
import type { KubeObject } from '../../object.js';
import { volumeAttachmentPrinter } from '../../printers/storage-printers.js';
import { forbiddenField, required } from '../../../machinery/field-errors.js';

/** storage.k8s.io/v1 VolumeAttachment as the code here reads it (the full shape is the wire contract's). */
export type VolumeAttachment = KubeObject & Record<string, any>;

export const volumeAttachmentDefinition = defineResource<VolumeAttachment>({
  group: 'storage.k8s.io', version: 'v1', kind: 'VolumeAttachment', plural: 'volumeattachments', namespaced: false, subresources: ['status'],
  printer: volumeAttachmentPrinter,
  validate: (va) => [
    ...(va.spec?.attacher ? [] : [required('spec.attacher')]), ...(va.spec?.nodeName ? [] : [required('spec.nodeName')]),
    ...(va.spec?.source?.inlineVolumeSpec?.capacity ? [forbiddenField('spec.source.inlineVolumeSpec.capacity', 'may not be specified in the context of inline volumes')] : []),
  ],
});

// Defaults and conversions the real server applies to built-ins on every write, so the operator sees what a
// cluster would return (a fake without them hides perpetual-diff bugs).
import { randomInt } from 'node:crypto';
import type { ResourceType } from './resource-types.js';

type Obj = Record<string, any>;

export function defaultBuiltin(rt: ResourceType, obj: Obj, old: Obj | undefined): void {
  switch (`${rt.group}/${rt.kind}`) {
    case '/Secret':
      // stringData is write-only: merged into base64 data and never stored (v1 → internal conversion).
      if (obj.stringData && typeof obj.stringData === 'object') {
        obj.data ??= {};
        for (const [k, v] of Object.entries(obj.stringData as Record<string, string>)) obj.data[k] = Buffer.from(String(v)).toString('base64');
      }
      delete obj.stringData;
      obj.type ??= 'Opaque';
      break;
    case '/Namespace':
      obj.spec ??= {};
      obj.spec.finalizers ??= ['kubernetes'];
      obj.status ??= {};
      obj.status.phase ??= 'Active';
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    case '/Service': {
      const spec = (obj.spec ??= {});
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (spec.type !== 'ExternalName') {
        spec.clusterIP ??= old?.spec?.clusterIP ?? `10.96.${randomInt(0, 255)}.${randomInt(1, 255)}`;
        spec.clusterIPs ??= [spec.clusterIP];
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
        spec.internalTrafficPolicy ??= 'Cluster';
      }
      for (const p of (spec.ports ?? []) as Obj[]) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      obj.status ??= { loadBalancer: {} };
      break;
    }
    case 'apps/Deployment': {
      const spec = (obj.spec ??= {});
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      spec.strategy ??= { type: 'RollingUpdate' };
      if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate ??= { maxUnavailable: '25%', maxSurge: '25%' };
      const pod = spec.template?.spec;
      if (pod) {
        pod.restartPolicy ??= 'Always';
        pod.dnsPolicy ??= 'ClusterFirst';
        pod.terminationGracePeriodSeconds ??= 30;
        pod.schedulerName ??= 'default-scheduler';
        pod.securityContext ??= {};
        for (const c of (pod.containers ?? []) as Obj[]) {
          c.terminationMessagePath ??= '/dev/termination-log';
          c.terminationMessagePolicy ??= 'File';
          c.imagePullPolicy ??= typeof c.image === 'string' && (c.image.endsWith(':latest') || !c.image.includes(':')) ? 'Always' : 'IfNotPresent';
          c.resources ??= {};
        }
      }
      break;
    }
  }
}

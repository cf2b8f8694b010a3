// What the real server adds to built-ins on a write, in two steps, because managedFields tell them apart:
// - defaultBuiltin: decoding defaults (SetDefaults_* in k8s.io/api, and v1 conversions), applied before the
//   field manager runs, so a non-apply writer owns them;
// - prepareBuiltin: the registry strategy and REST storage (PrepareForCreate/PrepareForUpdate, ClusterIP
//   allocation), which run after it, so nobody owns what they set.
// Without them the operator would see objects a cluster never returns (and miss perpetual-diff bugs).
import { randomInt } from 'node:crypto';
import type { ResourceType } from '../registry/resource-types.js';

type Obj = Record<string, any>;

export function defaultBuiltin(rt: ResourceType, obj: Obj): void {
  switch (`${rt.group}/${rt.kind}`) {
    case '/Secret':
      // stringData is write-only: merged into base64 data and never stored (v1 → internal conversion).
      if (obj.stringData && typeof obj.stringData === 'object') {
        obj.data ??= {};
        for (const [k, v] of Object.entries(obj.stringData as Record<string, string>))
          obj.data[k] = Buffer.from(String(v)).toString('base64');
      }
      delete obj.stringData;
      obj.type ??= 'Opaque';
      break;
    case '/Namespace':
      // SetDefaults_Namespace; status.phase is defaulted too, but status is a reset field nobody owns.
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      break;
    case '/Service': {
      const spec = (obj.spec ??= {});
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
      for (const p of (spec.ports ?? []) as Obj[]) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      break;
    }
    case 'apps/Deployment': {
      const spec = (obj.spec ??= {});
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      spec.strategy ??= { type: 'RollingUpdate' };
      if (spec.strategy.type === 'RollingUpdate')
        spec.strategy.rollingUpdate ??= { maxUnavailable: '25%', maxSurge: '25%' };
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
          c.imagePullPolicy ??=
            typeof c.image === 'string' && (c.image.endsWith(':latest') || !c.image.includes(':'))
              ? 'Always'
              : 'IfNotPresent';
          c.resources ??= {};
        }
      }
      break;
    }
  }
}

/** The strategy step of a main-resource write (not /status), after managedFields were recorded. */
export function prepareBuiltin(rt: ResourceType, obj: Obj, old: Obj | undefined): void {
  switch (`${rt.group}/${rt.kind}`) {
    case '/Namespace': {
      const spec = (obj.spec ??= {});
      if (old) {
        // PrepareForUpdate: finalizers only change through /finalize, status only through /status.
        if (old.spec?.finalizers === undefined) delete spec.finalizers;
        else spec.finalizers = old.spec.finalizers;
        obj.status = old.status;
      } else {
        const finalizers: string[] = spec.finalizers ?? [];
        spec.finalizers = finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'];
        obj.status = { phase: 'Active' };
      }
      break;
    }
    case '/Service': {
      const spec = (obj.spec ??= {});
      if (spec.type !== 'ExternalName') {
        // ClusterIP allocation (REST storage), kept across updates that omit it.
        spec.clusterIP ??= old?.spec?.clusterIP ?? `10.96.${randomInt(0, 255)}.${randomInt(1, 255)}`;
        spec.clusterIPs ??= old?.spec?.clusterIPs ?? [spec.clusterIP];
        spec.ipFamilies ??= old?.spec?.ipFamilies ?? ['IPv4'];
        spec.ipFamilyPolicy ??= old?.spec?.ipFamilyPolicy ?? 'SingleStack';
      }
      // Status is the /status subresource's: reset on create (PrepareForCreate), kept on update.
      if (!old) obj.status = { loadBalancer: {} };
      else if (old.status === undefined) delete obj.status;
      else obj.status = old.status;
      break;
    }
  }
}

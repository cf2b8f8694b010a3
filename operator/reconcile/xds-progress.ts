// `xds` delivery: how far the connected Envoys are in serving the latest config, as the same RolloutView the
// rollout mode judges Programmed from (pure), so programmedOutcomes applies unchanged: an object is Programmed
// once every connected Envoy has ACKed a version that serves it as written. A NACK of the latest config is
// `failed` with reason InvalidConfig and Envoy's own message; what Envoy still serves (the last version it
// accepted) keeps the objects it serves as written Programmed. No connected Envoy means nothing serves it yet.
import type { ConnectedEnvoy } from '../xds/ads-server.js';
import type { RolloutView, ServingConfig } from './rollout-progress.js';

export const XDS_DELIVERY = 'the xDS stream';

export function xdsProgress(
  latest: string,
  served: string | undefined,
  envoys: readonly ConnectedEnvoy[],
): RolloutView {
  const base = { deployment: XDS_DELIVERY, hash: latest, hashLabel: latest, desired: envoys.length, old: 0 };
  const byHash = new Map<string | undefined, number>();
  for (const e of envoys) byHash.set(e.serving, (byHash.get(e.serving) ?? 0) + 1);
  const serving: ServingConfig[] = [...byHash].map(([hash, pods]) => ({ hash, pods }));
  const onLatest = byHash.get(latest) ?? 0;
  const view = { ...base, updated: onLatest, available: envoys.length, serving, servingKnown: true };

  if (envoys.length === 0)
    return {
      ...view,
      phase: 'progressing',
      message: `configuration ${latest} is published; no Envoy is connected to the xDS server yet`,
    };
  // A NACK counts against the latest config only when the latest is what the server sent (it may lag a moment).
  const refusing = served === latest ? envoys.filter((e) => e.nacks.length > 0) : [];
  if (refusing.length > 0) {
    const e = refusing[0];
    const n = e.nacks[0];
    const keeps = e.serving ? `it keeps serving configuration ${e.serving}` : 'it serves nothing it accepted yet';
    const others = refusing.length > 1 ? ` (and ${refusing.length - 1} more Envoy(s))` : '';
    const message = `Envoy ${e.node || '(unnamed)'}${others} refused configuration ${latest}: ${n.message}; ${keeps}`;
    return { ...view, phase: 'failed', message, failure: { reason: 'InvalidConfig', message } };
  }
  if (onLatest === envoys.length)
    return {
      ...view,
      phase: 'complete',
      message: `every connected Envoy (${envoys.length}) serves configuration ${latest}`,
    };
  const where = served === latest ? 'sent' : `being loaded (the xDS server serves ${served ?? 'nothing yet'})`;
  return {
    ...view,
    phase: 'progressing',
    message: `configuration ${latest} is ${where}: ${onLatest} of ${envoys.length} connected Envoys serve it`,
  };
}

// One Envoy's state-of-the-world ADS stream, as a pure state machine: what to send for a request and for a new
// snapshot, and what Envoy has ACKed or NACKed. The gRPC I/O (ads-server.ts) feeds it requests and snapshots
// and writes what it returns.
//
// The protocol (Envoy's "xDS REST and gRPC protocol", SotW): each response carries a version and a nonce; Envoy's
// next request for that type echoes the nonce, with the version it now runs (ACK) or, with error_detail, the
// version it still runs (NACK). A request whose nonce is not the latest sent for its type is stale and ignored.
// After a NACK nothing is re-sent until the snapshot or the names asked for change, so a config Envoy refuses is
// not pushed in a loop, and Envoy keeps serving the last version it accepted.
import { PUSH_ORDER, WILDCARD_TYPES } from './resource-types.js';
import type { XdsResource, XdsSnapshot } from './published-resources.js';

export interface AdsRequest {
  typeUrl: string;
  versionInfo: string;
  responseNonce: string;
  resourceNames: string[];
  errorDetail?: { message: string };
  node?: { id?: string; cluster?: string };
}

export interface AdsResponse {
  typeUrl: string;
  versionInfo: string;
  nonce: string;
  resources: XdsResource[];
}

export interface Nack {
  typeUrl: string;
  /** The version Envoy refused. */
  version: string;
  message: string;
}

interface TypeState {
  /** Names asked for (empty for wildcard types: everything). */
  names: string[];
  sentVersion?: string;
  sentNames?: string;
  sentNonce?: string;
  acked?: string;
  nack?: Nack;
}

export class AdsStream {
  node: { id: string; cluster: string } = { id: '', cluster: '' };
  private readonly types = new Map<string, TypeState>();
  private nonces = 0;

  constructor(private snapshot: XdsSnapshot | undefined) {}

  /** Envoy's request → the responses to send now (none, or one for its type). */
  onRequest(req: AdsRequest): AdsResponse[] {
    if (req.node?.id) this.node = { id: req.node.id, cluster: req.node.cluster ?? '' };
    let st = this.types.get(req.typeUrl);
    if (!st) this.types.set(req.typeUrl, (st = { names: [] }));
    if (req.responseNonce !== '' && req.responseNonce !== st.sentNonce) return []; // stale
    if (req.responseNonce !== '') {
      if (req.errorDetail)
        st.nack = { typeUrl: req.typeUrl, version: st.sentVersion ?? '', message: req.errorDetail.message };
      else {
        st.acked = req.versionInfo;
        st.nack = undefined;
      }
    }
    st.names = WILDCARD_TYPES.has(req.typeUrl) ? [] : [...req.resourceNames].sort();
    const out = this.respond(req.typeUrl, st, false);
    return out ? [out] : [];
  }

  /** A new snapshot → the responses for every type this stream has asked for, in push order. */
  onSnapshot(snapshot: XdsSnapshot): AdsResponse[] {
    this.snapshot = snapshot;
    const out: AdsResponse[] = [];
    for (const typeUrl of PUSH_ORDER) {
      const st = this.types.get(typeUrl);
      const r = st && this.respond(typeUrl, st, true);
      if (r) out.push(r);
    }
    return out;
  }

  private respond(typeUrl: string, st: TypeState, fromSnapshot: boolean): AdsResponse | undefined {
    const set = this.snapshot?.types[typeUrl as keyof XdsSnapshot['types']];
    if (!set) return undefined; // nothing to serve yet (or a type we do not serve): Envoy waits
    const names = st.names.join('\0');
    const first = st.sentVersion === undefined;
    if (!first && st.sentVersion === set.version && st.sentNames === names) return undefined;
    // A NACKed version is not pushed again by a snapshot of the same version; a request with new names is answered.
    if (fromSnapshot && st.nack && st.nack.version === set.version && st.sentNames === names) return undefined;
    const resources = WILDCARD_TYPES.has(typeUrl)
      ? [...set.resources.values()]
      : st.names.map((n) => set.resources.get(n)).filter((r): r is XdsResource => !!r);
    st.sentVersion = set.version;
    st.sentNames = names;
    st.sentNonce = String(++this.nonces);
    return { typeUrl, versionInfo: set.version, nonce: st.sentNonce, resources };
  }

  /** Whether this Envoy has ACKed every type of `snapshot` it subscribes to at that snapshot's versions. */
  serves(snapshot: XdsSnapshot): boolean {
    let any = false;
    for (const [typeUrl, set] of Object.entries(snapshot.types)) {
      const st = this.types.get(typeUrl);
      // A type the snapshot has no resources of need not be asked for (e.g. RDS before LDS names a route).
      if (!st) {
        if (set.resources.size > 0) return false;
        continue;
      }
      any = true;
      if (st.acked !== set.version) return false;
    }
    return any;
  }

  /** The NACKs outstanding (Envoy refused the latest version of that type sent). */
  nacks(): Nack[] {
    return [...this.types.values()].flatMap((st) => (st.nack ? [st.nack] : []));
  }
}

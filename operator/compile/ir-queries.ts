// Questions other stages ask of an IR without knowing its layout.
import type { GatewayIR, IRDownstreamTls, IRFilterChain, IRRoute } from './ir.js';

/** Every route, in match order (the cleartext chain carries them all). */
export function allRoutes(ir: GatewayIR): IRRoute[] {
  return ir.listeners.find((l) => l.name === 'http')?.filterChains[0]?.routes ?? [];
}

/** The TLS-terminating chains: one per served TLSContext, named `<namespace>/<name>`. */
export function tlsChains(ir: GatewayIR): Array<IRFilterChain & { tls: IRDownstreamTls }> {
  return (ir.listeners.find((l) => l.name === 'https')?.filterChains ?? []).filter(
    (c): c is IRFilterChain & { tls: IRDownstreamTls } => c.tls !== undefined,
  );
}

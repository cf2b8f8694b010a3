// One Mapping on its own: schema check (ajv, from the CRD), service string, backend resolution. The result is a
// route candidate, a rejection, or both:
//  - valid: the route forwards to a cluster or, when the backend cannot be resolved, answers 503;
//  - invalid but with a usable prefix and host: rejected (Accepted=False, Invalid, the message starts with the
//    field path) and still a candidate that answers 503. Whatever else is wrong, the Mapping keeps claiming its
//    prefix and host, so its requests never fall through to a shorter prefix and reach another service (a
//    typo in `service:` must not send /user/admin/ traffic to the /user/ backend);
//  - invalid prefix or host: rejected and claims nothing, since there is no match to hold.
import { admitMapping, type FieldError } from '../api/validators.js';
import { Reasons, condition, refsNotResolved, refsResolved } from '../api/conditions.js';
import type { Condition, Mapping } from '../api/types.js';
import { resolveBackend, type BackendContext, type ServiceIndex } from './backend.js';
import { externalHostHint } from './external-names.js';
import type { IRCluster, IRDirectResponse, IRForward, IRRoutePolicy } from './ir.js';
import { creationTimeOf } from './object-age.js';
import { refNotPermittedMessage } from './reference-grants.js';
import { pathFormProblem } from './path-form.js';
import { planRewrite } from './rewrite.js';
import { matchKey, type CandidateMatch } from './route-match.js';
import { isPrefixRegex, planMatch, planRouting } from './routing-fields.js';
import { withSettings } from './cluster-settings.js';
import { parseServiceRef } from '../api/service-ref.js';
import { namespaceOf } from '../api/namespaces.js';
import { nameOf } from './source-objects.js';
import { unsupportedFieldsOf } from './unsupported-fields.js';

export interface MappingIdent {
  namespace: string;
  name: string;
  uid?: string;
  generation?: number;
  /** creationTimestamp (ms), Infinity when absent: host ownership and canary groups go by age. */
  createdAtMs: number;
}

export interface MappingCandidate extends MappingIdent {
  /** spec.prefix as written (for messages; the match holds what routes). */
  prefix: string;
  host?: string;
  match: CandidateMatch;
  /** Equal for candidates that match the same requests (route-match.ts matchKey): canary groups. */
  key: string;
  action: IRForward | IRDirectResponse;
  policy: IRRoutePolicy;
  cluster?: IRCluster;
  resolvedRefs: Condition;
  /** Set when the Mapping is invalid and this candidate only holds its match (a 503 placeholder). */
  invalid?: string;
  /** spec.weight: percent of its group; undefined shares what the weighted members leave. */
  weight?: number;
  /** spec.shadow: mirrors its group's traffic instead of taking a share. */
  shadow?: boolean;
  /** The Accepted=False reason that goes with `invalid`; Invalid when absent. */
  invalidReason?: string;
}

export interface MappingOutcome {
  ident: MappingIdent;
  /** spec.host when it passes the schema: the host this Mapping names, valid or not (host ownership counts it). */
  namedHost?: string;
  /** The route this Mapping claims (see above); absent when its prefix or host is unusable. */
  candidate?: MappingCandidate;
  /** Why the Mapping is invalid (Accepted=False, Invalid); absent when it is valid. */
  invalid?: string;
  /** The Accepted=False reason that goes with `invalid`; Invalid when absent. */
  invalidReason?: string;
}

export const UNAVAILABLE_BODY = 'portico: no backend for this route\n';

function generationOf(obj: unknown): number | undefined {
  const g = (obj as { metadata?: { generation?: unknown } })?.metadata?.generation;
  return typeof g === 'number' && Number.isInteger(g) && g >= 0 ? g : undefined;
}

export const UNAVAILABLE: IRDirectResponse = { kind: 'direct', status: 503, body: UNAVAILABLE_BODY };

/** Is there an error on `field` itself (or on the whole object, field "")? */
const concerns = (errors: readonly FieldError[], field: string): boolean =>
  errors.some((e) => e.field === field || e.field === '');

/** The prefix and host this Mapping can hold even if other fields are wrong, or undefined if either is unusable. */
function usableMatch(
  raw: Mapping,
  errors: readonly FieldError[],
): { prefix: string; host?: string; match: CandidateMatch; key: string } | undefined {
  const spec = (raw as { spec?: unknown }).spec as { prefix?: unknown; host?: unknown } | undefined;
  if (
    typeof spec !== 'object' ||
    spec === null ||
    concerns(errors, 'spec.prefix') ||
    concerns(errors, 'spec.host') ||
    concerns(errors, 'spec')
  )
    return undefined;
  if (typeof spec.prefix !== 'string') return undefined;
  const fields = spec as Record<string, unknown>;
  if (!isPrefixRegex(fields) && pathFormProblem(spec.prefix, 'prefix')) return undefined;
  if (spec.host !== undefined && typeof spec.host !== 'string') return undefined;
  // A shadow or a weighted member holding its match would take a share it never asked for: it claims nothing.
  if (fields.shadow !== undefined || fields.weight !== undefined) return undefined;
  const match = planMatch(fields);
  if (!match.ok) return undefined;
  return {
    prefix: spec.prefix,
    ...(spec.host ? { host: spec.host } : {}),
    match: match.value,
    key: matchKey(spec.host || undefined, match.value),
  };
}

function namedHostOf(raw: Mapping, errors: readonly FieldError[]): string | undefined {
  const host = (raw as { spec?: { host?: unknown } }).spec?.host;
  return typeof host === 'string' && host !== '' && !concerns(errors, 'spec.host') && !concerns(errors, 'spec')
    ? host
    : undefined;
}

/** The first problem of a Mapping that passed the schema, as a status message, or undefined. */
function specProblem(object: Mapping): string | undefined {
  const prefixProblem = isPrefixRegex(object.spec as unknown as Record<string, unknown>)
    ? undefined
    : pathFormProblem(object.spec.prefix, 'prefix');
  if (prefixProblem) return `spec.prefix: Invalid value: ${prefixProblem}`;
  const rewriteProblem = object.spec.rewrite ? pathFormProblem(object.spec.rewrite, 'rewrite') : undefined;
  if (rewriteProblem) return `spec.rewrite: Invalid value: ${rewriteProblem}`;
  return undefined;
}

export function compileMapping(
  raw: Mapping,
  services: ServiceIndex,
  ctx: Omit<BackendContext, 'mappingNamespace'>,
): MappingOutcome {
  const namespace = namespaceOf(raw);
  const uid = typeof raw.metadata?.uid === 'string' && raw.metadata.uid !== '' ? raw.metadata.uid : undefined;
  const ident: MappingIdent = {
    namespace,
    name: nameOf(raw),
    uid,
    generation: generationOf(raw),
    createdAtMs: creationTimeOf(raw),
  };
  const gen = ident.generation;

  const { errors, object } = admitMapping(raw);
  const namedHost = namedHostOf(raw, errors);
  const rejected = (message: string, reason: string = Reasons.Invalid, holdsMatch = true): MappingOutcome => {
    const because = reason === Reasons.Invalid ? {} : { invalidReason: reason };
    const match = holdsMatch ? usableMatch(raw, errors) : undefined;
    if (!match) return { ident, namedHost, invalid: message, ...because };
    const resolvedRefs = condition('ResolvedRefs', 'Unknown', reason, 'Not checked: the object is invalid', gen);
    return {
      ident,
      namedHost,
      invalid: message,
      ...because,
      candidate: { ...ident, ...match, action: UNAVAILABLE, policy: {}, resolvedRefs, invalid: message, ...because },
    };
  };

  if (errors.length > 0) return rejected(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  const problem = specProblem(object);
  if (problem) return rejected(problem);
  const unsupported = unsupportedFieldsOf(object.spec);
  if (unsupported) return rejected(unsupported.message, Reasons.UnsupportedField, unsupported.holdsMatch);
  const { prefix, host } = object.spec;
  const routing = planRouting(object.spec as unknown as Record<string, unknown>);
  if (!routing.ok) return rejected(routing.message);
  const plan = routing.value;
  const parsed = parseServiceRef(object.spec.service, namespace, ctx.clusterDomain);
  if (!parsed.ok) {
    const hint = parsed.externalHost ? ` ${externalHostHint(parsed.externalHost, ctx.policy)}` : '';
    return rejected(`spec.service: ${parsed.message}${hint}`);
  }

  const base = {
    ...ident,
    prefix,
    ...(host ? { host } : {}),
    match: plan.match,
    key: matchKey(host || undefined, plan.match),
    policy: plan.policy,
    ...(plan.weight !== undefined ? { weight: plan.weight } : {}),
    ...(plan.shadow ? { shadow: true } : {}),
  };
  const target = parsed.value;
  const hint = target.dnsLike ? ` ${externalHostHint(target.dnsLike, ctx.policy)}` : '';
  // The hint only where `example.com` was read as Service example in namespace com and that found nothing.
  const unavailable = (reason: string, message: string, hinted: boolean): MappingOutcome => ({
    ident,
    namedHost,
    candidate: {
      ...base,
      action: UNAVAILABLE,
      resolvedRefs: refsNotResolved(reason, `${message}; the route answers 503${hinted ? hint : ''}`, gen),
    },
  });
  // The grant is checked before the Service is looked up, so a denial never reveals whether it exists.
  if (!ctx.grants.permits('Mapping', namespace, 'Service', target.namespace, target.name))
    return unavailable(
      Reasons.RefNotPermitted,
      refNotPermittedMessage('spec.service', 'Mapping', namespace, 'Service', target.namespace, target.name),
      true,
    );
  const backend = resolveBackend(target, services, { ...ctx, mappingNamespace: namespace });
  if (!backend.ok)
    return unavailable(backend.reason, `spec.service: ${backend.message}`, backend.reason === Reasons.BackendNotFound);
  const cluster = withSettings(backend.cluster, plan.cluster);
  // regexRewrite wins over rewrite, as in Emissary; a prefixRegex has no prefix to replace, so only regexRewrite applies.
  const rewrite = plan.regexRewrite
    ? { kind: 'regex' as const, ...plan.regexRewrite }
    : plan.match.path.kind === 'regex'
      ? { kind: 'none' as const }
      : planRewrite(prefix, object.spec.rewrite);
  return {
    ident,
    namedHost,
    candidate: {
      ...base,
      action: {
        kind: 'forward',
        cluster: cluster.name,
        rewrite,
        ...(plan.hostRewrite ? { hostRewrite: plan.hostRewrite } : {}),
      },
      cluster,
      resolvedRefs: refsResolved(gen, `Service ${target.namespace}/${target.name} port ${backend.cluster.port}`),
    },
  };
}

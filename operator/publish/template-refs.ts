// Reading a pod template (a Deployment's or a ReplicaSet's) back as published names: which generation it points
// at, whether that is exactly a given publication, and every published name it references (for garbage collection).
import { CERTS_VOLUME, CONFIG_VOLUME, HASH_ANNOTATION, certsSecretName, configMapName } from './names.js';
import { publicationNames, type Publication } from './publication.js';

interface ProjectedSource {
  configMap?: { name?: string };
  secret?: { name?: string };
}
/** A pod template volume, as far as the published names go. */
export interface Volume {
  name?: string;
  configMap?: { name?: string };
  secret?: { secretName?: string };
  projected?: { sources?: ProjectedSource[] | null };
}
export interface PodTemplateHolder {
  spec?: {
    template?: {
      metadata?: { annotations?: Record<string, string> };
      spec?: { volumes?: Volume[] };
    };
  };
}

/** The ConfigMap names of the config volume, in order (head first), as an Envoy pod would mount them. */
export function configVolumeNames(obj: PodTemplateHolder | undefined): string[] {
  const v = obj?.spec?.template?.spec?.volumes?.find((x) => x.name === CONFIG_VOLUME);
  return (v?.projected?.sources ?? []).map((s) => s.configMap?.name).filter((n): n is string => !!n);
}

function certsVolumeNames(obj: PodTemplateHolder | undefined): string[] {
  const v = obj?.spec?.template?.spec?.volumes?.find((x) => x.name === CERTS_VOLUME);
  return (v?.projected?.sources ?? []).map((s) => s.secret?.name).filter((n): n is string => !!n);
}

const ofGeneration = (names: string[], head: string): boolean =>
  names.length > 0 && names[0] === head && names.every((n, i) => n === (i === 0 ? head : `${head}-${i}`));

/** The hash a Deployment or ReplicaSet template points at, if its annotation and both volumes agree. */
export function templateHash(obj: PodTemplateHolder | undefined): string | undefined {
  const hash = obj?.spec?.template?.metadata?.annotations?.[HASH_ANNOTATION];
  if (!hash) return undefined;
  return ofGeneration(configVolumeNames(obj), configMapName(hash)) &&
    ofGeneration(certsVolumeNames(obj), certsSecretName(hash))
    ? hash
    : undefined;
}

/** The template points at exactly this publication (hash and every part). */
export function templateMatches(obj: PodTemplateHolder | undefined, p: Publication): boolean {
  const names = publicationNames(p);
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return (
    templateHash(obj) === p.hash &&
    same(configVolumeNames(obj), names.configMaps) &&
    same(certsVolumeNames(obj), names.secrets)
  );
}

/**
 * Every published name a template references (annotation, volume sources, and the single-object volumes of
 * earlier Portico versions), whether or not they agree.
 */
export function referencedNames(obj: PodTemplateHolder | undefined): string[] {
  const template = obj?.spec?.template;
  const out: string[] = [];
  const hash = template?.metadata?.annotations?.[HASH_ANNOTATION];
  if (hash) out.push(configMapName(hash), certsSecretName(hash));
  for (const v of template?.spec?.volumes ?? []) {
    if (v.configMap?.name) out.push(v.configMap.name);
    if (v.secret?.secretName) out.push(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap?.name) out.push(s.configMap.name);
      if (s.secret?.name) out.push(s.secret.name);
    }
  }
  return out;
}

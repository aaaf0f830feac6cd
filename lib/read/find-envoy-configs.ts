import { parseAllDocuments } from 'yaml';
import { isEnvoyBootstrap } from './envoy-bootstrap';
import { isObject, Json } from './fields';

/**
 * Finding the Envoy bootstraps to validate in a YAML or JSON text (`hitless envoy-validate`): a
 * bootstrap file itself, or the bootstraps held in the ConfigMaps of a rendered manifest.
 */

/** A bootstrap found in a text, and where. */
export interface FoundEnvoyConfig {
  /** Empty for a plain bootstrap file; `ConfigMap envoy-config, key envoy.yaml` for one held in a ConfigMap. */
  readonly where: string;
  readonly config: unknown;
}

/** The text isn't YAML/JSON, or holds no Envoy bootstrap. */
export class EnvoyConfigParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvoyConfigParseError';
  }
}

function isKubernetesObject(value: unknown): value is Json {
  return isObject(value) && typeof value.kind === 'string' && typeof value.apiVersion === 'string';
}

/** Aliases one document may expand: enough for any hand-written config, far too few for a billion-node bomb. */
const MAX_ALIAS_COUNT = 1000;

/**
 * The documents of a text as Envoy reads a config: every document, `<<` merge keys honoured and a
 * repeated key refused. Not the manifest reader (lib/read/load.ts), which reads as kubectl does.
 */
function parseEnvoyYaml(text: string, what: string): unknown[] {
  // JSON is parsed as JSON: a YAML parser takes tens of seconds and gigabytes on a large JSON file.
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      return value === null ? [] : [value];
    } catch {
      // YAML flow style, or broken JSON: the YAML parser says where.
    }
  }
  // merge: Envoy's YAML loader (yaml-cpp) honours `<<` merge keys, so hand-written configs use them.
  const documents = parseAllDocuments(text, { merge: true, uniqueKeys: true });
  const docs = Array.isArray(documents) ? documents : [documents];
  const values: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      throw new EnvoyConfigParseError(`${what} is not valid YAML or JSON: ${doc.errors[0].message.split('\n')[0].replace(/:$/, '')}`);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      throw new EnvoyConfigParseError(`${what} cannot be read: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
    }
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

/**
 * The bootstraps in a ConfigMap's data. A key named like a config file (.yaml/.yml/.json) is
 * validated whatever mapping it holds, so a bootstrap with a misspelt or missing top-level field
 * is reported rather than skipped; any other key counts only when it holds what `hitless check`
 * takes for a bootstrap ({@link isEnvoyBootstrap}).
 */
function configsInConfigMap(configMap: Json): FoundEnvoyConfig[] {
  const metadata = isObject(configMap.metadata) ? configMap.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '(unnamed)';
  const data = isObject(configMap.data) ? configMap.data : {};
  const found: FoundEnvoyConfig[] = [];
  for (const [key, text] of Object.entries(data)) {
    if (typeof text !== 'string') continue;
    const named = /\.(ya?ml|json)$/i.test(key);
    let values: unknown[];
    try {
      values = parseEnvoyYaml(text, `ConfigMap ${name}, key ${key}`);
    } catch (error) {
      // A key not named like a config file may hold anything (a script, a certificate).
      if (named) throw error;
      continue;
    }
    for (const value of values) {
      if (named ? isObject(value) : isEnvoyBootstrap(value)) found.push({ where: `ConfigMap ${name}, key ${key}`, config: value });
    }
  }
  return found;
}

/**
 * Finds the Envoy bootstraps in a YAML or JSON text: the text itself when it is a bootstrap,
 * or the bootstraps held in the data of Kubernetes ConfigMaps in it (under a key that ends in
 * .yaml/.yml/.json, or whose value is a bootstrap). Other Kubernetes objects are skipped,
 * so a whole rendered manifest can be given.
 *
 * @param source names the text in error messages
 * @throws EnvoyConfigParseError when the text doesn't parse or holds no bootstrap
 */
export function findEnvoyConfigs(text: string, source = 'input'): FoundEnvoyConfig[] {
  const found: FoundEnvoyConfig[] = [];
  const visit = (value: unknown): void => {
    if (isKubernetesObject(value)) {
      if (value.kind === 'ConfigMap') found.push(...configsInConfigMap(value));
      else if (value.kind === 'List' && Array.isArray(value.items)) value.items.forEach(visit);
    } else {
      // Anything that isn't a Kubernetes object is taken as a bootstrap, typos at the top included.
      found.push({ where: '', config: value });
    }
  };
  parseEnvoyYaml(text, source).forEach(visit);
  if (found.length === 0) {
    throw new EnvoyConfigParseError(`${source} holds no Envoy bootstrap (nor a ConfigMap holding one)`);
  }
  return found;
}

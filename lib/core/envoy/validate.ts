import { envoyProtos } from './proto-loader';
import { EnvoyProblem } from './envoy-problem';
import { describe } from './proto-json-values';
import { lookupMessage, Walker } from './proto-json-walker';

/** Validating a config against Envoy's v3 API, strictly as Envoy parses it. */

/** The message type of an Envoy bootstrap file. */
export const BOOTSTRAP_TYPE = 'envoy.config.bootstrap.v3.Bootstrap';

/**
 * Checks a JSON value (as parsed from Envoy's JSON or YAML) against an Envoy API message type,
 * strictly as Envoy parses it: the proto3 JSON mapping with unknown fields rejected, every
 * `@type` resolved and checked as its type, plus the cheap protoc-gen-validate rules
 * (`(validate.rules)`) Envoy enforces after parsing.
 *
 * @param typeName full message name, e.g. `envoy.config.cluster.v3.Cluster`
 * @throws when `typeName` is not a message type of the loaded API
 */
export function validateEnvoyMessage(typeName: string, value: unknown): EnvoyProblem[] {
  const root = envoyProtos().root;
  const type = lookupMessage(root, typeName);
  if (!type) throw new Error(`'${typeName}' is not a message type of Envoy's v3 API`);
  const walker = new Walker(root);
  if (value === null || value === undefined) {
    walker.error('', `expected an object (${type.fullName.slice(1)}), got ${describe(value)}`);
  } else {
    walker.message(type, value, '');
  }
  return walker.problems;
}

/** {@link validateEnvoyMessage} for a whole bootstrap (`envoy.config.bootstrap.v3.Bootstrap`). */
export function validateBootstrap(value: unknown): EnvoyProblem[] {
  return validateEnvoyMessage(BOOTSTRAP_TYPE, value);
}

import * as fs from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
// A type-only import (erased from the JavaScript, so nothing is read at module load) that puts the
// descriptor in the program, which makes tsc copy it into dist/ beside this module.
import type * as _descriptorFile from './envoy-api.json';

/** A proto file that could not be loaded, and why. */
export interface SkippedProtoFile {
  /** Path relative to its include directory, e.g. `envoy/config/trace/v3/opencensus.proto`. */
  readonly file: string;
  readonly reason: string;
}

/** Envoy's v3 API, loaded once per process. */
export interface EnvoyProtos {
  /** Every loaded message and enum; a field's type resolves on `field.resolve()`. Field names keep their proto (snake_case) spelling. */
  readonly root: protobuf.Root;
  /** Where the protos came from, e.g. `@grpc/grpc-js-xds@1.14.1`. */
  readonly source: string;
  /** The proto files the descriptor was generated from (transitive imports come along without being listed). */
  readonly loadedFiles: readonly string[];
  /** Files left out because an import is missing from the shipped protos or they failed to parse. */
  readonly skippedFiles: readonly SkippedProtoFile[];
  /** Wall time the load took. */
  readonly loadMillis: number;
}

/**
 * Envoy's v3 API as generated at build time (scripts/envoy-api.ts): protobufjs's JSON form of
 * every loaded file, plus the custom options (`(validate.rules)`, Envoy's annotations) that
 * protobufjs's JSON form leaves out.
 */
export interface EnvoyApiDescriptor {
  readonly source: string;
  readonly loadedFiles: readonly string[];
  readonly skippedFiles: readonly SkippedProtoFile[];
  /** `Root.toJSON()`. */
  readonly root: protobuf.INamespace;
  /** Parsed custom options by the full name of the type, field or oneof that carries them. */
  readonly parsedOptions: Readonly<Record<string, unknown[]>>;
  /** The options of enum values (`deprecated`, Envoy's annotations) by enum, which `Enum.fromJSON` drops. */
  readonly valuesOptions: Readonly<Record<string, Record<string, Record<string, unknown>>>>;
}

/** Every type, field, oneof, enum and service below `namespace`, by full name (without the leading dot). */
function reflectionObjects(namespace: protobuf.NamespaceBase, out: Map<string, protobuf.ReflectionObject>): Map<string, protobuf.ReflectionObject> {
  for (const nested of namespace.nestedArray) {
    out.set(nested.fullName.slice(1), nested);
    if (nested instanceof protobuf.Type) {
      for (const field of nested.fieldsArray) out.set(field.fullName.slice(1), field);
      for (const oneof of nested.oneofsArray) out.set(oneof.fullName.slice(1), oneof);
    }
    if (nested instanceof protobuf.Field) continue;
    if (nested instanceof protobuf.Namespace) reflectionObjects(nested, out);
  }
  return out;
}

/** The descriptor of a resolved Root (what scripts/envoy-api.ts writes). */
export function describeEnvoyApi(
  root: protobuf.Root,
  about: Pick<EnvoyApiDescriptor, 'source' | 'loadedFiles' | 'skippedFiles'>,
): EnvoyApiDescriptor {
  const parsedOptions: Record<string, unknown[]> = {};
  const valuesOptions: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [name, object] of reflectionObjects(root, new Map())) {
    const parsed = object.parsedOptions as unknown[] | undefined;
    if (parsed && parsed.length > 0) parsedOptions[name] = parsed;
    if (object instanceof protobuf.Enum && object.valuesOptions && Object.keys(object.valuesOptions).length > 0) {
      valuesOptions[name] = object.valuesOptions as Record<string, Record<string, unknown>>;
    }
  }
  return {
    source: about.source,
    loadedFiles: [...about.loadedFiles],
    skippedFiles: [...about.skippedFiles],
    root: root.toJSON({ keepComments: false }),
    parsedOptions,
    valuesOptions,
  };
}

/**
 * A Root from a descriptor, custom options restored. Its fields are resolved on first use
 * (`field.resolve()`), not up front: resolving all of Envoy's API takes longer than reading it,
 * and one bootstrap touches a small part of it.
 */
export function rootFromDescriptor(descriptor: EnvoyApiDescriptor): protobuf.Root {
  const root = new protobuf.Root();
  if (descriptor.root.options) root.setOptions(descriptor.root.options);
  root.addJSON(descriptor.root.nested ?? {});
  const objects = reflectionObjects(root, new Map());
  for (const [name, parsed] of Object.entries(descriptor.parsedOptions)) {
    const object = objects.get(name);
    if (!object) throw new Error(`the Envoy API descriptor has options for '${name}', which it does not define`);
    // protobufjs types parsedOptions as a map; at run time it is the array of parsed options.
    (object as unknown as { parsedOptions: unknown[] }).parsedOptions = parsed;
  }
  for (const [name, options] of Object.entries(descriptor.valuesOptions)) {
    const object = objects.get(name);
    if (!(object instanceof protobuf.Enum)) throw new Error(`the Envoy API descriptor has enum value options for '${name}', which is not one of its enums`);
    object.valuesOptions = options;
  }
  return root;
}

/**
 * Where the generated descriptor sits: beside this module, in lib/ (tests) as in dist/ (installed).
 * Generated by `npx projen envoy-api`; `npx projen docgen:check` fails when it is stale.
 */
export const ENVOY_API_DESCRIPTOR = path.join(__dirname, 'envoy-api.json');

/** Loads the API from the generated descriptor (no cache). Prefer {@link envoyProtos}. */
export function loadEnvoyProtos(file: string = ENVOY_API_DESCRIPTOR): EnvoyProtos {
  const started = Date.now();
  const descriptor = JSON.parse(fs.readFileSync(file, 'utf8')) as EnvoyApiDescriptor;
  const root = rootFromDescriptor(descriptor);
  return {
    root,
    source: descriptor.source,
    loadedFiles: descriptor.loadedFiles,
    skippedFiles: descriptor.skippedFiles,
    loadMillis: Date.now() - started,
  };
}

let cached: EnvoyProtos | undefined;

/** Envoy's v3 API, loaded on first use and shared by every later validation. */
export function envoyProtos(): EnvoyProtos {
  cached ??= loadEnvoyProtos();
  return cached;
}

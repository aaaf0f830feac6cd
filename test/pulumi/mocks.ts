/**
 * Pulumi mocks for the Pulumi face's tests: installs `pulumi.runtime.setMocks` and records every
 * resource registration (type token, logical name, inputs, provider reference, parent URN).
 *
 * Pulumi keeps its runtime state in module-level variables, so the mocks must be installed
 * before the code under test is loaded: call {@link installMocks} first, then `require` the
 * modules under test (see {@link loadPulumiFace}).
 */
import type * as pulumiType from '@pulumi/pulumi';

/** One resource registration as the engine would have received it. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Inputs after Pulumi serialized them: plain JSON, `undefined` fields dropped. */
  readonly inputs: Record<string, any>;
  /** `urn::id` of the explicit provider, when one applies. */
  readonly provider?: string;
  readonly parent?: string;
  readonly urn: string;
}

/** The recorder the mocks write into. */
export interface Recorder {
  readonly resources: RecordedResource[];
  /** Waits until every pending registration (and every Output feeding one) has settled. */
  settle(): Promise<void>;
  /** Registrations of one type token. */
  ofType(type: string): RecordedResource[];
  /** The one registration with this type token and logical name. */
  get(type: string, name: string): RecordedResource;
  clear(): void;
}

/** Installs the mocks; the returned recorder sees every registration made afterwards. */
export function installMocks(): Recorder {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumi: typeof pulumiType = require('@pulumi/pulumi');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require('@pulumi/pulumi/runtime/settings');
  const resources: RecordedResource[] = [];
  const pendingParents = new Map<string, string | undefined>();

  void pulumi.runtime.setMocks(
    {
      newResource(args) {
        const key = `${args.type}::${args.name}`;
        const parent = pendingParents.get(key);
        const id = args.custom ? `${args.name}-id` : undefined;
        const urn = mockUrn(parent, args.type, args.name);
        resources.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          inputs: args.inputs,
          provider: args.provider || undefined,
          parent: parent || undefined,
          urn,
        });
        const state: Record<string, unknown> = { ...args.inputs };
        if (args.type.startsWith('aws:')) state.arn = mockArn(args.type, args.name);
        return { id, state };
      },
      call(args) {
        return args.inputs;
      },
    },
    'hitless-test',
    'test',
    false,
  );

  // The mock monitor does not pass the parent to `newResource`; read it off the request.
  const monitor = settings.getMonitor();
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request: any, callback: any) => {
    pendingParents.set(`${request.getType()}::${request.getName()}`, request.getParent());
    return registerResource(request, callback);
  };

  return {
    resources,
    async settle() {
      await settings.waitForRPCs();
      // Outputs resolved on a later turn (a DrainingService settles after its gateways) start
      // registrations of their own: wait until a full round brings nothing new.
      for (let quiet = 0; quiet < 3; ) {
        const before = resources.length;
        await new Promise((resolve) => setImmediate(resolve));
        await settings.waitForRPCs();
        quiet = resources.length === before ? quiet + 1 : 0;
      }
    },
    ofType(type) {
      return resources.filter((each) => each.type === type);
    },
    get(type, name) {
      const found = resources.filter((each) => each.type === type && each.name === name);
      if (found.length !== 1) {
        throw new Error(`expected one ${type} named '${name}', found ${found.length}; recorded: ${resources.map((each) => `${each.type}::${each.name}`).join(', ')}`);
      }
      return found[0];
    },
    clear() {
      resources.length = 0;
    },
  };
}

/** An ARN of the real form (core checks target group ARNs), from the resource's type and name. */
export function mockArn(type: string, name: string): string {
  const resource = type.split(':').pop()!.toLowerCase();
  const safe = name.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 32);
  return `arn:aws:elasticloadbalancing:eu-west-1:123456789012:${resource}/${safe}/0123456789abcdef`;
}

function mockUrn(parent: string | undefined, type: string, name: string): string {
  // The same form the mock monitor gives (parent's type chain, then the type).
  const qualified = parent ? `${parent.split('::')[2]}$${type}` : type;
  return `urn:pulumi:test::hitless-test::${qualified}::${name}`;
}

/** The Kubernetes object a recorded `kubernetes:*` registration describes, as a manifest would have it. */
export function manifestOf(resource: RecordedResource): Record<string, unknown> {
  const { apiVersion, kind, metadata, ...rest } = resource.inputs;
  return { apiVersion, kind, metadata, ...rest };
}

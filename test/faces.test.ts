/**
 * The two faces expose the same members: for each construct that both `hitless/cdk8s` and
 * `hitless/pulumi` export, the public instance members (fields, getters and methods, own and
 * inherited) of the cdk8s class and of the Pulumi class have the same names, framework plumbing
 * aside. The members come from the compiler, not from an instance: a private member is no member
 * (so `plan` public on one face and private on the other is a difference), and neither is an
 * `@internal` one, which the published types leave out (`stripInternal`).
 */
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const ENTRY_POINTS = { cdk8s: 'lib/cdk8s/index.ts', pulumi: 'lib/pulumi/index.ts' } as const;
type Face = keyof typeof ENTRY_POINTS;

/**
 * Framework plumbing: the public members every construct inherits from its framework's base
 * class, which say nothing about the construct. cdk8s: `constructs`' `Construct`. Pulumi:
 * `ComponentResource` (and the `Resource` below it). A test below keeps these lists exact.
 */
const PLUMBING: Record<Face, readonly string[]> = {
  cdk8s: ['node', 'toString'],
  pulumi: ['getProvider', 'urn'],
};

/** The constructs with a face in both entry points; each is checked below. */
const PAIRS = ['DrainingService', 'GkeLoadBalancer', 'HealthCheckedNlb', 'HitlessGateway'] as const;

/** Constructs with one face only, and why; when the other face comes, the pair is checked. */
const ONE_FACE_ONLY: Record<Face, Record<string, string>> = {
  cdk8s: { GlooEdgeGateway: 'Gloo Edge is installed with its Helm chart; only the cdk8s face writes its values file' },
  pulumi: {},
};

/**
 * Members one face has by the nature of its framework, and why. Keep this short: anything else
 * belongs on both faces.
 */
const FACE_ONLY_MEMBERS: Partial<Record<typeof PAIRS[number], Partial<Record<Face, Record<string, string>>>>> = {
  HitlessGateway: {
    pulumi: {
      nlb: 'the Pulumi face renders in its constructor, so its load balancer is made there, from the `nlb` arg; a cdk8s HealthCheckedNlb attaches itself before synth',
      gke: 'as `nlb`, from the `gke` arg',
    },
  },
  HealthCheckedNlb: {
    pulumi: {
      loadBalancer: 'an @pulumi/aws resource, made from the `aws` arg; the cdk8s face writes Kubernetes manifests only, and the AWS Load Balancer Controller makes the NLB',
      targetGroup: 'as `loadBalancer`: the target group made with @pulumi/aws',
      listener: 'as `loadBalancer`: the listener made with @pulumi/aws',
      autoScalingAttachments: 'as `loadBalancer`: the attachments of instance targets made with @pulumi/aws',
      dnsName: 'the DNS name of the @pulumi/aws load balancer, an Output known after `pulumi up`',
    },
  },
};

interface FaceClasses {
  /** Public instance member names of each exported construct class, plumbing included. */
  readonly members: Record<string, string[]>;
  /** Public instance member names of the framework's base class. */
  readonly base: string[];
}

function isPublic(member: ts.Symbol): boolean {
  if (member.name.startsWith('#') || member.name.startsWith('__')) return false;
  const declarations = member.getDeclarations() ?? [];
  if (declarations.some((declaration) => ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.NonPublicAccessibilityModifier)) return false;
  return !declarations.some((declaration) => ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal'));
}

function publicMembers(checker: ts.TypeChecker, type: ts.Type): string[] {
  return checker.getPropertiesOfType(type).filter(isPublic).map((member) => member.name).sort();
}

function isFramework(type: ts.Type): boolean {
  return (type.getSymbol()?.getDeclarations() ?? []).some((declaration) => declaration.getSourceFile().fileName.includes('/node_modules/'));
}

function readFaces(): Record<Face, FaceClasses> {
  const files = Object.values(ENTRY_POINTS).map((file) => path.join(ROOT, file));
  const program = ts.createProgram(files, { skipLibCheck: true, noEmit: true, types: [], strict: true, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Node10 });
  const checker = program.getTypeChecker();
  const read = (face: Face, isConstruct: (members: string[]) => boolean): FaceClasses => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, ENTRY_POINTS[face]))!)!;
    const members: Record<string, string[]> = {};
    let base: string[] = [];
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      if (!(symbol.flags & ts.SymbolFlags.Class)) continue;
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      const names = publicMembers(checker, type);
      if (!isConstruct(names)) continue;
      members[exported.name] = names;
      // The framework's base class: the first ancestor declared outside this package.
      let ancestor: ts.Type = type;
      while (!isFramework(ancestor)) ancestor = checker.getBaseTypes(ancestor as ts.InterfaceType)[0];
      base = publicMembers(checker, ancestor);
    }
    return { members, base };
  };
  return {
    cdk8s: read('cdk8s', (names) => names.includes('node')),
    pulumi: read('pulumi', (names) => names.includes('urn')),
  };
}

let faces: Record<Face, FaceClasses>;

beforeAll(() => {
  faces = readFaces();
}, 180_000);

const OTHER: Record<Face, Face> = { cdk8s: 'pulumi', pulumi: 'cdk8s' };

test('the constructs paired are every construct with both faces, and the one-face list is exact', () => {
  const cdk8s = Object.keys(faces.cdk8s.members).sort();
  const pulumi = Object.keys(faces.pulumi.members).sort();
  expect(cdk8s.filter((name) => pulumi.includes(name))).toEqual([...PAIRS].sort());
  expect(cdk8s.filter((name) => !pulumi.includes(name))).toEqual(Object.keys(ONE_FACE_ONLY.cdk8s).sort());
  expect(pulumi.filter((name) => !cdk8s.includes(name))).toEqual(Object.keys(ONE_FACE_ONLY.pulumi).sort());
});

test.each(Object.keys(PLUMBING) as Face[])('the %s plumbing excluded is exactly what the framework base class declares', (face) => {
  expect(faces[face].base).toEqual([...PLUMBING[face]].sort());
});

test.each([...PAIRS])('%s: the cdk8s and the Pulumi face expose the same members', (construct) => {
  const missing: string[] = [];
  for (const face of Object.keys(ENTRY_POINTS) as Face[]) {
    const other = OTHER[face];
    const allowed = FACE_ONLY_MEMBERS[construct]?.[face] ?? {};
    for (const member of faces[face].members[construct]) {
      if (PLUMBING[face].includes(member) || member in allowed) continue;
      if (!faces[other].members[construct].includes(member)) missing.push(`${other} ${construct} lacks '${member}', which the ${face} face has`);
    }
  }
  expect(missing).toEqual([]);
});

test.each([...PAIRS])('%s: each member allowed on one face only is there, and only there', (construct) => {
  for (const face of Object.keys(ENTRY_POINTS) as Face[]) {
    for (const member of Object.keys(FACE_ONLY_MEMBERS[construct]?.[face] ?? {})) {
      expect([member, faces[face].members[construct].includes(member)]).toEqual([member, true]);
      expect([member, faces[OTHER[face]].members[construct].includes(member)]).toEqual([member, false]);
    }
  }
});

test('private and @internal members are no members: the Pulumi gateway\'s render flag and load balancer claim are not counted', () => {
  expect(faces.pulumi.members.HitlessGateway).toContain('plan');
  expect(faces.pulumi.members.HitlessGateway).not.toContain('rendered');
  expect(faces.pulumi.members.HitlessGateway).not.toContain('claimLoadBalancer');
});

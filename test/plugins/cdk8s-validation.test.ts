import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Cdk8sValidationContext, HitlessValidation } from '../../lib/plugins/cdk8s-validation';

const NAIVE_GATEWAY = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: envoy, namespace: edge }
spec:
  replicas: 1
  selector: { matchLabels: { app: envoy } }
  template:
    metadata: { labels: { app: envoy } }
    spec:
      containers:
        - name: envoy
          image: envoyproxy/envoy:v1.31.0
          ports: [{ containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: envoy, namespace: edge }
spec:
  type: LoadBalancer
  selector: { app: envoy }
  ports: [{ port: 80, targetPort: 8080 }]
`;

interface Recorded {
  violations: { ruleName: string; recommendation: string; fix: string; violatingResources: { resourceName: string; manifestPath: string }[] }[];
  status?: string;
  metadata?: Record<string, string>;
}

function context(manifests: string[]): { context: Cdk8sValidationContext; recorded: Recorded } {
  const recorded: Recorded = { violations: [] };
  return {
    recorded,
    context: {
      manifests,
      parseManifest: (file) => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((doc) => doc.toJSON()),
      report: {
        addViolation: (violation) => recorded.violations.push(violation),
        submit: (status, metadata) => {
          recorded.status = status;
          recorded.metadata = metadata;
        },
      },
      logger: { log: () => undefined },
    },
  };
}

function writeManifest(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hitless-plugin-'));
  const file = path.join(dir, 'app.k8s.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('HitlessValidation', () => {
  test('fails the synth when a rollout would drop requests, naming rule, object and manifest', async () => {
    const file = writeManifest(NAIVE_GATEWAY);
    const { context: ctx, recorded } = context([file]);
    await new HitlessValidation().validate(ctx);
    expect(recorded.status).toBe('failure');
    expect(recorded.metadata).toEqual({ verdict: 'drops-requests' });
    const noPreStop = recorded.violations.find((violation) => violation.ruleName === 'error: no-prestop');
    expect(noPreStop).toBeDefined();
    expect(noPreStop!.violatingResources[0]).toEqual({ resourceName: 'Deployment/edge/envoy', locations: [], manifestPath: file });
    expect(noPreStop!.fix).toContain('preStop');
  });

  test('passes manifests with nothing to judge', async () => {
    const file = writeManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { a: b }\n');
    const { context: ctx, recorded } = context([file]);
    await new HitlessValidation().validate(ctx);
    expect(recorded.status).toBe('success');
    expect(recorded.violations).toEqual([]);
  });

  test('fails on warnings only when asked', async () => {
    expect(new HitlessValidation().failOnWarnings).toBe(false);
    expect(new HitlessValidation({ failOnWarnings: true }).failOnWarnings).toBe(true);
  });
});
